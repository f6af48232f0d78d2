"""A full training run on small gold tables: tuned, evaluated, tracked in a real MLflow store."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import mlflow
import pytest
from mlflow import MlflowClient
from pyspark.sql import SparkSession

from santander_lake.cli import build_parser
from santander_lake.errors import ConfigError
from santander_lake.evaluate import training_months
from santander_lake.train import TrainResult, train, train_options
from train_gold import gold_settings, shared_gold_root


@pytest.fixture(scope="module")
def trained(
    spark: SparkSession, tmp_path_factory: pytest.TempPathFactory
) -> tuple[TrainResult, Path]:
    root = shared_gold_root(spark, tmp_path_factory)
    store = tmp_path_factory.mktemp("train-mlflow")
    settings = gold_settings(root, store)
    options = dataclasses.replace(train_options(settings), max_evals=1)
    result = train(spark, settings, options, raw_dir=root / "raw")
    return result, store


def test_training_months_are_recent_months_plus_the_year_before() -> None:
    available = [date(2015, m, 28) for m in range(2, 13)] + [
        date(2016, m, 28) for m in range(1, 6)
    ]

    months = training_months(date(2016, 5, 28), 3, True, available)

    assert months == (date(2015, 5, 28), date(2016, 2, 28), date(2016, 3, 28), date(2016, 4, 28))
    assert training_months(date(2016, 6, 28), 2, False, available) == (
        date(2016, 4, 28),
        date(2016, 5, 28),
    )


def test_model_beats_popularity_and_nears_the_oracle_on_the_held_out_month(trained) -> None:
    metrics = trained[0].metrics

    assert metrics["map7_model"] > metrics["map7_popularity"] + 0.04
    assert metrics["map7_sklearn"] > metrics["map7_popularity"] + 0.04
    assert metrics["map7_oracle"] >= 0.2
    assert metrics["map7_ratio_to_oracle"] >= 0.9
    assert metrics["map7_ratio_to_oracle"] == pytest.approx(
        metrics["map7_model"] / metrics["map7_oracle"]
    )


def test_run_records_params_inputs_folds_trials_and_artifacts(trained) -> None:
    result, store = trained
    client = MlflowClient(f"sqlite:///{store / 'mlflow.db'}")
    run = client.get_run(result.run_id)

    assert run.data.params["target_month"] == "2016-05-28"
    assert run.data.params["training_months"] == "2015-05-28,2016-03-28,2016-04-28"
    for name in ("map7_model", "map7_popularity", "map7_oracle", "cv_map7_2016-04-28"):
        assert name in run.data.metrics
    assert run.data.params["gold_features_version"] == "0"
    inputs = {d.dataset.name: d for d in run.inputs.dataset_inputs}
    features = inputs["gold_features@v0"]
    assert "gold/features" in features.dataset.source
    assert {t.key: t.value for t in features.tags}["delta_version"] == "0"

    trials = client.search_runs(
        [run.info.experiment_id], f"tags.mlflow.parentRunId = '{result.run_id}'"
    )
    # the configured parameters first, then one TPE trial
    assert len(trials) == 2
    assert all("map7_validation" in t.data.metrics for t in trials)

    artifacts = Path(
        mlflow.artifacts.download_artifacts(
            run_id=result.run_id, tracking_uri=f"sqlite:///{store / 'mlflow.db'}"
        )
    )
    assert (artifacts / "evaluation" / "per_product_map7.csv").is_file()
    assert (artifacts / "evaluation" / "per_product_map7.png").is_file()
    assert (artifacts / "model_insights" / "feature_importance.png").is_file()
    assert str(store) in run.info.artifact_uri
    versions = client.search_model_versions("name = 'santander-recommender'")
    assert len(versions) == 1


def test_logged_booster_loads_back_for_serving(trained) -> None:
    result, store = trained
    mlflow.set_tracking_uri(f"sqlite:///{store / 'mlflow.db'}")

    booster = mlflow.xgboost.load_model("models:/santander-recommender/1")

    assert booster.num_features() == len(result.model.columns)
    assert f'"num_class":"{len(result.model.classes)}"' in booster.save_config()


def test_cli_options_override_the_configured_target_and_budget(tmp_path: Path) -> None:
    settings = gold_settings(tmp_path)
    args = build_parser().parse_args(
        ["train", "--target-month", "2016-04-28", "--max-evals", "0", "--cv-months"]
    )

    options = train_options(settings, args.target_month, args.max_evals, args.cv_months)

    assert options.target_month == date(2016, 4, 28)
    assert options.max_evals == 0
    assert options.cv_months == ()
    assert options.months_back == 2


def test_a_target_month_without_labels_is_refused(spark: SparkSession, tmp_path_factory) -> None:
    root = shared_gold_root(spark, tmp_path_factory)
    settings = gold_settings(root, tmp_path_factory.mktemp("refused"))
    options = train_options(settings, target_month="2016-06-28")

    with pytest.raises(ConfigError, match="target month 2016-06-28 has no gold labels"):
        train(spark, settings, options)


def test_a_month_off_the_28th_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'2016-05-01' must fall on the 28th"):
        train_options(gold_settings(tmp_path), target_month="2016-05-01")
