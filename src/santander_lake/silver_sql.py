"""The Spark SQL engine of silver: bronze rows to staged rows with `spark.sql` on temp views."""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession

from santander_lake.schema import TRAIN_COLUMNS
from santander_lake.sql_templates import quote, render_sql
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


def stage_sql(spark: SparkSession, bronze: DataFrame) -> DataFrame:
    """Clean, type, flag and impute bronze rows in SQL; one output row per bronze row.

    `bronze` holds every train column (product columns null for the test file) and the
    bronze metadata. The result has the silver columns plus `_invalid`, `_source_file`,
    `_source_line`, `_raw_line`, `_quarantine_reason` and `_quarantine_detail`.
    """
    bronze.createOrReplaceTempView("bronze_rows")
    staged = spark.sql(
        render_sql(
            "silver_clean",
            trimmed_columns=",\n        ".join(_trimmed(c) for c in RAW_COLUMNS),
            typed_columns=",\n        ".join(f"{_typed(c)} AS {c.name}" for c in RAW_COLUMNS),
            invalid_reasons=", ".join(_reason(c) for c in CHECKED_COLUMNS),
            raw_fields=", ".join(_raw_field(name) for name in TRAIN_COLUMNS),
        )
    )
    staged.createOrReplaceTempView("silver_staged")
    return spark.sql(render_sql("silver_impute", output_columns=_output_columns()))


def _trimmed(column: Column) -> str:
    tokens = ", ".join(quote(t) for t in NULL_TOKENS)
    value = f"trim({column.raw})"
    return f"CASE WHEN {value} IN ({tokens}) THEN NULL ELSE {value} END AS t_{column.raw}"


def _parsed(column: Column) -> str:
    value = f"t_{column.raw}"
    if column.kind == ID:
        return f"try_cast({value} AS BIGINT)"
    if column.kind in (INTEGER, DECIMAL):
        return f"try_cast({value} AS {column.sql_type})"
    if column.kind == DATE:
        return f"try_to_date({value}, {quote(DATE_FORMAT)})"
    if column.kind == CODE:
        branches = " ".join(
            f"WHEN {value} IN ({', '.join(quote(r) for r in code.raw)}) "
            f"THEN {_literal(code.value)}"
            for code in column.codes
        )
        return f"CASE {branches} END"
    return value


def _typed(column: Column) -> str:
    parsed = _parsed(column)
    if column.kind in (INTEGER, DECIMAL):
        return f"CASE WHEN {_in_range(column, parsed)} THEN {parsed} END"
    return parsed


def _in_range(column: Column, parsed: str) -> str:
    return f"{parsed} BETWEEN {_bound(column, column.low)} AND {_bound(column, column.high)}"


def _bound(column: Column, bound: float | None) -> str:
    return f"CAST({bound!r} AS {column.sql_type})"


def _reason(column: Column) -> str:
    present = f"t_{column.raw} IS NOT NULL"
    parsed = _parsed(column)
    label = f"{column.name}:"
    if column.kind in (INTEGER, DECIMAL):
        return (
            f"CASE WHEN {present} AND {parsed} IS NULL THEN {quote(label + NOT_A_NUMBER)} "
            f"WHEN NOT ({_in_range(column, parsed)}) THEN {quote(label + OUT_OF_RANGE)} END"
        )
    reason = BAD_DATE if column.kind == DATE else UNKNOWN_CODE
    return f"CASE WHEN {present} AND {parsed} IS NULL THEN {quote(label + reason)} END"


def _raw_field(name: str) -> str:
    """A bronze field as the CSV wrote it; nomprov was quoted in the file."""
    if name == "nomprov":
        return f"concat('\"', {name}, '\"')"
    return name


def _literal(value: str | int) -> str:
    return quote(value) if isinstance(value, str) else str(value)


def _output_columns() -> str:
    expressions = []
    for column in COLUMNS:
        if column.name == "income":
            expressions.append("coalesce(income, _income_fill) AS income")
        elif column.kind == DERIVED:
            expressions.append(f"CAST(_income_fill IS NOT NULL AS INT) AS {column.name}")
        else:
            expressions.append(column.name)
    return ",\n    ".join(expressions)
