"""The command line and the spark-submit jobs expose every stage the same way."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from santander_lake.cli import build_parser, main
from santander_lake.config import PROJECT_ROOT

JOBS = sorted(p.stem for p in (PROJECT_ROOT / "jobs").glob("*.py"))


def test_every_job_script_runs_a_registered_subcommand() -> None:
    subcommands = build_parser()._subparsers._group_actions[0].choices

    assert JOBS, "no job scripts found"
    for job in JOBS:
        assert job in subcommands
        assert (
            f'main(["{job}", *sys.argv[1:]])' in (PROJECT_ROOT / "jobs" / f"{job}.py").read_text()
        )


def test_project_errors_become_exit_code_2_with_the_reason(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    code = main(["--profile", "test", "ingest", "--raw", str(tmp_path), "--month", "2015-03-28"])

    assert code == 2
    assert str(tmp_path) in caplog.text


def test_spark_submit_runs_a_job_script_with_the_project_settings(tmp_path: Path) -> None:
    spark_submit = Path(sys.executable).parent / "spark-submit"
    environment = {
        **os.environ,
        "SANTANDER_LAKE_PROFILE": "test",
        "SANTANDER_LAKE_ROOT": str(tmp_path / "lake"),
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
    }
    out = tmp_path / "raw"

    completed = subprocess.run(
        [
            str(spark_submit),
            str(PROJECT_ROOT / "jobs" / "generate.py"),
            "--customers",
            "200",
            "--seed",
            "3",
            "--out",
            str(out),
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert completed.returncode == 0, completed.stderr[-2000:]
    assert (out / "train_ver2.csv").read_text().startswith('"fecha_dato","ncodpers"')
