"""Synthetic Santander data in the exact Kaggle format, with the truth behind it.

`generate_dataset` simulates customers month by month (population.py, products.py)
and writes the competition files (writer.py) and the answer key (truth_files.py).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from santander_lake.generate.population import build_population
from santander_lake.generate.products import simulate_products
from santander_lake.generate.truth_files import write_truth
from santander_lake.generate.writer import (
    format_customers,
    remove_other_form,
    write_sample_submission,
    write_test,
    write_train,
)
from santander_lake.schema import SUBMISSION_FILE, TEST_FILE, TRAIN_FILE

logger = logging.getLogger(__name__)

__all__ = ["GeneratedDataset", "generate_dataset"]


@dataclass(frozen=True)
class GeneratedDataset:
    """What one run wrote: file paths by name, row counts and the time taken."""

    out_dir: Path
    files: dict[str, Path]
    customers: int
    train_rows: int
    test_rows: int
    seconds: float


def generate_dataset(
    out_dir: str | Path, customers: int, seed: int, zipped: bool = False
) -> GeneratedDataset:
    """Write train_ver2.csv, test_ver2.csv, sample_submission.csv (or their .zip) and truth/.

    Deterministic for a seed: a second run with the same arguments rewrites the
    same bytes, so the command is idempotent. Files of the other form (plain or
    zipped) left in `out_dir` by an earlier run are removed.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    population_rng, products_rng, writer_rng, truth_rng = (
        np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(4)
    )

    population = build_population(customers, population_rng)
    history = simulate_products(population, products_rng)
    text = format_customers(population)
    remove_other_form(out, zipped)
    train_rows = write_train(
        out, population, text, history.owned, history.active, zipped, writer_rng
    )
    test_ids = write_test(out, population, text, history.active, zipped, writer_rng)
    write_sample_submission(out, test_ids, zipped)
    truth = write_truth(out, population, history, truth_rng)

    suffix = ".zip" if zipped else ""
    files = {name: out / f"{name}{suffix}" for name in (TRAIN_FILE, TEST_FILE, SUBMISSION_FILE)}
    dataset = GeneratedDataset(
        out_dir=out,
        files={**files, **truth},
        customers=customers,
        train_rows=train_rows,
        test_rows=int(test_ids.size),
        seconds=time.perf_counter() - started,
    )
    logger.info(
        "Generated %s customers: %s train rows, %s test rows in %s in %.1f s",
        f"{customers:,}",
        f"{train_rows:,}",
        f"{dataset.test_rows:,}",
        out,
        dataset.seconds,
    )
    return dataset
