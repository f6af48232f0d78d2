"""Training run: tune, refit, evaluate against the baselines and the oracle, log to MLflow.

One parent MLflow run per call holds the settings, the gold tables (Delta path
and version) as inputs, the held-out scores (`map7_model`, `map7_popularity`,
`map7_sklearn`, and on generated data `map7_oracle`, `map7_ratio_to_oracle`),
one metric per cross-validation fold, plots, and the fitted booster (registered
under the settings' model name). Hyperopt trials are nested runs.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import mlflow
import mlflow.xgboost
import pandas as pd
from delta.tables import DeltaTable
from matplotlib.figure import Figure
from mlflow.data.delta_dataset_source import DeltaDatasetSource
from mlflow.data.meta_dataset import MetaDataset
from mlflow.types import ColSpec, Schema
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import StructType

from santander_lake.config import Settings
from santander_lake.errors import ConfigError
from santander_lake.evaluate import (
    MonthEvaluation,
    evaluate_month,
    label_months,
    oracle_score,
    read_gold,
    rolling_cv,
    shift_month,
    training_months,
    truth_available,
)
from santander_lake.recommenders import (
    PopularityRecommender,
    SklearnRecommender,
    XGBoostSparkRecommender,
)
from santander_lake.recommenders.xgboost_spark import DEFAULT_PARAMS
from santander_lake.tune import tune_xgboost

logger = logging.getLogger(__name__)

TOP_FEATURES = 25


@dataclass(frozen=True)
class TrainOptions:
    """What one training run does; built from `settings.train` and the command line."""

    target_month: date
    months_back: int
    include_year_before: bool
    cv_months: tuple[date, ...]
    max_evals: int
    num_workers: int
    seed: int
    xgboost_params: dict[str, Any] = field(default_factory=dict)
    sklearn_params: dict[str, Any] = field(default_factory=dict)
    sklearn_max_rows: int = 200_000


@dataclass(frozen=True)
class TrainResult:
    """The parent run's id, its metrics and the refitted model."""

    run_id: str
    metrics: dict[str, float]
    params: dict[str, Any]
    model: XGBoostSparkRecommender


