"""Hyperparameter search for the distributed XGBoost model with hyperopt's TPE.

Each trial is a full distributed fit, so trials run one after another with
plain `Trials` (SparkTrials would run single-machine fits) and each becomes a
nested MLflow run under the caller's active run. Trials are scored on a
validation month before the held-out month, so the held-out score stays honest.
"""

from __future__ import annotations

import itertools
import logging
import math
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import mlflow
import numpy as np
from hyperopt import STATUS_OK, Trials, fmin, hp, space_eval, tpe
from hyperopt.fmin import generate_trials_to_calculate
from pyspark.sql import DataFrame

from santander_lake.evaluate import evaluate_month
from santander_lake.recommenders import XGBoostSparkRecommender

logger = logging.getLogger(__name__)

SEARCH_SPACE: dict[str, Any] = {
    "max_depth": hp.quniform("max_depth", 3, 8, 1),
    "learning_rate": hp.loguniform("learning_rate", math.log(0.03), math.log(0.3)),
    "n_estimators": hp.quniform("n_estimators", 50, 250, 10),
    "min_child_weight": hp.loguniform("min_child_weight", math.log(0.5), math.log(20)),
    "subsample": hp.uniform("subsample", 0.6, 1.0),
    "colsample_bytree": hp.uniform("colsample_bytree", 0.5, 1.0),
    "reg_lambda": hp.loguniform("reg_lambda", math.log(0.1), math.log(10)),
}
INTEGER_PARAMS = ("max_depth", "n_estimators")


@dataclass(frozen=True)
class TuningResult:
    """The best parameters found and their validation MAP@7."""

    params: dict[str, Any]
    map7: float
    trials: int


def as_xgboost_params(sample: dict[str, Any]) -> dict[str, Any]:
    """Hyperopt samples are floats; XGBoost wants some of them as integers."""
    return {k: int(v) if k in INTEGER_PARAMS else float(v) for k, v in sample.items()}


def _within_space(params: dict[str, Any]) -> dict[str, Any]:
    return {k: float(v) for k, v in params.items() if k in SEARCH_SPACE}


def tune_xgboost(
    features: DataFrame,
    labels: DataFrame,
    validation_month: date,
    months: tuple[date, ...],
    max_evals: int,
    num_workers: int,
    start: dict[str, Any] | None = None,
    seed: int = 0,
) -> TuningResult:
    """Run `max_evals` TPE trials, each fitted on `months` and scored on `validation_month`.

    `start` (e.g. the configured defaults) is tried first, on top of the
    `max_evals` TPE trials, so tuning never ends worse than the defaults on the
    validation month.

    Logs one nested MLflow run per trial (params, `map7_validation`, seconds);
    needs an active MLflow run. Reads the gold tables given, writes nothing else.
    """

    counter = itertools.count(1)

    def objective(sample: dict[str, Any]) -> dict[str, Any]:
        params = as_xgboost_params(sample)
        number = next(counter)
        with mlflow.start_run(run_name=f"trial-{number}", nested=True):
            mlflow.log_params(params)
            recommender = XGBoostSparkRecommender(params, num_workers, seed)
            result = evaluate_month(recommender, features, labels, validation_month, months)
            mlflow.log_metrics(
                {"map7_validation": result.score.map_at_k, "seconds": result.seconds}
            )
        logger.info(
            "Trial %d/%d: MAP@7 %.6f on %s in %.1f s",
            number,
            max_evals + (1 if start else 0),
            result.score.map_at_k,
            validation_month,
            result.seconds,
        )
        return {"loss": -result.score.map_at_k, "status": STATUS_OK}

    started = time.perf_counter()
    trials = generate_trials_to_calculate([_within_space(start)]) if start else Trials()
    best = fmin(
        objective,
        SEARCH_SPACE,
        algo=tpe.suggest,
        max_evals=max_evals,
        trials=trials,
        rstate=np.random.default_rng(seed),
        show_progressbar=False,
    )
    params = as_xgboost_params(space_eval(SEARCH_SPACE, best))
    best_map7 = -min(trials.losses())
    logger.info(
        "Tuning done: %d trials in %.1f s, best validation MAP@7 %.6f with %s",
        len(trials.trials),
        time.perf_counter() - started,
        best_map7,
        params,
    )
    return TuningResult(params, best_map7, len(trials.trials))
