"""Byte-exact Kaggle CSV writing: train_ver2.csv, test_ver2.csv, sample_submission.csv.

Lines are assembled a month at a time from numpy byte-string columns: each
customer's fixed fields are formatted once, the fields that move each month
(age, seniority, activity, products, ...) come from small lookup tables, and the
24 product flags are laid out as a fixed-width byte matrix. Nothing loops per row.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from santander_lake.generate import targets
from santander_lake.generate.population import (
    CUSTOMER_TYPES,
    EMPLOYEE_CODES,
    MONTH_DATES,
    MONTHS,
    Population,
)
from santander_lake.schema import (
    ALL_MONTHS,
    SUBMISSION_FILE,
    TEST_COLUMNS,
    TEST_FILE,
    TRAIN_COLUMNS,
    TRAIN_FILE,
    header_line,
)

logger = logging.getLogger(__name__)

SAMPLE_PREDICTION = "ind_recibo_ult1 ind_cco_fin_ult1"
TEST_MONTH = MONTHS - 1
FIRST_INTEGER_TYPE_MONTH = 12  # indrel_1mes is written 1 rather than 1.0 from 2016-01
FIRST_PRIMARY_LOSS_MONTH = 6  # indrel 99 rows appear from 2015-07
PRIMARY_LOSS_RATE = 0.0025
TYPE_MISSING_RATE = 0.009
PAYROLL_NA_RATE = 0.58  # nearly empty rows whose nomina and nom_pens read NA
SENIORITY_FROZEN_UNTIL = 5  # antiguedad did not move from 2015-01 to 2015-06

AGE_TEXT = np.array([f"{age:>3}".encode() for age in range(200)])
SENIORITY_TEXT = np.array([f"{months:>7}".encode() for months in range(400)])
SEGMENT_TEXT = ("01 - TOP", "02 - PARTICULARES", "03 - UNIVERSITARIO")
RELATION_BY_TYPE = {"1": None, "2": None, "3": "P", "4": "P", "P": "R"}
PRODUCT_BLOCK_WIDTH = 49


@dataclass(frozen=True)
class CustomerText:
    """Each customer's fixed fields, formatted once as bytes."""

    head: np.ndarray  # ncodpers,ind_empleado,pais_residencia,sexo,
    first_contract: np.ndarray  # fecha_alta
    middle: np.ndarray  # indresi .. nomprov, with the trailing comma
    train_tail: np.ndarray  # renta,segmento for train
    test_tail: np.ndarray  # renta,segmento for test
    bare_head: np.ndarray  # ncodpers, for nearly empty rows


def format_customers(population: Population) -> CustomerText:
    """Format the per-customer fields of both files; loops once per customer."""
    countries = [code for code, _ in targets.COUNTRIES]
    channels = [code for code, _ in targets.CHANNELS]
    provinces = targets.PROVINCES
    head, middle, train_tail, test_tail = [], [], [], []
    for i in range(population.size):
        sex = "" if population.sex_missing[i] else ("H" if population.female[i] else "V")
        country = "ES" if population.country[i] < 0 else countries[population.country[i]]
        employee = EMPLOYEE_CODES[population.employee[i]]
        head.append(f"{population.ids[i]},{employee},{country},{sex},".encode())

        code, name = provinces[population.province[i]][:2]
        province = f"{code:>2}" if code else "NA"
        channel = "" if population.channel[i] < 0 else channels[population.channel[i]]
        spouse = ("", "N", "S")[population.spouse[i]]
        flags = [population.resident[i], population.foreigner[i]]
        resident, foreigner = ("S" if flag else "N" for flag in flags)
        deceased = "S" if population.deceased[i] else "N"
        fields = f"{resident},{foreigner},{spouse},{channel},{deceased}, 1,{province}"
        middle.append(f'{fields},"{name}",'.encode())

        segment = "" if population.segment[i] < 0 else SEGMENT_TEXT[population.segment[i]]
        income = float(population.income[i])
        hidden = bool(population.income_missing[i])
        plain = "" if hidden else f"{income:.2f}".rstrip("0").rstrip(".")
        padded = f"{'NA':>11}" if hidden else f"{income:>11.2f}"
        train_tail.append(f"{plain},{segment}".encode())
        test_tail.append(f"{padded},{segment}".encode())
    return CustomerText(
        head=np.array(head),
        first_contract=population.first_contract.astype(str).astype("S10"),
        middle=np.array(middle),
        train_tail=np.array(train_tail),
        test_tail=np.array(test_tail),
        bare_head=np.array([f"{i}".encode() for i in population.ids]),
    )


