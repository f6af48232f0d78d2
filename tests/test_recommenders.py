"""Recommenders on small gold tables with a planted signal: learn it, never offer owned ones."""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from santander_lake.errors import InputError
from santander_lake.evaluate import read_gold
from santander_lake.metrics import map_at_k
from santander_lake.recommenders import (
    PopularityRecommender,
    XGBoostSparkRecommender,
    rank_products,
)
from santander_lake.recommenders.base import feature_columns
from santander_lake.schema import PRODUCT_NAMES
from train_gold import gold_settings, shared_gold_root

TARGET = date(2016, 5, 28)
TRAINING = [date(2015, 5, 28), date(2016, 3, 28), date(2016, 4, 28)]


@pytest.fixture(scope="module")
def gold(
    spark: SparkSession, tmp_path_factory: pytest.TempPathFactory
) -> tuple[DataFrame, DataFrame]:
    root = shared_gold_root(spark, tmp_path_factory)
    return read_gold(spark, gold_settings(root))


@pytest.fixture(scope="module")
def fitted(gold: tuple[DataFrame, DataFrame]) -> dict[str, object]:
    features, labels = gold
    in_training = F.col("month").isin(TRAINING)
    train_features, train_labels = features.filter(in_training), labels.filter(in_training)
    return {
        "xgboost": XGBoostSparkRecommender({"n_estimators": 40}, num_workers=1).fit(
            train_features, train_labels
        ),
        "popularity": PopularityRecommender().fit(train_features, train_labels),
    }


def _target_map(recommender, gold: tuple[DataFrame, DataFrame]) -> float:
    features, labels = gold
    target = features.filter(F.col("month") == TARGET)
    ranking = recommender.recommend(target)
    return map_at_k(ranking, labels.filter(F.col("month") == TARGET), target).map_at_k


def test_class_labels_are_contiguous_over_products_added_in_training(fitted) -> None:
    model = fitted["xgboost"]

    assert model.classes == [
        "current_account",
        "e_account",
        "credit_card",
        "payroll",
        "payroll_pensions",
    ]
    config = model.booster.save_config()
    assert '"num_class":"5"' in config


def test_xgboost_beats_popularity_on_a_learnable_signal(fitted, gold) -> None:
    popularity = _target_map(fitted["popularity"], gold)
    xgboost = _target_map(fitted["xgboost"], gold)

    assert xgboost > popularity + 0.04


def test_no_recommendation_is_a_product_owned_last_month(fitted, gold) -> None:
    features, _ = gold
    target = features.filter(F.col("month") == TARGET)
    ranking = fitted["xgboost"].recommend(target)
    owned = target.select(
        "customer_id",
        F.explode(
            F.array(*[F.when(F.col(f"owned_lag1_{p}") == 1, F.lit(p)) for p in PRODUCT_NAMES])
        ).alias("product"),
    ).filter(F.col("product").isNotNull())

    offered_owned = ranking.join(owned, ["customer_id", "product"])

    assert owned.count() > 0
    assert offered_owned.count() == 0
    deepest = ranking.groupBy("customer_id").agg(F.max("rank").alias("deepest"))
    assert deepest.filter("deepest > 7").count() == 0


def test_booster_from_mlflow_metadata_ranks_like_the_fitted_model(fitted, gold) -> None:
    features, _ = gold
    target = features.filter(F.col("month") == TARGET).limit(200)
    model = fitted["xgboost"]
    rebuilt = XGBoostSparkRecommender.from_booster(model.booster, model.columns, model.classes)

    original = model.recommend(target).select("customer_id", "product", "rank")
    again = rebuilt.recommend(target).select("customer_id", "product", "rank")

    assert original.exceptAll(again).count() == 0


def test_ranking_skips_owned_products_and_orders_by_score(spark: SparkSession) -> None:
    scores = [0.0] * len(PRODUCT_NAMES)
    scores[PRODUCT_NAMES.index("credit_card")] = 0.9
    scores[PRODUCT_NAMES.index("e_account")] = 0.5
    scores[PRODUCT_NAMES.index("payroll")] = 0.7
    owned = [0] * len(PRODUCT_NAMES)
    owned[PRODUCT_NAMES.index("credit_card")] = 1
    scored = spark.createDataFrame(
        [(1, TARGET, owned, scores)],
        "customer_id long, month date, owned array<int>, scores array<double>",
    )

    ranked = rank_products(scored, k=3).orderBy("rank").collect()

    assert [row["product"] for row in ranked] == ["payroll", "e_account", "saving_account"]
    assert [row["rank"] for row in ranked] == [1, 2, 3]


def test_feature_columns_reject_a_text_column(spark: SparkSession) -> None:
    features = spark.createDataFrame(
        [(1, TARGET, "madrid")], "customer_id long, month date, province string"
    )

    with pytest.raises(InputError, match="'province' is string, expected a numeric type"):
        feature_columns(features)
