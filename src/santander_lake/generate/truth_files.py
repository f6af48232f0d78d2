"""The generator's answer key under `truth/`: test additions and true probabilities."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from santander_lake.generate.population import MONTHS, Population
from santander_lake.generate.products import ProductHistory
from santander_lake.schema import ALL_MONTHS, PRODUCT_CODES

logger = logging.getLogger(__name__)

TRUTH_DIR = "truth"
TEST_ADDITIONS_FILE = "test_additions.csv"
PROBABILITIES_FILE = "probabilities.parquet"
PUBLIC_SHARE = 0.3
PROBABILITY_SCHEMA = pa.schema(
    [
        ("fecha_dato", pa.string()),
        ("ncodpers", pa.int64()),
        ("product", pa.string()),
        ("probability", pa.float64()),
        ("added", pa.int8()),
    ]
)


def write_truth(
    out_dir: Path, population: Population, history: ProductHistory, rng: np.random.Generator
) -> dict[str, Path]:
    """Write truth/test_additions.csv and truth/probabilities.parquet; overwrites both."""
    truth_dir = out_dir / TRUTH_DIR
    truth_dir.mkdir(parents=True, exist_ok=True)
    additions = _write_test_additions(truth_dir / TEST_ADDITIONS_FILE, population, history, rng)
    probabilities = _write_probabilities(truth_dir / PROBABILITIES_FILE, population, history)
    return {TEST_ADDITIONS_FILE: additions, PROBABILITIES_FILE: probabilities}


def _write_test_additions(
    path: Path, population: Population, history: ProductHistory, rng: np.random.Generator
) -> Path:
    test = np.flatnonzero(population.present(MONTHS - 1))
    added = history.owned[-1, test] & ~history.owned[-2, test]
    public = np.zeros(test.size, dtype=bool)
    public[rng.permutation(test.size)[: int(round(PUBLIC_SHARE * test.size))]] = True

    codes = np.array(PRODUCT_CODES)
    lines = ["ncodpers,added_products,Usage"]
    for customer, products, is_public in zip(population.ids[test], added, public, strict=True):
        usage = "Public" if is_public else "Private"
        lines.append(f"{customer},{' '.join(codes[products])},{usage}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    logger.info(
        "Wrote %s test customers, %s adding a product, to %s",
        f"{test.size:,}",
        f"{int(added.any(axis=1).sum()):,}",
        path,
    )
    return path


def _write_probabilities(path: Path, population: Population, history: ProductHistory) -> Path:
    product_names = pa.array(PRODUCT_CODES, type=pa.string())
    rows = 0
    with pq.ParquetWriter(path, PROBABILITY_SCHEMA) as parquet:
        for truth in history.truth:
            size = truth.customers.size
            month = pa.array([ALL_MONTHS[truth.month].isoformat()], type=pa.string())
            month_column = pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(size, np.int32)), month
            )
            product_column = pa.DictionaryArray.from_arrays(
                pa.array(truth.products.astype(np.int32)), product_names
            )
            table = pa.Table.from_arrays(
                [
                    month_column.cast(pa.string()),
                    pa.array(population.ids[truth.customers], type=pa.int64()),
                    product_column.cast(pa.string()),
                    pa.array(truth.probability, type=pa.float64()),
                    pa.array(truth.added, type=pa.int8()),
                ],
                schema=PROBABILITY_SCHEMA,
            )
            parquet.write_table(table)
            rows += size
    logger.info("Wrote %s true probabilities to %s", f"{rows:,}", path)
    return path