def train_options(
    settings: Settings,
    target_month: str | date | None = None,
    max_evals: int | None = None,
    cv_months: list[str] | None = None,
) -> TrainOptions:
    """Options from `settings.train`, with the given arguments winning."""
    config = settings.train
    try:
        return TrainOptions(
            target_month=_month(target_month or config["target_month"]),
            months_back=int(config.get("months_back", 4)),
            include_year_before=bool(config.get("include_year_before", True)),
            cv_months=tuple(
                _month(m)
                for m in (cv_months if cv_months is not None else config.get("cv_months", []))
            ),
            max_evals=int(max_evals if max_evals is not None else config.get("max_evals", 0)),
            num_workers=int(config.get("num_workers", 1)),
            seed=int(config.get("seed", 0)),
            xgboost_params={**DEFAULT_PARAMS, **config.get("xgboost", {})},
            sklearn_params=dict(config.get("sklearn", {})),
            sklearn_max_rows=int(config.get("sklearn_max_rows", 200_000)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"train settings are invalid: {error}") from None


def train(
    spark: SparkSession,
    settings: Settings,
    options: TrainOptions,
    raw_dir: str | Path | None = None,
) -> TrainResult:
    """Tune on the month before the target, refit, score the target month, log everything.

    Reads `<lake>/gold/features`, `<lake>/gold/labels` and, when `raw_dir` holds
    the generator's truth, its true probabilities. Writes one MLflow parent run
    (plus nested trial runs) and a new version of the registered model; running
    it again adds another run, nothing in the lake changes.
    """
    started = time.perf_counter()
    features, labels = read_gold(spark, settings)
    available = label_months(labels)
    target = options.target_month
    months = training_months(target, options.months_back, options.include_year_before, available)
    if target not in available:
        raise ConfigError(f"target month {target} has no gold labels; pick one of {available}")

    _use_experiment(settings)
    with mlflow.start_run(run_name=f"train-{target.isoformat()}") as run:
        _log_settings(options, months)
        _log_gold_inputs(spark, settings)
        features.cache()
        labels.cache()

        params = dict(options.xgboost_params)
        if options.max_evals > 0:
            params = _tune(features, labels, options, available, params)
        mlflow.log_params({f"xgb_{k}": v for k, v in params.items()})

        def xgboost_model() -> XGBoostSparkRecommender:
            return XGBoostSparkRecommender(params, options.num_workers, options.seed)

        evaluations = {
            "model": evaluate_month(xgboost_model(), features, labels, target, months),
            "popularity": evaluate_month(
                PopularityRecommender(), features, labels, target, months
            ),
            "sklearn": evaluate_month(
                SklearnRecommender(options.sklearn_params, options.sklearn_max_rows, options.seed),
                features,
                labels,
                target,
                months,
            ),
        }
        metrics = {f"map7_{name}": e.score.map_at_k for name, e in evaluations.items()}
        metrics["train_seconds"] = evaluations["model"].seconds
        per_product = {name: e.score.per_product for name, e in evaluations.items()}

        if truth_available(raw_dir):
            oracle = oracle_score(spark, raw_dir, features, labels, target)
            metrics["map7_oracle"] = oracle.map_at_k
            metrics["map7_ratio_to_oracle"] = (
                metrics["map7_model"] / oracle.map_at_k if oracle.map_at_k else 0.0
            )
            per_product["oracle"] = oracle.per_product
        metrics["customers_heldout"] = evaluations["model"].score.customers
        metrics["customers_with_additions_heldout"] = evaluations[
            "model"
        ].score.customers_with_additions
        mlflow.log_metrics(metrics)

        metrics.update(_cross_validate(features, labels, options, xgboost_model))
        model = evaluations["model"].recommender
        _log_artifacts(model, per_product)
        _log_model(model, settings)
        features.unpersist()
        labels.unpersist()

        metrics["total_seconds"] = time.perf_counter() - started
        mlflow.log_metric("total_seconds", metrics["total_seconds"])
        logger.info(
            "Training run %s for %s done in %.1f s: %s",
            run.info.run_id,
            target,
            metrics["total_seconds"],
            ", ".join(f"{k} {v:.6f}" for k, v in metrics.items() if k.startswith("map7")),
        )
        return TrainResult(run.info.run_id, metrics, params, model)


def _month(value: str | date) -> date:
    if isinstance(value, date):
        return value
    try:
        month = date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"month {value!r} is not a date like 2016-05-28") from None
    if month.day != 28:
        raise ConfigError(f"month {value!r} must fall on the 28th")
    return month


def _use_experiment(settings: Settings) -> None:
    """Point MLflow at the settings' store; new experiments keep artifacts beside it."""
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    if mlflow.get_experiment_by_name(settings.mlflow_experiment) is None:
        mlflow.create_experiment(
            settings.mlflow_experiment, artifact_location=_artifact_location(settings)
        )
    mlflow.set_experiment(settings.mlflow_experiment)


def _artifact_location(settings: Settings) -> str | None:
    prefix = "sqlite:///"
    uri = settings.mlflow_tracking_uri
    if uri.startswith(prefix):
        return (Path(uri[len(prefix) :]).parent / "mlruns").as_uri()
    return None


def _log_settings(options: TrainOptions, months: tuple[date, ...]) -> None:
    mlflow.log_params(
        {
            "target_month": options.target_month.isoformat(),
            "training_months": ",".join(m.isoformat() for m in months),
            "months_back": options.months_back,
            "include_year_before": options.include_year_before,
            "cv_months": ",".join(m.isoformat() for m in options.cv_months),
            "max_evals": options.max_evals,
            "num_workers": options.num_workers,
            "seed": options.seed,
        }
    )


def _log_gold_inputs(spark: SparkSession, settings: Settings) -> None:
    """Both gold tables as MLflow inputs: Delta path, version and schema, no data read."""
    for name, context in (("features", "training"), ("labels", "targets")):
        path = settings.table_path("gold", name)
        table = DeltaTable.forPath(spark, path)
        version = table.history(1).first()["version"]
        dataset = MetaDataset(
            DeltaDatasetSource(path=path, delta_table_version=version),
            name=f"gold_{name}@v{version}",
            schema=_mlflow_schema(table.toDF().schema),
        )
        # The source drops a version of 0 when serialised, so the tag keeps it too.
        mlflow.log_input(dataset, context=context, tags={"delta_version": str(version)})
        mlflow.log_params({f"gold_{name}_path": path, f"gold_{name}_version": version})


