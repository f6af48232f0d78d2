"""Month-by-month product ownership: the addition model, drops and the true probabilities.

How the model works. Each month every customer present this month and the month
before may add any product they did not own last month, and may drop any they
did own. The log-odds of adding product p are a sum of

- attributes: an age-band effect per product (junior accounts only under 20,
  mortgages and payroll in working ages, securities, funds and pensions plans
  later), segment (VIP, individual, graduate), the customer's income and their
  province's income level, activity (active customers add far more), being a new
  customer, and a small unobserved taste for new products;
- ownership last month: products that travel together (current account ->
  direct debit, credit card, e-account; payroll account <-> payroll and pensions
  payroll; direct debit follows payroll; investments -> taxes), and the other
  accounts (particular, particular plus, más particular) crowd each other out;
- history: a product dropped in the last six months is often re-added (a large
  bonus one month after the drop, fading after), and customers who added
  something recently, or often, add again;
- the month: a per-month, per-product intercept solved so that the expected
  additions equal the spec's count for that month scaled to this population.
  This carries the seasons (taxes and current account in June, current and
  payroll accounts in December, payroll in February) and the fading deposits.

Payroll (nomina) is only ever added by a customer who owned pensions payroll
(nom_pens) last month or adds it this month: a customer adding nom_pens also
adds nomina with probability 0.85 and the payroll account with probability 0.35.
Drops have their own log-odds (inactive customers and products added in the last
three months drop more) with intercepts solved so that drops match additions and
ownership shares hold, except term deposits, which are run down from 2015-10,
and the e-account, which grows. A junior account is dropped at age 20.

The probability of each addition given everything known at the end of the
previous month is recorded exactly (the payroll bundle included), so the best
achievable ranking is known.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit

from santander_lake.generate import targets
from santander_lake.generate.population import MONTHS, Population
from santander_lake.schema import ALL_MONTHS, PRODUCT_CODES

logger = logging.getLogger(__name__)

P = len(PRODUCT_CODES)
# Short product names ("cco", "nom_pens") keep the effect tables below readable.
_INDEX = {
    code.removeprefix("ind_").removesuffix("_ult1").removesuffix("_fin"): i
    for i, code in enumerate(PRODUCT_CODES)
}
CCO, CNO, CTJU, NOMINA, NOM_PENS = (
    _INDEX[k] for k in ("cco", "cno", "ctju", "nomina", "nom_pens")
)
DEPOSITS = [_INDEX[k] for k in ("deco", "deme", "dela")]
FIRST_TRUTH_MONTH = MONTHS - 6  # truth is kept for 2016-01-28 .. 2016-06-28

AGE_EDGES = (20, 30, 45, 60)  # bands <20, 20-29, 30-44, 45-59, 60+
AGE_EFFECT = {
    "cco": (0.3, 0.6, 0.2, 0.0, -0.4), "cno": (-3.0, -0.4, 0.5, 0.5, -0.6),
    "ctma": (-1.0, -0.5, 0.3, 0.5, 0.5), "ctop": (-1.0, -0.6, 0.0, 0.3, 0.6),
    "ctpp": (-1.0, -0.8, -0.2, 0.3, 0.9), "dela": (-1.0, -1.2, -0.3, 0.4, 1.0),
    "ecue": (-0.5, 0.7, 0.4, 0.0, -0.9), "fond": (-1.0, -1.2, -0.2, 0.4, 0.8),
    "hip": (-3.0, -0.5, 0.8, 0.2, -1.5), "plan": (-3.0, -1.0, 0.3, 0.8, 0.2),
    "pres": (-3.0, -0.3, 0.5, 0.2, -0.8), "reca": (-1.0, -0.9, 0.2, 0.5, 0.6),
    "tjcr": (-1.5, 0.0, 0.4, 0.2, -0.5), "valo": (-1.0, -1.2, -0.2, 0.4, 0.9),
    "nomina": (-3.0, -0.1, 0.6, 0.4, -0.4), "nom_pens": (-3.0, -0.1, 0.5, 0.4, 0.4),
    "recibo": (-1.0, -0.3, 0.4, 0.3, 0.0),
}  # fmt: skip
SEGMENT_EFFECT = {  # VIP, individual, graduate
    "cco": (0.0, 0.0, 0.3), "ecue": (0.4, 0.0, 0.5), "valo": (1.0, 0.0, -0.8),
    "fond": (1.0, 0.0, -0.8), "plan": (0.6, 0.0, -0.6), "dela": (0.6, 0.0, -0.6),
    "reca": (0.8, 0.0, -0.7), "tjcr": (0.5, 0.0, -0.3), "ctpp": (0.4, 0.0, -0.5),
    "cno": (0.0, 0.0, -0.6), "nomina": (0.0, 0.0, -0.6), "nom_pens": (0.0, 0.0, -0.6),
    "recibo": (0.2, 0.0, -0.5), "hip": (0.5, 0.0, -0.5), "ctma": (0.0, 0.0, -0.3),
}  # fmt: skip
INCOME_EFFECT = {
    "valo": 0.6, "fond": 0.6, "plan": 0.4, "dela": 0.4, "reca": 0.5, "tjcr": 0.3,
    "ctpp": 0.3, "hip": 0.3, "ecue": 0.2, "cco": -0.2,
}  # fmt: skip
PROVINCE_EFFECT = {"reca": 0.3, "valo": 0.2, "ecue": 0.25, "tjcr": 0.15, "cco": -0.1}
ACTIVE_EFFECT = {"cco": 0.3, "ctju": 0.5}
ACTIVE_DEFAULT = 1.3
NEW_CUSTOMER_EFFECT = {
    "cco": 0.8, "ecue": 0.5, "tjcr": 0.5, "recibo": 0.6, "cno": 0.4, "nomina": 0.3,
    "nom_pens": 0.3,
}  # fmt: skip
OWNED_EFFECT = (  # (owned last month, product added, log-odds)
    ("cco", "recibo", 1.0), ("cco", "tjcr", 0.8), ("cco", "ecue", 0.7), ("cco", "cno", 0.4),
    ("cco", "reca", 0.3), ("cco", "ctop", -0.7), ("cco", "ctpp", -0.7), ("cco", "ctma", -0.7),
    ("ctop", "cco", -1.0), ("ctpp", "cco", -1.0), ("ctma", "cco", -1.0),
    ("ctop", "recibo", 0.5), ("ctpp", "recibo", 0.5), ("ctop", "tjcr", 0.4),
    ("cno", "nom_pens", 1.5), ("cno", "nomina", 1.0), ("cno", "recibo", 1.0),
    ("cno", "tjcr", 0.6), ("nom_pens", "cno", 1.2), ("nom_pens", "recibo", 0.6),
    ("nomina", "cno", 1.5), ("nomina", "recibo", 0.8), ("nomina", "tjcr", 0.5),
    ("recibo", "tjcr", 0.7), ("recibo", "cno", 0.5), ("recibo", "nom_pens", 0.5),
    ("tjcr", "recibo", 0.4), ("ecue", "tjcr", 0.3), ("ecue", "valo", 0.3),
    ("valo", "reca", 1.2), ("fond", "reca", 1.0), ("plan", "reca", 0.8),
    ("dela", "reca", 0.8), ("valo", "fond", 0.8), ("fond", "valo", 0.8),
    ("valo", "plan", 0.6), ("fond", "plan", 0.6), ("dela", "fond", 0.5),
    ("hip", "recibo", 0.8), ("hip", "tjcr", 0.5), ("pres", "recibo", 0.5),
)  # fmt: skip
READD_EFFECT = {
    "recibo": 3.5, "nomina": 3.5, "nom_pens": 3.5, "cno": 3.0, "tjcr": 3.0, "reca": 3.0,
    "cco": 2.5, "ecue": 2.5,
}  # fmt: skip
READD_DEFAULT = 2.0
READD_DECAY = np.array([0.0, 1.0, 0.75, 0.55, 0.35, 0.3, 0.25, 0.0])  # by months since drop
RECENT_ADD_EFFECT = 0.5  # added anything last month
ADD_COUNT_EFFECT = 0.15  # per addition in the last six months, up to five
OWNED_COUNT_EFFECT = 0.1  # per product owned, up to six
NOMINA_WITH_PENS = 0.85
CNO_WITH_PENS = 0.35

DROP_INACTIVE = 0.8
DROP_RECENT_ADD = 0.6
DROP_BALANCE = {
    "ecue": 0.6,
    "nomina": 0.1,
}  # drops per addition; nomina mostly leaves with nom_pens
DEPOSIT_RUNDOWN_FROM = 9  # 2015-10-28
DEPOSIT_RUNDOWN_RATE = 0.1
ACTIVE_TO_INACTIVE, INACTIVE_TO_ACTIVE = 0.012, 0.01
NEWTON_STEPS = 6
# Ownership of customers when first seen: January 2015 leans a bit above the
# spec's all-rows shares because later joiners own less.
FIRST_MONTH_SHARE_LIFT = 1.1
NEWCOMER_SHARE_FACTOR = 0.15
NEWCOMER_CCO_SHARE = 0.55
INITIAL_ORDER = (
    "cco", "ctop", "ctpp", "ctma", "ecue", "valo", "fond", "plan", "dela", "deco", "deme",
    "cder", "ahor", "aval", "hip", "pres", "viv", "ctju", "nom_pens", "nomina", "cno",
    "recibo", "tjcr", "reca",
)  # fmt: skip


@dataclass
class MonthTruth:
    """True addition probabilities of one month: one entry per (customer, product)."""

    month: int
    customers: np.ndarray  # customer indices into the population
    products: np.ndarray  # product indices
    probability: np.ndarray
    added: np.ndarray  # int8


@dataclass
class ProductHistory:
    """Ownership and activity for every month, and the truth of the last six months."""

    owned: np.ndarray  # bool, months x customers x products (False when absent)
    active: np.ndarray  # bool, months x customers
    truth: list[MonthTruth] = field(default_factory=list)


def simulate_products(population: Population, rng: np.random.Generator) -> ProductHistory:
    """Run the monthly ownership simulation for all 18 months; pure numpy, no I/O."""
    size = population.size
    owned = np.zeros((MONTHS, size, P), dtype=bool)
    active = np.zeros((MONTHS, size), dtype=bool)
    last_drop = np.full((size, P), -99, dtype=np.int16)
    last_add = np.full((size, P), -99, dtype=np.int16)
    adds_per_month = np.zeros((MONTHS, size), dtype=np.int8)
    rates = targets.addition_rates()
    history = ProductHistory(owned=owned, active=active)

    first = np.flatnonzero(population.present(0))
    active[0, first] = population.active_start[first]
    lifted = np.minimum(np.asarray(targets.OWNERSHIP_SHARES) * FIRST_MONTH_SHARE_LIFT, 0.9)
    owned[0, first] = _initial_ownership(population, first, 0, lifted, rng)

    for month in range(1, MONTHS):
        _carry_activity(population, active, month, rng)
        joined = np.flatnonzero(population.entry == month)
        owned[month, joined] = _initial_ownership(
            population, joined, month, _newcomer_shares(), rng
        )

        stay = np.flatnonzero(population.present(month - 1) & population.present(month))
        before = owned[month - 1, stay]
        recent = (adds_per_month[max(0, month - 6) : month, stay]).sum(axis=0)
        logits = _attribute_logits(population, stay, month, active[month, stay])
        logits += _history_logits(
            before, month - last_drop[stay], recent, adds_per_month[month - 1, stay]
        )
        added, probability = _draw_additions(
            population, stay, month, logits, before, rates[month], rng
        )
        dropped = _draw_drops(
            population, stay, month, before, active[month, stay], last_add[stay], rates, rng
        )

        owned[month, stay] = (before & ~dropped) | added
        last_drop[stay] = np.where(dropped, month, last_drop[stay])
        last_add[stay] = np.where(added, month, last_add[stay])
        adds_per_month[month, stay] = added.sum(axis=1)
        if month >= FIRST_TRUTH_MONTH:
            history.truth.append(_month_truth(month, stay, before, probability, added))
        _log_month(month, stay.size, joined.size, added, dropped)
    return history


def _per_product(effects: dict, default: float = 0.0) -> np.ndarray:
    vector = np.full(P, default)
    for name, value in effects.items():
        vector[_INDEX[name]] = value
    return vector


def _per_product_rows(effects: dict, width: int) -> np.ndarray:
    matrix = np.zeros((width, P))
    for name, values in effects.items():
        matrix[: len(values), _INDEX[name]] = values
    return matrix


def _owned_matrix() -> np.ndarray:
    matrix = np.zeros((P, P))
    for owned_name, added_name, value in OWNED_EFFECT:
        matrix[_INDEX[owned_name], _INDEX[added_name]] = value
    return matrix


AGE_MATRIX = _per_product_rows(AGE_EFFECT, len(AGE_EDGES) + 1)
SEGMENT_MATRIX = _per_product_rows(SEGMENT_EFFECT, 4)  # row 3: unknown segment
INCOME_VECTOR = _per_product(INCOME_EFFECT)
PROVINCE_VECTOR = _per_product(PROVINCE_EFFECT)
ACTIVE_VECTOR = _per_product(ACTIVE_EFFECT, ACTIVE_DEFAULT)
NEW_CUSTOMER_VECTOR = _per_product(NEW_CUSTOMER_EFFECT)
OWNED_MATRIX = _owned_matrix()
READD_VECTOR = _per_product(READD_EFFECT, READD_DEFAULT)
PROVINCE_INCOME = np.array([p[3] for p in targets.PROVINCES], dtype=float)


def _attribute_logits(
    population: Population, rows: np.ndarray, month: int, active: np.ndarray
) -> np.ndarray:
    # A hidden income counts as the province's level: the model sees what files show.
    band = np.searchsorted(AGE_EDGES, population.age(month)[rows], side="right")
    segment = population.segment[rows]
    province_income = PROVINCE_INCOME[population.province[rows]]
    income = np.where(population.income_missing[rows], province_income, population.income[rows])
    income_z = (np.log(income) - 11.5) / 0.6
    province_z = (np.log(province_income) - 11.4) / 0.25
    new = population.is_new(month)[rows]

    logits = AGE_MATRIX[band] + SEGMENT_MATRIX[np.where(segment < 0, 3, segment)]
    logits += income_z[:, None] * INCOME_VECTOR + province_z[:, None] * PROVINCE_VECTOR
    logits += active[:, None] * ACTIVE_VECTOR + new[:, None] * NEW_CUSTOMER_VECTOR
    return logits + population.propensity[rows, None]


def _history_logits(
    before: np.ndarray, since_drop: np.ndarray, recent_adds: np.ndarray, last_adds: np.ndarray
) -> np.ndarray:
    logits = before.astype(float) @ OWNED_MATRIX
    logits += READD_VECTOR * READD_DECAY[np.clip(since_drop, 0, READD_DECAY.size - 1)]
    logits += RECENT_ADD_EFFECT * (last_adds > 0)[:, None]
    logits += ADD_COUNT_EFFECT * np.minimum(recent_adds, 5)[:, None]
    return logits + OWNED_COUNT_EFFECT * np.minimum(before.sum(axis=1), 6)[:, None]


def _draw_additions(
    population: Population,
    rows: np.ndarray,
    month: int,
    logits: np.ndarray,
    before: np.ndarray,
    rates: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Additions this month and each one's marginal probability (bundles included)."""
    eligible = ~before
    eligible[:, CTJU] &= population.age(month)[rows] < 20
    eligible[:, NOMINA] &= before[:, NOM_PENS]
    wanted = rates * rows.size
    probability = _calibrated(logits, eligible, wanted)

    # Part of nomina and cno arrives with nom_pens; their own draws make up the rest.
    pens = probability[:, NOM_PENS]
    bundles = {
        NOMINA: NOMINA_WITH_PENS * pens * ~before[:, NOMINA],
        CNO: CNO_WITH_PENS * pens * ~before[:, CNO],
    }
    for column, bundle in bundles.items():
        rest = max(wanted[column] - bundle.sum(), 0.0)
        probability[:, column] = _calibrated(
            logits[:, [column]], eligible[:, [column]], np.array([rest])
        )[:, 0]

    added = rng.random(probability.shape) < probability
    follow = rng.random((rows.size, 2))
    pens_added = added[:, NOM_PENS]
    added[:, NOMINA] |= pens_added & ~before[:, NOMINA] & (follow[:, 0] < NOMINA_WITH_PENS)
    added[:, CNO] |= pens_added & ~before[:, CNO] & (follow[:, 1] < CNO_WITH_PENS)

    marginal = probability
    marginal[:, NOMINA] = probability[:, NOMINA] + bundles[NOMINA]
    marginal[:, CNO] = 1.0 - (1.0 - probability[:, CNO]) * (1.0 - bundles[CNO])
    return added, marginal


