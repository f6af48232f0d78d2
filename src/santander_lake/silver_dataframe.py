"""The DataFrame engine of silver: bronze rows to staged rows with the PySpark API."""

from __future__ import annotations

from functools import reduce

from pyspark.sql import Column as SparkColumn
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from santander_lake.schema import TRAIN_COLUMNS
from santander_lake.translate import (
    BAD_DATE,
    CHECKED_COLUMNS,
    CODE,
    COLUMNS,
    DATE,
    DATE_FORMAT,
    DECIMAL,
    DERIVED,
    ID,
    INTEGER,
    NOT_A_NUMBER,
    NULL_TOKENS,
    OUT_OF_RANGE,
    RAW_COLUMNS,
    UNKNOWN_CODE,
    Column,
)

STAGE_METADATA = (
    "_invalid",
    "_source_file",
    "_source_line",
    "_raw_line",
    "_quarantine_reason",
    "_quarantine_detail",
)


def stage_dataframe(bronze: DataFrame) -> DataFrame:
    """Clean, type, flag and impute bronze rows with DataFrame calls; same output as SQL.

    See `silver_sql.stage_sql` for the input and output columns.
    """
    trimmed = bronze.select("*", *[_trimmed(c).alias(f"t_{c.raw}") for c in RAW_COLUMNS])

    cleaned = trimmed.select(
        F.col("_month").alias("month"),
        *[_typed(c).alias(c.name) for c in RAW_COLUMNS],
        F.filter(F.array(*[_reason(c) for c in CHECKED_COLUMNS]), lambda r: r.isNotNull()).alias(
            "_invalid"
        ),
        F.col("t_ncodpers").alias("_raw_customer_id"),
        "_source_file",
        "_source_line",
        F.coalesce("_raw_line", F.concat_ws(",", *[_raw_field(n) for n in TRAIN_COLUMNS])).alias(
            "_raw_line"
        ),
        "_parse_error",
    )

    flagged = _flag_quarantine(cleaned)
    return _impute_income(flagged)


def _trimmed(column: Column) -> SparkColumn:
    value = F.trim(F.col(column.raw))
    return F.when(value.isin(*NULL_TOKENS), F.lit(None)).otherwise(value)


def _parsed(column: Column) -> SparkColumn:
    value = F.col(f"t_{column.raw}")
    if column.kind == ID:
        return value.try_cast("bigint")
    if column.kind in (INTEGER, DECIMAL):
        return value.try_cast(column.sql_type.lower())
    if column.kind == DATE:
        return F.try_to_date(value, DATE_FORMAT)
    if column.kind == CODE:
        branches = [(value.isin(*code.raw), F.lit(code.value)) for code in column.codes]
        first_test, first_value = branches[0]
        return reduce(lambda acc, b: acc.when(*b), branches[1:], F.when(first_test, first_value))
    return value


def _in_range(column: Column, parsed: SparkColumn) -> SparkColumn:
    kind = column.sql_type.lower()
    return parsed.between(F.lit(column.low).cast(kind), F.lit(column.high).cast(kind))


def _typed(column: Column) -> SparkColumn:
    parsed = _parsed(column)
    if column.kind in (INTEGER, DECIMAL):
        return F.when(_in_range(column, parsed), parsed)
    return parsed


def _reason(column: Column) -> SparkColumn:
    present = F.col(f"t_{column.raw}").isNotNull()
    parsed = _parsed(column)
    label = f"{column.name}:"
    if column.kind in (INTEGER, DECIMAL):
        return F.when(present & parsed.isNull(), F.lit(label + NOT_A_NUMBER)).when(
            ~_in_range(column, parsed), F.lit(label + OUT_OF_RANGE)
        )
    reason = BAD_DATE if column.kind == DATE else UNKNOWN_CODE
    return F.when(present & parsed.isNull(), F.lit(label + reason))


def _raw_field(name: str) -> SparkColumn:
    if name == "nomprov":
        return F.concat(F.lit('"'), F.col(name), F.lit('"'))
    return F.col(name)


def _flag_quarantine(cleaned: DataFrame) -> DataFrame:
    """Name why a row cannot enter silver; the first of duplicates is the lowest line."""
    by_key = Window.partitionBy("month", "customer_id").orderBy("_source_file", "_source_line")
    ranked = cleaned.withColumns(
        {
            "_rank": F.row_number().over(by_key),
            "_first_line": F.first("_source_line").over(by_key),
        }
    )

    parse_error = F.col("_parse_error").isNotNull()
    missing_id = F.col("_raw_customer_id").isNull()
    invalid_id = F.col("customer_id").isNull()
    duplicate = F.col("_rank") > 1
    reason = (
        F.when(parse_error, "parse_error")
        .when(missing_id, "missing_customer_id")
        .when(invalid_id, "invalid_customer_id")
        .when(duplicate, "duplicate_customer_month")
    )
    detail = (
        F.when(parse_error, F.col("_parse_error"))
        .when(missing_id, F.lit(None).cast("string"))
        .when(invalid_id, F.concat(F.lit("ncodpers="), F.col("_raw_customer_id")))
        .when(duplicate, F.concat(F.lit("first kept at line "), F.col("_first_line")))
    )
    return ranked.withColumns({"_quarantine_reason": reason, "_quarantine_detail": detail}).drop(
        "_rank", "_first_line", "_raw_customer_id"
    )


def _impute_income(flagged: DataFrame) -> DataFrame:
    """Fill missing income from accepted rows' medians: province and segment, segment, month."""
    accepted = flagged.where(
        F.col("_quarantine_reason").isNull() & F.col("income").isNotNull()
    ).select("month", "province", "segment", "income")

    def medians(keys: list[str], name: str) -> DataFrame:
        grouped = accepted.groupBy(*keys).agg(F.median("income").alias(name))
        return grouped.select(*[F.col(k).alias(f"{name}_{k}") for k in keys], name)

    filled = flagged
    for keys, name in (
        (["month", "province", "segment"], "_by_province_segment"),
        (["month", "segment"], "_by_segment"),
        (["month"], "_by_month"),
    ):
        condition = reduce(
            lambda acc, k: acc & F.col(k).eqNullSafe(F.col(f"{name}_{k}")),
            keys[1:],
            F.col("month") == F.col(f"{name}_month"),
        )
        filled = filled.join(medians(keys, name), condition, "left")

    fill = F.when(
        F.col("_quarantine_reason").isNull() & F.col("income").isNull(),
        F.coalesce("_by_province_segment", "_by_segment", "_by_month"),
    )
    filled = filled.withColumn("_income_fill", fill)

    outputs = []
    for column in COLUMNS:
        if column.name == "income":
            outputs.append(F.coalesce("income", "_income_fill").alias("income"))
        elif column.kind == DERIVED:
            outputs.append(F.col("_income_fill").isNotNull().cast("int").alias(column.name))
        else:
            outputs.append(F.col(column.name))
    return filled.select(*outputs, *STAGE_METADATA)
