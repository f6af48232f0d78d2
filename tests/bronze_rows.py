"""Tiny bronze-shaped Delta tables written straight from Python rows, for silver and gold tests.

Rows follow the bronze contract: every raw column a STRING as the file held it (padding
kept, nomprov unquoted), plus `_month`, `_source_file`, `_source_line`, `_ingested_at`,
`_raw_line` and `_parse_error`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import (
    DateType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

from santander_lake.config import Settings
from santander_lake.schema import (
    PRODUCT_BY_NAME,
    PRODUCT_CODES,
    TEST_COLUMNS,
    TEST_FILE,
    TEST_MONTH,
    TRAIN_COLUMNS,
    TRAIN_FILE,
)

INGESTED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def raw_row(month: date, customer: int | str, owned: Iterable[str] = (), **fields: str) -> dict:
    """One raw customer row in Kaggle's padding; `owned` names products held (English)."""
    row = {
        "fecha_dato": month.isoformat(),
        "ncodpers": str(customer),
        "ind_empleado": "N",
        "pais_residencia": "ES",
        "sexo": "V",
        "age": " 35",
        "fecha_alta": "2012-08-10",
        "ind_nuevo": " 0",
        "antiguedad": "     41",
        "indrel": " 1",
        "ult_fec_cli_1t": "",
        "indrel_1mes": "1.0",
        "tiprel_1mes": "A",
        "indresi": "S",
        "indext": "N",
        "conyuemp": "",
        "canal_entrada": "KHE",
        "indfall": "N",
        "tipodom": " 1",
        "cod_prov": "28",
        "nomprov": "MADRID",
        "ind_actividad_cliente": " 1",
        "renta": "87218.1",
        "segmento": "02 - PARTICULARES",
    }
    held = {PRODUCT_BY_NAME[name].code for name in owned}
    for code in PRODUCT_CODES:
        value = "1" if code in held else "0"
        row[code] = f" {value}" if code in ("ind_nomina_ult1", "ind_nom_pens_ult1") else value
    row.update(fields)
    return row


def parse_error_row(month: date, line: str, reason: str) -> dict:
    """A bronze line that did not parse: raw fields null, the line and reason kept."""
    return {"_month": month, "_raw_line": line, "_parse_error": reason}


def write_bronze(spark: SparkSession, settings: Settings, rows: list[dict]) -> None:
    """Append rows to `bronze/train` or (test month) `bronze/test`, numbering lines per file."""
    for table, columns, file_name in (
        ("train", TRAIN_COLUMNS, TRAIN_FILE),
        ("test", TEST_COLUMNS, TEST_FILE),
    ):
        selected = [r for r in rows if (_month_of(r) == TEST_MONTH) == (table == "test")]
        if not selected:
            continue
        records = [_record(r, columns, file_name, line) for line, r in enumerate(selected, 2)]
        frame = spark.createDataFrame(records, _schema(columns))
        frame.write.format("delta").mode("append").partitionBy("_month").save(
            settings.table_path("bronze", table)
        )


def _month_of(row: dict) -> date:
    return row.get("_month") or date.fromisoformat(row["fecha_dato"])


def _record(row: dict, columns: tuple[str, ...], file_name: str, line: int) -> tuple:
    fields = tuple(row.get(c) for c in columns)
    return (
        *fields,
        _month_of(row),
        file_name,
        row.get("_source_line", line),
        INGESTED_AT,
        row.get("_raw_line"),
        row.get("_parse_error"),
    )


def _schema(columns: tuple[str, ...]) -> StructType:
    return StructType(
        [StructField(c, StringType()) for c in columns]
        + [
            StructField("_month", DateType()),
            StructField("_source_file", StringType()),
            StructField("_source_line", LongType()),
            StructField("_ingested_at", TimestampType()),
            StructField("_raw_line", StringType()),
            StructField("_parse_error", StringType()),
        ]
    )


def assert_identical_tables(left: DataFrame, right: DataFrame) -> None:
    """Same schema and the same rows, duplicates counted, and not empty."""
    assert left.schema.simpleString() == right.schema.simpleString()
    assert left.exceptAll(right).count() == 0
    assert right.exceptAll(left).count() == 0
    assert left.count() > 0