def _draw_drops(
    population: Population,
    rows: np.ndarray,
    month: int,
    before: np.ndarray,
    active: np.ndarray,
    last_add: np.ndarray,
    rates: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Products owned last month and gone this month."""
    logits = DROP_INACTIVE * ~active[:, None] + DROP_RECENT_ADD * (month - last_add <= 3)
    balance = _per_product(DROP_BALANCE, 1.0)
    wanted = rates[1 : MONTHS - 1].mean(axis=0) * rows.size * balance
    if month >= DEPOSIT_RUNDOWN_FROM:
        owners = before[:, DEPOSITS].sum(axis=0)
        wanted[DEPOSITS] = np.maximum(wanted[DEPOSITS], DEPOSIT_RUNDOWN_RATE * owners)
    dropped = rng.random(before.shape) < _calibrated(logits, before, wanted)

    dropped[:, CTJU] |= before[:, CTJU] & (population.age(month)[rows] >= 20)
    dropped[:, NOMINA] |= before[:, NOMINA] & dropped[:, NOM_PENS]
    return dropped


def _initial_ownership(
    population: Population,
    rows: np.ndarray,
    month: int,
    shares: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Products of customers when first seen, drawn in bundle order to keep pairs."""
    attributes = _attribute_logits(population, rows, month, population.active_start[rows])
    young = population.age(month)[rows] < 20
    owned = np.zeros((rows.size, P), dtype=bool)
    for name in INITIAL_ORDER:
        column = _INDEX[name]
        logits = attributes[:, column] + owned.astype(float) @ OWNED_MATRIX[:, column]
        eligible = np.ones(rows.size, dtype=bool)
        if column == CTJU:
            eligible = young
        elif column == NOMINA:
            eligible = owned[:, NOM_PENS]
        wanted = np.array([shares[column] * rows.size])
        probability = _calibrated(logits[:, None], eligible[:, None], wanted)[:, 0]
        owned[:, column] = rng.random(rows.size) < probability
    return owned


def _newcomer_shares() -> np.ndarray:
    shares = np.asarray(targets.OWNERSHIP_SHARES) * NEWCOMER_SHARE_FACTOR
    shares[CCO] = NEWCOMER_CCO_SHARE
    return shares


def _calibrated(logits: np.ndarray, eligible: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Probabilities sigmoid(logit + offset_p), offset_p solved so column p sums to wanted_p.

    Works on the eligible cells only (ineligible ones get probability 0). Newton
    steps on the log of the expected count start below the root, where the sum of
    exp(logit + offset) equals the wanted count, and climb to it.
    """
    columns = logits.shape[1]
    wanted = np.minimum(np.asarray(wanted, dtype=float), 0.9 * eligible.sum(axis=0))
    row, column = np.nonzero(eligible & (wanted > 0))
    values = logits[row, column]
    probability = np.zeros(logits.shape)
    if values.size == 0:
        return probability

    log_wanted = np.log(np.maximum(wanted, 1e-300))
    shift = values.max()
    mass = np.bincount(column, np.exp(values - shift), minlength=columns)
    with np.errstate(divide="ignore", invalid="ignore"):
        offset = np.where(mass > 0, log_wanted - np.log(mass) - shift, 0.0)
        for _ in range(NEWTON_STEPS):
            cell = expit(values + offset[column])
            total = np.bincount(column, cell, minlength=columns)
            slope = np.bincount(column, cell * (1.0 - cell), minlength=columns)
            step = (log_wanted - np.log(total)) * total / slope
            offset = offset + np.where(total > 0, step, 0.0)
    probability[row, column] = expit(values + offset[column])
    return probability


def _carry_activity(
    population: Population, active: np.ndarray, month: int, rng: np.random.Generator
) -> None:
    draw = rng.random(population.size)
    carried = np.where(active[month - 1], draw >= ACTIVE_TO_INACTIVE, draw < INACTIVE_TO_ACTIVE)
    carried = np.where(population.entry == month, population.active_start, carried)
    active[month] = carried & population.present(month)


def _month_truth(
    month: int, rows: np.ndarray, before: np.ndarray, probability: np.ndarray, added: np.ndarray
) -> MonthTruth:
    row, column = np.nonzero(~before)
    return MonthTruth(
        month=month,
        customers=rows[row],
        products=column.astype(np.int8),
        probability=probability[row, column],
        added=added[row, column].astype(np.int8),
    )


def _log_month(
    month: int, customers: int, joined: int, added: np.ndarray, dropped: np.ndarray
) -> None:
    adders = int(added.any(axis=1).sum())
    logger.info(
        "Simulated %s: %s customers (%s joined), %s additions by %s customers (%.2f%%), %s drops",
        ALL_MONTHS[month].isoformat(),
        f"{customers + joined:,}",
        f"{joined:,}",
        f"{int(added.sum()):,}",
        f"{adders:,}",
        100.0 * adders / max(customers, 1),
        f"{int(dropped.sum()):,}",
    )
