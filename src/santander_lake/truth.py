"""Readers of the generator's answer key in `<raw_dir>/truth/`.

`test_additions.csv` holds what each test customer really added in 2016-06 and
whether they count for the public or private score; `probabilities.parquet`
holds the generator's true probability of every possible addition for the
months 2016-01-28 .. 2016-06-28.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from santander_lake.errors import InputError
from santander_lake.generate.truth_files import (
    PROBABILITIES_FILE,
    TEST_ADDITIONS_FILE,
    TRUTH_DIR,
)
from santander_lake.schema import ALL_MONTHS

logger = logging.getLogger(__name__)

TRUTH_MONTHS: tuple[date, ...] = ALL_MONTHS[-6:]


def read_test_additions(raw_dir: str | Path) -> pd.DataFrame:
    """Columns ncodpers (int64), added_products (space-separated codes, "" if none), Usage."""
    path = Path(raw_dir) / TRUTH_DIR / TEST_ADDITIONS_FILE
    if not path.is_file():
        raise InputError(f"{path}: no truth file; was the data made by `santander-lake generate`?")
    frame = pd.read_csv(
        path, dtype={"ncodpers": "int64", "added_products": str, "Usage": str},
        keep_default_na=False,
    )  # fmt: skip
    if list(frame.columns) != ["ncodpers", "added_products", "Usage"]:
        raise InputError(f"{path}: unexpected header {list(frame.columns)}")
    logger.debug("Read %d test additions from %s", len(frame), path)
    return frame


def read_true_probabilities(raw_dir: str | Path, month: str | date) -> pd.DataFrame:
    """The true addition probabilities of one month (2016-01-28 .. 2016-06-28).

    Columns fecha_dato, ncodpers, product, probability, added; one row per customer
    present that month and the one before, and product not owned the month before.
    """
    wanted = truth_month(month)
    path = true_probabilities_path(raw_dir)
    table = pq.read_table(path, filters=[("fecha_dato", "=", wanted.isoformat())])
    logger.debug("Read %d true probabilities for %s from %s", table.num_rows, wanted, path)
    return table.to_pandas()


def true_probabilities_path(raw_dir: str | Path) -> Path:
    """Where `probabilities.parquet` is; raises InputError when it is not there."""
    path = Path(raw_dir) / TRUTH_DIR / PROBABILITIES_FILE
    if not path.is_file():
        raise InputError(f"{path}: no truth file; was the data made by `santander-lake generate`?")
    return path


def truth_month(month: str | date) -> date:
    """`month` as a date, checked to be one the truth covers."""
    wanted = month if isinstance(month, date) else _parse_month(month)
    if wanted not in TRUTH_MONTHS:
        first, last = TRUTH_MONTHS[0].isoformat(), TRUTH_MONTHS[-1].isoformat()
        raise InputError(f"no true probabilities for {wanted}; months {first} .. {last}")
    return wanted


def _parse_month(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"month must be YYYY-MM-DD, got {text!r}") from None
