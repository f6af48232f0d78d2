"""The Spark SQL engine of gold: ownership history, features and labels via `spark.sql`."""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession

from santander_lake.gold_columns import (
    ATTRIBUTE_COLUMNS,
    BASE36_ATTRIBUTES,
    LAGS,
    MAX_LAG,
    PASSED_ATTRIBUTES,
    WINDOWS,
    changed_within,
    months_since,
    owned_lag,
    product_feature_columns,
)
from santander_lake.schema import PRODUCTS
from santander_lake.sql_templates import quote, render_sql
from santander_lake.translate import ENCODED_COLUMNS

CHANGES = {"added": (1, 0), "dropped": (0, 1)}


def history_sql(spark: SparkSession, silver: DataFrame) -> DataFrame:
    """Silver rows with `_owned` (this month's products) and `_lag1`..`_lag5` vectors."""
    silver.createOrReplaceTempView("silver_window")
    lag_vectors = ",\n    ".join(
        f"try_element_at(_past, _idx - {lag}) AS _lag{lag}" for lag in LAGS
    )
    return spark.sql(
        render_sql(
            "gold_history",
            products=", ".join(p.name for p in PRODUCTS),
            max_lag=str(MAX_LAG),
            lag_vectors=lag_vectors,
        )
    )


def features_sql(spark: SparkSession, history: DataFrame) -> DataFrame:
    """Feature rows (unordered columns) from the history of `history_sql`."""
    history.createOrReplaceTempView("gold_history")
    product_names = product_feature_columns()
    aggregates = [
        "aggregate(_lag1, 0, (total, owned) -> total + coalesce(owned, 0)) AS n_owned_lag1"
    ]
    for window in WINDOWS:
        for change in CHANGES:
            total = " + ".join(changed_within(change, window, p.name) for p in PRODUCTS)
            aggregates.append(f"{total} AS n_{change}_last{window}m")
    return spark.sql(
        render_sql(
            "gold_features",
            attributes=",\n        ".join(_attributes()),
            max_lag=str(MAX_LAG),
            product_features=",\n        ".join(_product_features()),
            attribute_names=",\n    ".join(ATTRIBUTE_COLUMNS),
            aggregates=",\n    ".join(aggregates),
            product_feature_names=",\n    ".join(product_names),
        )
    )


def labels_sql(spark: SparkSession, history: DataFrame) -> DataFrame:
    """One row per (month, customer, product) added, from the history of `history_sql`."""
    history.createOrReplaceTempView("gold_history")
    additions = ",\n            ".join(
        f"{quote(p.name)}, {quote(p.code)}, coalesce(_owned[{j}] = 1 AND _lag1[{j}] = 0, false)"
        for j, p in enumerate(PRODUCTS)
    )
    return spark.sql(
        render_sql("gold_labels", product_count=str(len(PRODUCTS)), product_additions=additions)
    )


def _attributes() -> list[str]:
    expressions = list(PASSED_ATTRIBUTES)
    for column in ENCODED_COLUMNS:
        branches = " ".join(
            f"WHEN {quote(code.value)} THEN {column.number_of(code.value)}"
            for code in column.codes
        )
        expressions.append(f"CASE {column.name} {branches} END AS {column.name}_code")
    for name in BASE36_ATTRIBUTES:
        expressions.append(f"CAST(conv({name}, 36, 10) AS BIGINT) AS {name}_code")
    expressions += [
        "log1p(income) AS log_income",
        "month(month) AS month_of_year",
        "(year(month) - year(first_contract_date)) * 12"
        " + month(month) - month(first_contract_date) AS tenure_months",
    ]
    return expressions


def _change(change: str, step: int, j: int) -> str:
    """True when product j was `change`d in month M-step (seen in M-step and M-step-1)."""
    now, before = CHANGES[change]
    return f"(_lag{step}[{j}] = {now} AND _lag{step + 1}[{j}] = {before})"


def _product_features() -> list[str]:
    expressions = []
    for lag in LAGS:
        expressions += [
            f"_lag{lag}[{j}] AS {owned_lag(lag, p.name)}" for j, p in enumerate(PRODUCTS)
        ]
    for window in WINDOWS:
        for change in CHANGES:
            for j, p in enumerate(PRODUCTS):
                steps = " + ".join(
                    f"coalesce(CAST({_change(change, step, j)} AS INT), 0)"
                    for step in range(1, window + 1)
                )
                expressions.append(f"{steps} AS {changed_within(change, window, p.name)}")
    for change in CHANGES:
        for j, p in enumerate(PRODUCTS):
            branches = " ".join(
                f"WHEN {_change(change, step, j)} THEN {step}" for step in range(1, MAX_LAG)
            )
            expressions.append(f"CASE {branches} END AS {months_since(change, p.name)}")
    return expressions
