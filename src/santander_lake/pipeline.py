"""The main job: raw files to bronze, silver, gold and a trained, evaluated model.

Each stage is the same function its own command runs; this module only chains
them in one Spark session and logs how long each took.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pyspark.sql import SparkSession

from santander_lake.config import Settings
from santander_lake.features import build_gold
from santander_lake.ingest import ingest_all, ingest_test
from santander_lake.silver import build_silver
from santander_lake.train import TrainResult, train, train_options

logger = logging.getLogger(__name__)

T = TypeVar("T")


def run_pipeline(
    spark: SparkSession,
    settings: Settings,
    raw_dir: str | Path,
    max_evals: int | None = None,
) -> TrainResult:
    """Ingest every month of `raw_dir`, rebuild silver and gold, then train and evaluate.

    Idempotent like its stages: months already ingested from the same file are
    skipped, silver and gold months are replaced, and training adds one MLflow run.
    """
    started = time.perf_counter()

    _timed("ingest train", lambda: ingest_all(spark, settings, raw_dir))
    _timed("ingest test", lambda: ingest_test(spark, settings, raw_dir))
    _timed("silver", lambda: build_silver(spark, settings))
    _timed("gold", lambda: build_gold(spark, settings))
    options = train_options(settings, max_evals=max_evals)
    result = _timed("train", lambda: train(spark, settings, options, raw_dir=raw_dir))

    logger.info(
        "Pipeline finished in %.1f s; held-out metrics: %s",
        time.perf_counter() - started,
        ", ".join(f"{k}={v:.5f}" for k, v in sorted(result.metrics.items()) if "map7" in k),
    )
    return result


def _timed(stage: str, work: Callable[[], T]) -> T:
    logger.info("Stage %s started", stage)
    started = time.perf_counter()
    result = work()
    logger.info("Stage %s done in %.1f s", stage, time.perf_counter() - started)
    return result
