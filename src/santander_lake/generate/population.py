"""Simulated customers: who they are, when they join and leave the monthly snapshots.

Every attribute is drawn once per customer and stays put (age grows with the
calendar); the ownership simulation and the writer only index these arrays.
Customers are stored in ascending `ncodpers` order, which roughly follows the
first contract date, as in the real data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from santander_lake.errors import InputError
from santander_lake.generate import targets
from santander_lake.schema import ALL_MONTHS

logger = logging.getLogger(__name__)

MONTHS = len(ALL_MONTHS)
MONTH_DATES = np.array([m.isoformat() for m in ALL_MONTHS], dtype="datetime64[D]")
STAYS = MONTHS  # exit month of a customer still present in the test month

# Customer types written to indrel_1mes and the relation each implies in tiprel_1mes.
CUSTOMER_TYPES = ("1", "2", "3", "4", "P")
CUSTOMER_TYPE_SHARES = (0.9989, 0.0003, 0.0003, 0.00005, 0.00035)
EMPLOYEE_CODES = ("N", "B", "F", "A", "S")
EMPLOYEE_SHARES = (0.99938, 0.00026, 0.00018, 0.00018, 0.0000012)
SHARE_JULY_COHORT_YOUNG = 0.45
SHARE_NEW_CONTRACT = 0.7  # entrants after January whose first contract is that month
SHARE_SPARSE = 0.12  # new-contract entrants whose first months are nearly empty rows


@dataclass(frozen=True)
class Population:
    """Per-customer attributes; index i is the same customer in every array."""

    ids: np.ndarray  # int64 ncodpers, ascending
    entry: np.ndarray  # first month index present
    exit: np.ndarray  # first month index absent again (STAYS if never)
    first_contract: np.ndarray  # datetime64[D] fecha_alta
    age_jan2015: np.ndarray  # int age on 2015-01-28
    birthday_month: np.ndarray  # month index 0..11 at which the age grows by one
    female: np.ndarray  # bool
    sex_missing: np.ndarray  # bool
    province: np.ndarray  # index into targets.PROVINCES (a missing one included)
    income: np.ndarray  # float renta, two decimals
    income_missing: np.ndarray  # bool: renta not disclosed
    segment: np.ndarray  # 0 vip, 1 individual, 2 graduate, -1 unknown
    channel: np.ndarray  # index into targets.CHANNELS, -1 unknown
    employee: np.ndarray  # index into EMPLOYEE_CODES
    country: np.ndarray  # index into targets.COUNTRIES, -1 for ES
    resident: np.ndarray  # bool indresi
    foreigner: np.ndarray  # bool indext
    deceased: np.ndarray  # bool indfall
    spouse: np.ndarray  # 0 unknown, 1 N, 2 S (conyuemp)
    customer_type: np.ndarray  # index into CUSTOMER_TYPES
    active_start: np.ndarray  # bool, activity when first seen
    seniority_sentinel: np.ndarray  # bool, antiguedad written as -999999
    sparse_months: np.ndarray  # first k months present are nearly empty rows
    propensity: np.ndarray  # float, unobserved taste for new products

    @property
    def size(self) -> int:
        """Number of distinct customers."""
        return int(self.ids.size)

    def present(self, month: int) -> np.ndarray:
        """Boolean mask of customers with a row in month index `month`."""
        return (self.entry <= month) & (self.exit > month)

    def age(self, month: int) -> np.ndarray:
        """Age in years at month index `month` (birthdays move it up once a year)."""
        return self.age_jan2015 + (month + self.birthday_month) // 12

    def is_new(self, month: int) -> np.ndarray:
        """ind_nuevo: first contract within the last six months."""
        days = (MONTH_DATES[month] - self.first_contract).astype(np.int64)
        return days < 183


def build_population(customers: int, rng: np.random.Generator) -> Population:
    """Draw `customers` customers with stable attributes and their months of presence."""
    span = targets.LAST_ID - targets.FIRST_ID + 1
    if not 100 <= customers <= span:
        raise InputError(f"customers must be between 100 and {span:,}, got {customers:,}")

    entry, exit_ = _entry_and_exit(customers, rng)
    july = entry == 6
    first_contract = _first_contracts(entry, rng)
    age = _ages(july, rng)
    segment = _segments(age, rng)
    country = _countries(customers, rng)
    province = _provinces(country, rng)
    income = _incomes(province, segment, rng)
    ids = _ids_by_contract_date(first_contract, rng)

    newcomer = (entry > 0) & (first_contract > MONTH_DATES[0])
    sparse = np.zeros(customers, dtype=np.int16)
    chosen = newcomer & (rng.random(customers) < SHARE_SPARSE)
    sparse[chosen] = rng.integers(1, 4, int(chosen.sum()))
    spouse = np.where(_exact_mask(customers, 1.3e-4, rng), 1, 0).astype(np.int8)
    spouse[_exact_mask(customers, 1.2e-6, rng)] = 2
    order = np.argsort(ids, kind="stable")

    population = Population(
        ids=ids,
        entry=entry,
        exit=exit_,
        first_contract=first_contract,
        age_jan2015=age,
        birthday_month=rng.integers(0, 12, customers),
        female=rng.random(customers) < 0.455,
        sex_missing=_exact_mask(customers, 5e-6, rng),
        province=province,
        income=income,
        income_missing=rng.random(customers) < 0.205,
        segment=segment,
        channel=_channels(july, rng),
        employee=rng.choice(len(EMPLOYEE_CODES), customers, p=_normalised(EMPLOYEE_SHARES)),
        country=country,
        resident=(country < 0) | (rng.random(customers) < 0.3),
        foreigner=(country >= 0) | (rng.random(customers) < 0.042),
        deceased=rng.random(customers) < 0.0025,
        spouse=spouse,
        customer_type=rng.choice(
            len(CUSTOMER_TYPES), customers, p=_normalised(CUSTOMER_TYPE_SHARES)
        ),
        active_start=_activity(segment, rng),
        seniority_sentinel=_exact_mask(customers, 1e-3, rng),
        sparse_months=sparse,
        propensity=rng.normal(0.0, 0.35, customers),
    )
    population = _reorder(population, order)
    logger.info(
        "Drew %s customers: %s in 2015-01, %s joining in 2015-07, ids %s..%s",
        f"{customers:,}",
        f"{int((entry == 0).sum()):,}",
        f"{int(july.sum()):,}",
        f"{int(ids.min()):,}",
        f"{int(ids.max()):,}",
    )
    return population


def _entry_and_exit(customers: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    # Presence = entered - left; leavers spread evenly so every month matches the spec.
    present = targets.present_shares()
    left_by_test = 1.0 - present[-1]
    left = left_by_test * np.arange(MONTHS) / (MONTHS - 1)
    entered = np.maximum.accumulate(np.minimum(present + left, 1.0))[: MONTHS - 1]
    entered[-1] = 1.0
    counts = _largest_remainder(np.diff(entered, prepend=0.0), customers)
    entry = rng.permutation(np.repeat(np.arange(MONTHS - 1), counts)).astype(np.int16)

    exit_ = np.full(customers, STAYS, dtype=np.int16)
    leavers = int(round(customers * left_by_test / (MONTHS - 1)))
    for month in range(1, MONTHS):
        candidates = np.flatnonzero((entry < month) & (exit_ == STAYS))
        chosen = rng.choice(candidates, min(leavers, candidates.size), replace=False)
        exit_[chosen] = month
    return entry, exit_


def _first_contracts(entry: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    # Old customers spread from 1995 with more recent contracts; entrants mostly sign
    # in the month they appear, except part of the July 2015 batch of older customers.
    size = entry.size
    start = np.datetime64("1995-01-16")
    jan = MONTH_DATES[0]
    span = int((jan - start).astype(int))
    back = np.where(
        rng.random(size) < 0.55,
        rng.integers(0, span, size),
        np.minimum(rng.exponential(1400.0, size).astype(np.int64), span - 1),
    )
    dates = jan - back.astype("timedelta64[D]")

    month_start = MONTH_DATES[np.maximum(entry - 1, 0)] + np.timedelta64(1, "D")
    in_month = month_start + rng.integers(0, 28, size).astype("timedelta64[D]")
    share_new = np.where(entry == 6, 0.3, SHARE_NEW_CONTRACT)
    signs_now = (entry > 0) & (rng.random(size) < share_new)
    recent = MONTH_DATES[entry] - rng.integers(200, 3650, size).astype("timedelta64[D]")
    dates = np.where(entry > 0, recent, dates)
    return np.where(signs_now, np.minimum(in_month, MONTH_DATES[entry]), dates)


def _ages(july: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    # The July 2015 batch is mostly young people (university accounts).
    shares = _normalised([band[2] for band in targets.AGE_BANDS])
    band = rng.choice(len(shares), july.size, p=shares)
    young = july & (rng.random(july.size) < SHARE_JULY_COHORT_YOUNG)
    band[young] = 2
    low = np.array([b[0] for b in targets.AGE_BANDS])[band]
    high = np.array([b[1] for b in targets.AGE_BANDS])[band]
    return (low + rng.random(july.size) * (high - low + 1)).astype(np.int16)


def _segments(age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    graduate_share = np.select([age <= 25, age <= 30], [0.85, 0.5], default=0.03)
    vip_share = np.where(age >= 35, 0.075, 0.005)
    draw = rng.random(age.size)
    segment = np.where(draw < graduate_share, 2, np.where(draw > 1 - vip_share, 0, 1))
    segment[rng.random(age.size) < 0.012] = -1
    return segment.astype(np.int8)


def _countries(size: int, rng: np.random.Generator) -> np.ndarray:
    weights = _normalised([c[1] for c in targets.COUNTRIES])
    abroad = rng.random(size) < 0.0069
    country = np.full(size, -1, dtype=np.int16)
    country[abroad] = rng.choice(len(weights), int(abroad.sum()), p=weights)
    return country


def _provinces(country: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    codes = np.array([p[0] for p in targets.PROVINCES])
    weights = np.array([p[2] for p in targets.PROVINCES], dtype=float)
    missing = int(np.flatnonzero(codes == 0)[0])
    weights[missing] = 0.0
    province = rng.choice(codes.size, country.size, p=weights / weights.sum())
    unknown = ((country >= 0) & (rng.random(country.size) < 0.6)) | (
        rng.random(country.size) < 0.0006
    )
    province[unknown] = missing
    return province.astype(np.int16)


def _incomes(province: np.ndarray, segment: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    level = np.log(np.array([p[3] for p in targets.PROVINCES]))[province]
    shift = np.select([segment == 0, segment == 2], [0.7, -0.15], default=0.0)
    income = np.exp(level + shift + rng.normal(0.0, 0.5, province.size))
    return np.round(np.minimum(income, 2.8e7), 2)


def _channels(july: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    weights = _normalised([c[1] for c in targets.CHANNELS])
    channel = rng.choice(weights.size, july.size, p=weights)
    channel[july & (rng.random(july.size) < 0.4)] = 0
    channel[rng.random(july.size) < 0.0116] = -1
    return channel.astype(np.int16)


def _activity(segment: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    share = np.select([segment == 0, segment == 2], [0.8, 0.22], default=0.6)
    return rng.random(segment.size) < share


def _ids_by_contract_date(first_contract: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    # Ids grow with the contract date, blurred by about a year.
    span = targets.LAST_ID - targets.FIRST_ID + 1
    pool = np.sort(rng.choice(span, first_contract.size, replace=False)) + targets.FIRST_ID
    key = first_contract.astype(np.int64) + rng.normal(0.0, 365.0, first_contract.size)
    ids = np.empty(first_contract.size, dtype=np.int64)
    ids[np.argsort(key, kind="stable")] = pool
    return ids


def _exact_mask(size: int, share: float, rng: np.random.Generator) -> np.ndarray:
    # Rare codes: an exact count, at least one, so small data sets show every value.
    mask = np.zeros(size, dtype=bool)
    mask[rng.choice(size, max(1, int(round(size * share))), replace=False)] = True
    return mask


def _largest_remainder(shares: np.ndarray, total: int) -> np.ndarray:
    raw = shares / shares.sum() * total
    counts = np.floor(raw).astype(np.int64)
    counts[np.argsort(counts - raw)[: total - counts.sum()]] += 1
    return counts


def _normalised(weights) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    return array / array.sum()


def _reorder(population: Population, order: np.ndarray) -> Population:
    fields = {name: getattr(population, name)[order] for name in population.__dataclass_fields__}
    return Population(**fields)
