"""A month ingestion killed while writing leaves bronze as it was; a rerun completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from pyspark.sql import SparkSession

from santander_lake.config import PROJECT_ROOT
from santander_lake.ingest import TRAIN, bronze_path, ingest_month
from santander_lake.ingest_log import read_ingestions
from test_ingest import FEB, JAN, kaggle_line, settings_at, write_train_file

# Enough rows that writing the month takes seconds, so the kill lands mid-write.
BIG_MONTH_ROWS = 60_000
WAIT_SECONDS = 300


def big_month_lines() -> list[str]:
    rest = kaggle_line(FEB, 0).split(",", 2)[2]
    return [f"2015-02-28,{customer},{rest}" for customer in range(BIG_MONTH_ROWS)]


def kill_when_data_files_appear(process: subprocess.Popen, partition: Path) -> list[Path]:
    """SIGKILL the process group as soon as the month's first data file exists."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        written = list(partition.glob("*.parquet")) if partition.is_dir() else []
        if written:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return written
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return []


def test_killed_month_leaves_table_unchanged_and_rerun_completes(
    spark: SparkSession, tmp_path: Path
) -> None:
    raw_dir = tmp_path / "raw"
    write_train_file(raw_dir, [kaggle_line(JAN, c) for c in range(5)] + big_month_lines())
    settings = settings_at(tmp_path)
    ingest_month(spark, settings, raw_dir, JAN)
    table = bronze_path(settings, TRAIN)
    version_before = spark.sql(f"DESCRIBE HISTORY delta.`{table}`").first()["version"]

    log_file = tmp_path / "killed-ingest.log"
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            [
                str(PROJECT_ROOT / ".venv" / "bin" / "santander-lake"),
                "ingest",
                "--raw",
                str(raw_dir),
                "--month",
                FEB.isoformat(),
            ],
            env={
                **os.environ,
                "SANTANDER_LAKE_ROOT": settings.lake_root,
                "SANTANDER_LAKE_PROFILE": "test",
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        written = kill_when_data_files_appear(process, Path(table) / "_month=2015-02-28")

    assert written, f"no data file appeared before the job ended:\n{log_file.read_text()}"
    assert process.returncode == -signal.SIGKILL
    history = spark.sql(f"DESCRIBE HISTORY delta.`{table}`")
    assert history.first()["version"] == version_before
    bronze = spark.read.format("delta").load(table)
    assert [r["_month"] for r in bronze.select("_month").distinct().collect()] == [JAN]
    assert bronze.count() == 5
    assert [r.month for r in read_ingestions(spark, settings)] == [JAN]

    ingest_month(spark, settings, raw_dir, FEB)

    bronze = spark.read.format("delta").load(table)
    assert bronze.where("_month = DATE'2015-02-28'").count() == BIG_MONTH_ROWS
    assert bronze.count() == BIG_MONTH_ROWS + 5
    assert [r.month for r in read_ingestions(spark, settings)] == [JAN, FEB]
