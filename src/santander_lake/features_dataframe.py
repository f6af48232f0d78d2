"""The DataFrame engine of gold: ownership history, features and labels with the PySpark API."""

from __future__ import annotations

from functools import reduce

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from santander_lake.gold_columns import (
    BASE36_ATTRIBUTES,
    LAGS,
    MAX_LAG,
    PASSED_ATTRIBUTES,
    WINDOWS,
    changed_within,
    months_since,
    owned_lag,
)
from santander_lake.schema import PRODUCTS
from santander_lake.translate import ENCODED_COLUMNS

CHANGES = {"added": (1, 0), "dropped": (0, 1)}


def history_dataframe(silver: DataFrame) -> DataFrame:
    """Silver rows with `_owned` (this month's products) and `_lag1`..`_lag5` vectors."""
    indexed = silver.withColumns(
        {
            "_idx": F.year("month") * 12 + F.month("month"),
            "_owned": F.array(*[F.col(p.name) for p in PRODUCTS]),
        }
    )
    before = Window.partitionBy("customer_id").orderBy("_idx").rangeBetween(-MAX_LAG, -1)
    remembered = indexed.withColumn(
        "_past", F.map_from_entries(F.collect_list(F.struct("_idx", "_owned")).over(before))
    )
    return remembered.withColumns(
        {f"_lag{lag}": F.try_element_at("_past", F.col("_idx") - lag) for lag in LAGS}
    )


def features_dataframe(history: DataFrame) -> DataFrame:
    """Feature rows (unordered columns) from the history of `history_dataframe`."""
    per_product = history.select(
        "month",
        "customer_id",
        *_attributes(),
        F.size("_past").alias(f"months_present_last{MAX_LAG}m"),
        "_lag1",
        *_product_features(),
    )

    totals = {
        "n_owned_lag1": F.aggregate(
            "_lag1", F.lit(0), lambda total, owned: total + F.coalesce(owned, F.lit(0))
        )
    }
    for window in WINDOWS:
        for change in CHANGES:
            columns = [F.col(changed_within(change, window, p.name)) for p in PRODUCTS]
            totals[f"n_{change}_last{window}m"] = reduce(lambda a, b: a + b, columns)
    return per_product.withColumns(totals).drop("_lag1")


def labels_dataframe(history: DataFrame) -> DataFrame:
    """One row per (month, customer, product) added, from the history of `history_dataframe`."""
    candidates = F.array(
        *[
            F.struct(
                F.lit(p.name).alias("product"),
                F.lit(p.code).alias("product_code"),
                F.coalesce(
                    (F.col("_owned")[j] == 1) & (F.col("_lag1")[j] == 0), F.lit(False)
                ).alias("added"),
            )
            for j, p in enumerate(PRODUCTS)
        ]
    )
    exploded = history.select("month", "customer_id", F.inline(candidates))
    return exploded.where("added").drop("added")


def _attributes() -> list[Column]:
    columns = [F.col(name) for name in PASSED_ATTRIBUTES]
    for column in ENCODED_COLUMNS:
        value = F.col(column.name)
        codes = [(value == code.value, column.number_of(code.value)) for code in column.codes]
        encoded = reduce(lambda acc, c: acc.when(*c), codes[1:], F.when(*codes[0]))
        columns.append(encoded.alias(f"{column.name}_code"))
    for name in BASE36_ATTRIBUTES:
        columns.append(F.conv(F.col(name), 36, 10).cast("bigint").alias(f"{name}_code"))
    months_apart = (F.year("month") - F.year("first_contract_date")) * 12 + (
        F.month("month") - F.month("first_contract_date")
    )
    columns += [
        F.log1p("income").alias("log_income"),
        F.month("month").alias("month_of_year"),
        months_apart.alias("tenure_months"),
    ]
    return columns


def _change(change: str, step: int, j: int) -> Column:
    """True when product j was `change`d in month M-step (seen in M-step and M-step-1)."""
    now, before = CHANGES[change]
    return (F.col(f"_lag{step}")[j] == now) & (F.col(f"_lag{step + 1}")[j] == before)


def _product_features() -> list[Column]:
    columns = []
    for lag in LAGS:
        columns += [
            F.col(f"_lag{lag}")[j].alias(owned_lag(lag, p.name)) for j, p in enumerate(PRODUCTS)
        ]
    for window in WINDOWS:
        for change in CHANGES:
            for j, p in enumerate(PRODUCTS):
                steps = [
                    F.coalesce(_change(change, step, j).cast("int"), F.lit(0))
                    for step in range(1, window + 1)
                ]
                total = reduce(lambda a, b: a + b, steps)
                columns.append(total.alias(changed_within(change, window, p.name)))
    for change in CHANGES:
        for j, p in enumerate(PRODUCTS):
            branches = [(_change(change, step, j), step) for step in range(1, MAX_LAG)]
            latest = reduce(lambda acc, b: acc.when(*b), branches[1:], F.when(*branches[0]))
            columns.append(latest.alias(months_since(change, p.name)))
    return columns