def month_lines(
    population: Population,
    text: CustomerText,
    month: int,
    owned: np.ndarray | None,
    active: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """The data lines (bytes, no newline) of one month for the customers present.

    `owned` (customers x products, for those present) is None for the test file.
    """
    rows = np.flatnonzero(population.present(month))
    size = rows.size
    date = ALL_MONTHS[month].isoformat().encode()
    test = owned is None
    tail = text.test_tail if test else text.train_tail

    age = AGE_TEXT[np.clip(population.age(month)[rows], 0, AGE_TEXT.size - 1)]
    new = np.where(population.is_new(month)[rows], b" 1", b" 0")
    seniority = _seniority(population, rows, month)
    primary_lost = (month >= FIRST_PRIMARY_LOSS_MONTH) & (rng.random(size) < PRIMARY_LOSS_RATE)
    last_primary = MONTH_DATES[month] - rng.integers(0, 27, size).astype("timedelta64[D]")
    last_primary = np.where(primary_lost, last_primary.astype(str).astype("S10"), b"")
    type_text, relation = _customer_type(population, rows, month, active[rows], rng)
    activity = np.where(active[rows], b" 1", b" 0")

    parts = [
        date + b",", text.head[rows], age, b",", text.first_contract[rows], b",", new, b",",
        seniority, b",", np.where(primary_lost, b"99", b" 1"), b",", last_primary, b",",
        type_text, b",", relation, b",", text.middle[rows], activity, b",", tail[rows],
    ]  # fmt: skip
    lines = _concatenate(parts)
    sparse = (month - population.entry[rows]) < population.sparse_months[rows]
    empty = _concatenate([date + b",", text.bare_head[rows], _empty_fields(test)])
    lines = np.where(sparse, empty, lines)
    if test:
        return lines
    payroll_na = sparse & (rng.random(size) < PAYROLL_NA_RATE)
    return _concatenate([lines, b",", _product_block(owned, payroll_na)])


def write_lines(stream: BinaryIO, lines: np.ndarray) -> None:
    """Append lines to an open binary stream, each ended by a newline."""
    if lines.size:
        stream.write(b"\n".join(lines.tolist()) + b"\n")


@contextmanager
def open_output(out_dir: Path, name: str, zipped: bool) -> Iterator[BinaryIO]:
    """A binary stream to `out_dir/name`, or to `name` inside `out_dir/name.zip`."""
    if not zipped:
        with open(out_dir / name, "wb") as stream:
            yield stream
        return
    with zipfile.ZipFile(out_dir / f"{name}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(name, "w", force_zip64=True) as stream:
            yield stream


def remove_other_form(out_dir: Path, zipped: bool) -> None:
    """Delete files left in the other form (plain vs .zip) so loaders see one version."""
    for name in (TRAIN_FILE, TEST_FILE, SUBMISSION_FILE):
        stale = out_dir / (name if zipped else f"{name}.zip")
        if stale.exists():
            logger.info("Removing %s left by an earlier run in the other form", stale)
            stale.unlink()


def write_train(
    out_dir: Path,
    population: Population,
    text: CustomerText,
    owned: np.ndarray,
    active: np.ndarray,
    zipped: bool,
    rng: np.random.Generator,
) -> int:
    """Write train_ver2.csv(.zip) month by month; returns the number of data rows."""
    rows = 0
    with open_output(out_dir, TRAIN_FILE, zipped) as stream:
        stream.write(header_line(TRAIN_COLUMNS).encode() + b"\n")
        for month in range(TEST_MONTH):
            present = population.present(month)
            lines = month_lines(population, text, month, owned[month, present], active[month], rng)
            write_lines(stream, lines)
            rows += lines.size
            logger.info("Wrote %s rows of %s", f"{lines.size:,}", ALL_MONTHS[month].isoformat())
    return rows


def write_test(
    out_dir: Path,
    population: Population,
    text: CustomerText,
    active: np.ndarray,
    zipped: bool,
    rng: np.random.Generator,
) -> np.ndarray:
    """Write test_ver2.csv(.zip) for the test month; returns the test customers' ids."""
    with open_output(out_dir, TEST_FILE, zipped) as stream:
        stream.write(header_line(TEST_COLUMNS).encode() + b"\n")
        write_lines(stream, month_lines(population, text, TEST_MONTH, None, active[-1], rng))
    return population.ids[population.present(TEST_MONTH)]


def write_sample_submission(out_dir: Path, test_ids: np.ndarray, zipped: bool) -> None:
    """Write sample_submission.csv(.zip): every test customer with a fixed guess."""
    ids = test_ids.astype(str).astype("S20")
    with open_output(out_dir, SUBMISSION_FILE, zipped) as stream:
        stream.write(b"ncodpers,added_products\n")
        write_lines(stream, np.strings.add(ids, f",{SAMPLE_PREDICTION}".encode()))


def _seniority(population: Population, rows: np.ndarray, month: int) -> np.ndarray:
    effective = MONTH_DATES[0 if month <= SENIORITY_FROZEN_UNTIL else month]
    start = population.first_contract[rows].astype("datetime64[M]")
    months = (effective.astype("datetime64[M]") - start).astype(np.int64)
    text = SENIORITY_TEXT[np.clip(months, 0, SENIORITY_TEXT.size - 1)]
    return np.where(population.seniority_sentinel[rows], b"-999999", text)


def _customer_type(
    population: Population,
    rows: np.ndarray,
    month: int,
    active: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    # indrel_1mes: 1.0 style in 2015, 1 style from 2016; P always P; tiprel follows it.
    decimal = month < FIRST_INTEGER_TYPE_MONTH
    codes = [f"{code}.0" if decimal and code != "P" else code for code in CUSTOMER_TYPES]
    kinds = population.customer_type[rows]
    type_text = np.array([code.encode() for code in codes])[kinds]
    fixed = np.array([(RELATION_BY_TYPE[c] or "").encode() for c in CUSTOMER_TYPES])[kinds]
    relation = np.where(fixed != b"", fixed, np.where(active, b"A", b"I"))
    missing = rng.random(rows.size) < TYPE_MISSING_RATE
    return np.where(missing, b"", type_text), np.where(missing, b"", relation)


def _empty_fields(test: bool) -> bytes:
    # Nearly empty rows: every demographic field missing, NA tokens padded as usual.
    income = f"{'NA':>11}" if test else ""
    fields = ["", "", "", " NA", "", "NA", "     NA", "NA", "", "", "", "", "", "", "", ""]
    fields += ["NA", "NA", '""', "NA", income, ""]
    return ("," + ",".join(fields)).encode()


def _product_block(owned: np.ndarray, payroll_na: np.ndarray) -> np.ndarray:
    # Fixed layout: 21 one-character flags, nomina and nom_pens two wide, then recibo.
    block = np.full((owned.shape[0], PRODUCT_BLOCK_WIDTH), ord(","), dtype=np.uint8)
    digits = owned.astype(np.uint8) + ord("0")
    block[:, 0:42:2] = digits[:, :21]
    block[:, [42, 45]] = ord(" ")
    block[:, 43] = digits[:, 21]
    block[:, 46] = digits[:, 22]
    block[:, 48] = digits[:, 23]
    block[np.ix_(payroll_na, [42, 45])] = ord("N")
    block[np.ix_(payroll_na, [43, 46])] = ord("A")
    return block.view(f"S{PRODUCT_BLOCK_WIDTH}")[:, 0]


def _concatenate(parts: list) -> np.ndarray:
    result = parts[0]
    for part in parts[1:]:
        result = np.strings.add(result, part)
    return np.asarray(result)
