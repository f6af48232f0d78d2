"""Layered settings: `conf/base.yaml`, then a profile, then the environment.

Settings are loaded once by the caller (CLI, job, notebook, test) and passed
down as a `Settings` object; library functions never read files or the
environment for configuration themselves.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from santander_lake.errors import ConfigError

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PROFILE = "local"

ENV_PROFILE = "SANTANDER_LAKE_PROFILE"
ENV_CONF_DIR = "SANTANDER_LAKE_CONF_DIR"
ENV_LAKE_ROOT = "SANTANDER_LAKE_ROOT"
ENV_RAW_DIR = "SANTANDER_RAW_DIR"
ENV_TRACKING_URI = "MLFLOW_TRACKING_URI"


@dataclass(frozen=True)
class Settings:
    """Everything a job needs to know about where things are and how to run."""

    profile: str
    lake_root: str
    raw_dir: str
    jar_dir: str
    mlflow_tracking_uri: str
    mlflow_experiment: str
    registered_model: str
    spark_app_name: str
    spark_master: str | None
    delta_jars: str
    spark_conf: dict[str, str] = field(default_factory=dict)
    generate: dict[str, Any] = field(default_factory=dict)
    silver: dict[str, Any] = field(default_factory=dict)
    gold: dict[str, Any] = field(default_factory=dict)
    train: dict[str, Any] = field(default_factory=dict)

    def table_path(self, layer: str, name: str) -> str:
        """Where the Delta table `<layer>/<name>` lives in the lake."""
        return f"{self.lake_root.rstrip('/')}/{layer}/{name}"


def load_settings(
    profile: str | None = None,
    conf_dir: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> Settings:
    """Read base.yaml, merge the profile over it, then the environment.

    `overrides` (nested like the YAML) win over everything; tests use them to
    point the lake at a temporary folder.
    """
    profile = profile or os.environ.get(ENV_PROFILE, DEFAULT_PROFILE)
    conf_dir = Path(conf_dir or os.environ.get(ENV_CONF_DIR, PROJECT_ROOT / "conf"))

    merged = _read_yaml(conf_dir / "base.yaml")
    merged = _deep_merge(merged, _read_yaml(conf_dir / f"{profile}.yaml"))
    merged = _deep_merge(merged, _environment_overrides())
    merged = _deep_merge(merged, overrides or {})

    settings = _to_settings(profile, merged)
    logger.debug("Loaded settings for profile %s: lake at %s", profile, settings.lake_root)
    return settings


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"settings file not found: {path}")
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(content, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return content


def _environment_overrides() -> dict[str, Any]:
    paths = {}
    if ENV_LAKE_ROOT in os.environ:
        paths["lake_root"] = os.environ[ENV_LAKE_ROOT]
    if ENV_RAW_DIR in os.environ:
        paths["raw_dir"] = os.environ[ENV_RAW_DIR]
    result: dict[str, Any] = {"paths": paths}
    if ENV_TRACKING_URI in os.environ:
        result["mlflow"] = {"tracking_uri": os.environ[ENV_TRACKING_URI]}
    return result


def _deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _to_settings(profile: str, raw: dict[str, Any]) -> Settings:
    paths = raw.get("paths", {})
    mlflow = raw.get("mlflow", {})
    spark = raw.get("spark", {})
    try:
        return Settings(
            profile=profile,
            lake_root=_resolve(paths["lake_root"]),
            raw_dir=_resolve(paths["raw_dir"]),
            jar_dir=_resolve(paths["jar_dir"]),
            mlflow_tracking_uri=_resolve_uri(mlflow["tracking_uri"]),
            mlflow_experiment=mlflow["experiment"],
            registered_model=mlflow["registered_model"],
            spark_app_name=spark["app_name"],
            spark_master=spark.get("master"),
            delta_jars=spark.get("delta_jars", "local"),
            spark_conf={k: str(v) for k, v in spark.get("conf", {}).items()},
            generate=dict(raw.get("generate", {})),
            silver=dict(raw.get("silver", {})),
            gold=dict(raw.get("gold", {})),
            train=dict(raw.get("train", {})),
        )
    except KeyError as missing:
        message = f"setting {missing.args[0]!r} is missing for profile {profile}"
        raise ConfigError(message) from None


def _resolve(path: str) -> str:
    """Make a relative local path absolute against the project root."""
    if "://" in path or path.startswith(("dbfs:", "s3", "abfss:", "gs:")):
        return path
    candidate = Path(path).expanduser()
    return str(candidate if candidate.is_absolute() else PROJECT_ROOT / candidate)


def _resolve_uri(uri: str) -> str:
    """Anchor a relative `sqlite:///file.db` tracking store at the project root."""
    prefix = "sqlite:///"
    if uri.startswith(prefix) and not uri.startswith(prefix + "/"):
        return prefix + _resolve(uri[len(prefix) :])
    return uri
