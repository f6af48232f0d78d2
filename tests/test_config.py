"""Layered settings: base, then profile, then environment, then explicit overrides."""

from pathlib import Path

import pytest

from santander_lake.config import PROJECT_ROOT, load_settings
from santander_lake.errors import ConfigError


def test_local_profile_resolves_relative_paths_against_the_project_root() -> None:
    settings = load_settings(profile="local")

    assert settings.lake_root == str(PROJECT_ROOT / "lake")
    assert settings.spark_master == "local[*]"
    assert settings.mlflow_tracking_uri == f"sqlite:///{PROJECT_ROOT / 'mlflow.db'}"


def test_cluster_profile_overrides_base_and_keeps_the_rest() -> None:
    settings = load_settings(profile="cluster")

    assert settings.lake_root.startswith("dbfs:")
    assert settings.delta_jars == "packages"
    assert settings.spark_conf["spark.sql.extensions"] == "io.delta.sql.DeltaSparkSessionExtension"


def test_environment_wins_over_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SANTANDER_LAKE_ROOT", str(tmp_path / "lake"))
    monkeypatch.setenv("SANTANDER_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000")

    settings = load_settings(profile="local")

    assert settings.lake_root == str(tmp_path / "lake")
    assert settings.raw_dir == str(tmp_path / "raw")
    assert settings.mlflow_tracking_uri == "http://127.0.0.1:5000"
    assert settings.table_path("bronze", "train") == f"{tmp_path / 'lake'}/bronze/train"


def test_unknown_profile_names_the_missing_file() -> None:
    with pytest.raises(ConfigError, match="nowhere.yaml"):
        load_settings(profile="nowhere")
