"""Resolve Delta Lake's jar once, cache it, and hand it to every session offline.

`make setup` calls `cache_delta_jars`, which lets Spark's own Maven resolver
fetch the jar matching the installed `delta-spark` and `pyspark`, then keeps
only Delta's own jars (Spark already ships the rest) in the jar folder.
"""

from __future__ import annotations

import importlib.metadata
import logging
import shutil
import tempfile
from pathlib import Path

import pyspark

logger = logging.getLogger(__name__)

SCALA_VERSION = "2.13"


def delta_maven_coordinate() -> str:
    """The Maven coordinate of the Delta jar that fits the installed packages."""
    spark_minor = ".".join(pyspark.__version__.split(".")[:2])
    delta_version = importlib.metadata.version("delta-spark")
    return f"io.delta:delta-spark_{spark_minor}_{SCALA_VERSION}:{delta_version}"


def cached_jars(jar_dir: str | Path) -> list[Path]:
    """The Delta jars in the cache folder; empty when setup has not run."""
    folder = Path(jar_dir)
    return sorted(folder.glob("io.delta_*.jar")) if folder.is_dir() else []


def cache_delta_jars(jar_dir: str | Path) -> list[Path]:
    """Fetch Delta's jars into `jar_dir` unless they are there already.

    Idempotent: a folder that holds the jar of the installed version is kept.
    """
    folder = Path(jar_dir)
    coordinate = delta_maven_coordinate()
    expected = _jar_file_name(coordinate)
    if (folder / expected).is_file():
        logger.info("Delta jar already cached: %s", folder / expected)
        return cached_jars(folder)

    with tempfile.TemporaryDirectory() as ivy_home:
        _resolve_with_spark(coordinate, ivy_home)
        resolved = sorted(Path(ivy_home, "jars").glob("io.delta_*.jar"))
        if not any(jar.name == expected for jar in resolved):
            raise RuntimeError(f"Maven did not serve {coordinate}")
        folder.mkdir(parents=True, exist_ok=True)
        for stale in cached_jars(folder):
            stale.unlink()
        for jar in resolved:
            shutil.copy2(jar, folder / jar.name)

    logger.info("Cached %d Delta jars for %s in %s", len(resolved), coordinate, folder)
    return cached_jars(folder)


def _jar_file_name(coordinate: str) -> str:
    group, artifact, version = coordinate.split(":")
    return f"{group}_{artifact}-{version}.jar"


def _resolve_with_spark(coordinate: str, ivy_home: str) -> None:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[1]")
        .appName("santander-lake-resolve-jars")
        .config("spark.jars.packages", coordinate)
        .config("spark.jars.ivy", ivy_home)
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    session.stop()
