"""Shared fixtures: one Spark session with Delta for the whole run, a fresh lake per use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from santander_lake.config import Settings, load_settings
from santander_lake.spark import get_spark


@pytest.fixture(scope="session")
def base_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Test-profile settings whose lake and MLflow store live in a temporary folder."""
    root = tmp_path_factory.mktemp("lake-base")
    return _settings_under(root)


@pytest.fixture(scope="session")
def spark(base_settings: Settings) -> Iterator[SparkSession]:
    """The single local Spark session, with Delta, shared by every test."""
    session = get_spark(base_settings)
    yield session
    session.stop()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at an empty lake of this test's own."""
    return _settings_under(tmp_path)


def _settings_under(root: Path) -> Settings:
    return load_settings(
        profile="test",
        overrides={
            "paths": {"lake_root": str(root / "lake"), "raw_dir": str(root / "raw")},
            "mlflow": {"tracking_uri": f"sqlite:///{root / 'mlflow.db'}"},
        },
    )
