"""MAP@7 exactly as Kaggle scores it, in Python and in Spark, and its split by product."""

from __future__ import annotations

from datetime import date

import pytest
from pyspark.sql import SparkSession

from santander_lake.metrics import (
    average_precision_at_k,
    map_at_k,
    mean_average_precision_at_k,
)

MONTH = date(2016, 5, 28)


@pytest.mark.parametrize(
    ("actual", "predicted", "expected"),
    [
        ({"a", "b"}, ["a", "x", "b"], (1 / 1 + 2 / 3) / 2),
        (set(), ["a", "b"], 0.0),
        ({"a"}, ["x", "a"], 1 / 2),
        ({"a", "b", "c"}, ["c"], 1 / 3),
        ({"a"}, [], 0.0),
        ({"h"}, ["q", "r", "s", "t", "u", "v", "w", "h"], 0.0),
        ({"a", "a2", "b", "c", "d", "e", "f", "g"}, ["a", "b", "c", "d", "e", "f", "g"], 1.0),
        ({"a", "b", "c", "d", "e", "f", "g", "h"}, ["a", "b", "c", "d", "e", "f", "x"], 6 / 7),
        ({"a", "b"}, ["a", "a", "b"], (1 + 2 / 3) / 2),
    ],
    ids=[
        "two-hits-one-miss",
        "no-additions-scores-zero",
        "fewer-than-seven-predictions",
        "divides-by-m-when-m-below-seven",
        "no-predictions",
        "hit-after-rank-seven-ignored",
        "m-above-seven-divides-by-seven",
        "m-above-seven-one-miss",
        "repeated-prediction-counts-once",
    ],
)
def test_average_precision_matches_hand_computed_cases(
    actual: set[str], predicted: list[str], expected: float
) -> None:
    assert average_precision_at_k(actual, predicted) == pytest.approx(expected)


def test_customers_without_additions_stay_in_the_mean() -> None:
    actual = {1: {"a"}}
    predicted = {1: ["a"], 2: ["a"], 3: ["b"]}

    assert mean_average_precision_at_k(actual, predicted, [1, 2, 3, 4]) == pytest.approx(1 / 4)


def test_spark_map_matches_python_and_splits_exactly_by_product(spark: SparkSession) -> None:
    predicted = {
        1: ["a", "x", "b"],
        2: ["x", "a"],
        3: ["a", "b"],
        4: ["c"],
        5: ["a", "b", "c", "d", "e", "f", "g", "h"],
    }
    actual = {1: {"a", "b"}, 2: {"a"}, 4: {"b", "c", "d"}, 5: {"h"}, 6: {"a"}}
    population = [1, 2, 3, 4, 5, 6, 7]
    ranking = spark.createDataFrame(
        [
            (c, MONTH, p, float(-r), r)
            for c, ps in predicted.items()
            for r, p in enumerate(ps, start=1)
        ],
        "customer_id long, month date, product string, score double, rank int",
    )
    labels = spark.createDataFrame(
        [(c, MONTH, p) for c, ps in actual.items() for p in sorted(ps)],
        "customer_id long, month date, product string",
    )
    customers = spark.createDataFrame(
        [(c, MONTH) for c in population], "customer_id long, month date"
    )

    score = map_at_k(ranking, labels, customers)

    expected = mean_average_precision_at_k(actual, predicted, population)
    assert score.map_at_k == pytest.approx(expected)
    assert score.customers == 7
    assert score.customers_with_additions == 5
    assert sum(score.per_product.values()) == pytest.approx(score.map_at_k)
    # a: (1/1)/2 for customer 1 + (1/2)/1 for customer 2; b: (2/3)/2; c: (1/1)/3; over 7
    assert score.per_product["a"] == pytest.approx(1.0 / 7)
    assert score.per_product["b"] == pytest.approx((2 / 3) / 2 / 7)
    assert score.per_product["c"] == pytest.approx((1 / 3) / 7)
    assert "h" not in score.per_product
