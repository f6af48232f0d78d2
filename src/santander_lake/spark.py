"""The one factory for Spark sessions: local by default, Delta configured.

Jobs, notebooks and tests all call `get_spark`; on a cluster the same call
joins the session that spark-submit started.
"""

from __future__ import annotations

import logging
import os
import sys

from pyspark.sql import SparkSession

from santander_lake.config import Settings
from santander_lake.errors import SetupError
from santander_lake.jars import cached_jars, delta_maven_coordinate

logger = logging.getLogger(__name__)


def get_spark(settings: Settings) -> SparkSession:
    """Return the active session, or build one from the settings.

    Local profiles load Delta from the jars cached by `make setup`, so no
    network is needed; the `packages` mode asks Spark to resolve them.
    """
    active = SparkSession.getActiveSession()
    if active is not None:
        return active

    _point_workers_at_this_python()
    builder = SparkSession.builder.appName(settings.spark_app_name)
    if settings.spark_master:
        builder = builder.master(settings.spark_master)
    for key, value in settings.spark_conf.items():
        builder = builder.config(key, value)
    builder = _with_delta_jars(builder, settings)

    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("WARN")
    logger.info(
        "Spark %s session started (master %s)", session.version, session.sparkContext.master
    )
    return session


def _with_delta_jars(builder: SparkSession.Builder, settings: Settings) -> SparkSession.Builder:
    if settings.delta_jars == "packages":
        return builder.config("spark.jars.packages", delta_maven_coordinate())
    if settings.delta_jars != "local":
        choice = settings.delta_jars
        raise SetupError(f"spark.delta_jars must be 'local' or 'packages', not {choice!r}")

    jars = cached_jars(settings.jar_dir)
    if not jars:
        raise SetupError(f"no Delta jars in {settings.jar_dir}: run `make setup` first")
    return builder.config("spark.jars", ",".join(str(jar) for jar in jars))


def _point_workers_at_this_python() -> None:
    """Workers must run the interpreter that holds the project's packages."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