def _mlflow_schema(schema: StructType) -> Schema:
    kinds = {
        "int": "integer",
        "bigint": "long",
        "double": "double",
        "float": "float",
        "date": "datetime",
        "timestamp": "datetime",
        "boolean": "boolean",
    }
    return Schema(
        [ColSpec(kinds.get(f.dataType.simpleString(), "string"), f.name) for f in schema.fields]
    )


def _tune(
    features: DataFrame,
    labels: DataFrame,
    options: TrainOptions,
    available: list[date],
    defaults: dict[str, Any],
) -> dict[str, Any]:
    validation = shift_month(options.target_month, -1)
    months = training_months(
        validation, options.months_back, options.include_year_before, available
    )
    result = tune_xgboost(
        features,
        labels,
        validation,
        months,
        options.max_evals,
        options.num_workers,
        start=defaults,
        seed=options.seed,
    )
    mlflow.log_params({"tuning_validation_month": validation.isoformat()})
    mlflow.log_metric("tuning_best_map7_validation", result.map7)
    return {**defaults, **result.params}


def _cross_validate(
    features: DataFrame,
    labels: DataFrame,
    options: TrainOptions,
    xgboost_model: Callable[[], XGBoostSparkRecommender],
) -> dict[str, float]:
    """Rolling folds for the model and the baseline; one metric per fold month."""
    if not options.cv_months:
        return {}
    metrics: dict[str, float] = {}
    for name, factory in (("", xgboost_model), ("popularity_", PopularityRecommender)):
        folds: list[MonthEvaluation] = rolling_cv(
            factory,
            features,
            labels,
            options.cv_months,
            options.months_back,
            options.include_year_before,
        )
        for fold in folds:
            metrics[f"cv_map7_{name}{fold.month.isoformat()}"] = fold.score.map_at_k
        metrics[f"cv_map7_{name}mean"] = sum(f.score.map_at_k for f in folds) / len(folds)
    mlflow.log_metrics(metrics)
    return metrics


def _log_artifacts(
    model: XGBoostSparkRecommender, per_product: dict[str, dict[str, float]]
) -> None:
    """Per-product contributions (CSV + bar chart) and the top features by gain."""
    table = pd.DataFrame(per_product).fillna(0.0).rename_axis("product").sort_index()
    table = table.sort_values(table.columns[0], ascending=False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "per_product_map7.csv"
        table.to_csv(path)
        mlflow.log_artifact(str(path), "evaluation")

    mlflow.log_figure(
        _bar_chart(table, "MAP@7 contribution per product (held-out month)"),
        "evaluation/per_product_map7.png",
    )
    importance = model.feature_importance()
    top = pd.DataFrame(
        {"total_gain": list(importance.values())[:TOP_FEATURES]},
        index=list(importance)[:TOP_FEATURES],
    )
    mlflow.log_figure(
        _bar_chart(top, "XGBoost feature importance (total gain)"),
        "model_insights/feature_importance.png",
    )
    mlflow.log_dict(importance, "model_insights/feature_importance.json")


def _bar_chart(table: pd.DataFrame, title: str) -> Figure:
    figure = Figure(figsize=(9, 0.3 * len(table) + 1.5))
    axes = figure.add_subplot()
    table.iloc[::-1].plot.barh(ax=axes)
    axes.set_title(title)
    figure.tight_layout()
    return figure


def _log_model(model: XGBoostSparkRecommender, settings: Settings) -> None:
    """The native booster with what scoring needs: feature order and class -> product."""
    metadata = {"feature_columns": model.columns, "classes": model.classes}
    mlflow.log_dict(metadata, "model_insights/scoring_metadata.json")
    mlflow.xgboost.log_model(
        model.booster,
        name="model",
        registered_model_name=settings.registered_model,
        metadata={"scoring": json.dumps(metadata)},
    )
