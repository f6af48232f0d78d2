"""Silver: both engines agree, rows are accounted for, planted bad values are cleaned."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from bronze_rows import assert_identical_tables, parse_error_row, raw_row, write_bronze
from santander_lake.config import Settings, load_settings
from santander_lake.errors import ConfigError, InputError
from santander_lake.schema import PRODUCT_NAMES, TEST_MONTH
from santander_lake.silver import build_silver, silver_path
from santander_lake.translate import SILVER_COLUMNS

MARCH, APRIL, MAY = date(2016, 3, 28), date(2016, 4, 28), date(2016, 5, 28)
TABLES = ("customer_month", "quarantine", "quality")
FILES_BEFORE_MAY: dict[date, set[str]] = {}


def planted_bronze() -> list[dict]:
    """Three train months and the test month, with every edge case in April."""
    return [
        raw_row(MARCH, 1, ["current_account"]),
        raw_row(MARCH, 2, ["direct_debit"], renta="51000.5", segmento="03 - UNIVERSITARIO"),
        raw_row(MARCH, 3, renta="60000", segmento="03 - UNIVERSITARIO"),
        raw_row(APRIL, 1, ["current_account", "taxes"], age=" NA", sexo="H"),
        raw_row(APRIL, 2, ["direct_debit"], renta="", segmento="03 - UNIVERSITARIO"),
        raw_row(APRIL, 3, renta="70000", segmento="03 - UNIVERSITARIO", antiguedad="-999999"),
        raw_row(APRIL, 4, age="150", fecha_alta="2015-13-45", ind_empleado="Z"),
        raw_row(APRIL, 5, nomprov="CORUÑA, A", cod_prov="15", ind_nomina_ult1="NA"),
        raw_row(APRIL, "", ["funds"]),
        raw_row(APRIL, 1, ["loans"]),
        parse_error_row(APRIL, '2016-04-28,9,"BROKEN', "unbalanced quote"),
        raw_row(MAY, 1, ["current_account"], segmento="01 - TOP", indrel_1mes="2"),
        raw_row(MAY, 2, ["direct_debit", "e_account"], segmento="03 - UNIVERSITARIO"),
        raw_row(TEST_MONTH, 1, renta="         NA", segmento="01 - TOP"),
        raw_row(TEST_MONTH, 2, age="  7", segmento="03 - UNIVERSITARIO"),
    ]


def lake_settings(root: Path) -> Settings:
    return load_settings(
        profile="test",
        overrides={"paths": {"lake_root": str(root / "lake"), "raw_dir": str(root / "raw")}},
    )


@pytest.fixture(scope="module")
def lakes(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Settings]:
    """The planted bronze cleaned by each engine into its own lake.

    The SQL lake is built in one pass; the DataFrame lake first without May, then May
    arrives as a new bronze month and only May is built, as in daily operation.
    """
    by_sql = lake_settings(tmp_path_factory.mktemp("silver-sql"))
    write_bronze(spark, by_sql, planted_bronze())
    build_silver(spark, by_sql, engine="sql")

    by_dataframe = lake_settings(tmp_path_factory.mktemp("silver-dataframe"))
    may = [r for r in planted_bronze() if r.get("fecha_dato") == MAY.isoformat()]
    write_bronze(spark, by_dataframe, [r for r in planted_bronze() if r not in may])
    build_silver(spark, by_dataframe, engine="dataframe")
    FILES_BEFORE_MAY.update({m: _files_of(spark, by_dataframe, m) for m in (MARCH, APRIL)})
    write_bronze(spark, by_dataframe, may)
    build_silver(spark, by_dataframe, months=[MAY], engine="dataframe")
    return {"sql": by_sql, "dataframe": by_dataframe}


def read(spark: SparkSession, settings: Settings, table: str = "customer_month") -> DataFrame:
    return spark.read.format("delta").load(silver_path(settings, table))


def row_of(spark: SparkSession, settings: Settings, month: date, customer: int) -> dict:
    rows = read(spark, settings).where(
        (F.col("month") == month) & (F.col("customer_id") == customer)
    )
    [row] = rows.collect()
    return row.asDict()


@pytest.mark.parametrize("table", TABLES)
def test_sql_and_dataframe_engines_write_identical_tables(spark, lakes, table):
    by_sql = read(spark, lakes["sql"], table)
    by_dataframe = read(spark, lakes["dataframe"], table)

    assert_identical_tables(by_sql, by_dataframe)


def test_silver_has_the_contract_columns_and_types(spark, lakes):
    silver = read(spark, lakes["sql"])
    types = dict(silver.dtypes)

    assert tuple(silver.columns) == SILVER_COLUMNS
    assert types["month"] == "date" and types["customer_id"] == "bigint"
    assert types["income"] == "double" and types["first_contract_date"] == "date"
    assert all(types[p] == "int" for p in PRODUCT_NAMES)


def test_every_bronze_row_is_in_silver_or_quarantine_each_month(spark, lakes):
    settings = lakes["sql"]
    bronze = {}
    for table in ("train", "test"):
        frame = spark.read.format("delta").load(settings.table_path("bronze", table))
        bronze.update({r[0]: r[1] for r in frame.groupBy("_month").count().collect()})
    silver = {r[0]: r[1] for r in read(spark, settings).groupBy("month").count().collect()}
    quarantine = {
        r[0]: r[1] for r in read(spark, settings, "quarantine").groupBy("month").count().collect()
    }

    for month, rows in bronze.items():
        assert silver.get(month, 0) + quarantine.get(month, 0) == rows, month
    assert quarantine == {APRIL: 3}


def test_quarantine_names_each_reason_and_keeps_the_raw_line(spark, lakes):
    rows = read(spark, lakes["sql"], "quarantine").collect()
    by_reason = {r["reason"]: r for r in rows}

    assert set(by_reason) == {"missing_customer_id", "duplicate_customer_month", "parse_error"}
    assert by_reason["parse_error"]["raw_line"] == '2016-04-28,9,"BROKEN'
    assert by_reason["parse_error"]["detail"] == "unbalanced quote"
    missing = by_reason["missing_customer_id"]["raw_line"]
    assert missing.startswith("2016-04-28,,N,ES,V, 35,") and ',"MADRID",' in missing
    duplicate = by_reason["duplicate_customer_month"]
    assert duplicate["detail"].startswith("first kept at line ")
    assert duplicate["source_line"] > int(duplicate["detail"].rsplit(" ", 1)[1])


def test_first_duplicate_by_line_is_the_one_kept(spark, lakes):
    kept = row_of(spark, lakes["sql"], APRIL, 1)

    assert kept["taxes"] == 1 and kept["loans"] == 0


def test_na_empty_sentinel_and_padding_become_typed_values_or_null(spark, lakes):
    settings = lakes["sql"]
    first = row_of(spark, settings, APRIL, 1)
    third = row_of(spark, settings, APRIL, 3)
    fifth = row_of(spark, settings, APRIL, 5)

    assert first["age"] is None and first["sex"] == "female"
    assert first["seniority_months"] == 41 and first["is_active"] == 1
    assert third["seniority_months"] is None
    assert fifth["province"] == "CORUÑA, A" and fifth["province_code"] == 15
    assert fifth["payroll"] is None and fifth["payroll_pensions"] == 0
    may = row_of(spark, settings, MAY, 1)
    assert may["segment"] == "vip" and may["customer_type"] == "co_owner"


def test_impossible_values_become_null_and_are_counted_by_reason(spark, lakes):
    settings = lakes["sql"]
    fourth = row_of(spark, settings, APRIL, 4)
    invalid = {
        (r["column"], r["reason"]): r["rows"]
        for r in read(spark, settings, "quality")
        .where((F.col("month") == APRIL) & (F.col("measure") == "nulled_invalid"))
        .collect()
    }

    assert fourth["age"] is None and fourth["first_contract_date"] is None
    assert fourth["employee_status"] is None
    assert invalid == {
        ("age", "out_of_range"): 1,
        ("first_contract_date", "bad_date"): 1,
        ("employee_status", "unknown_code"): 1,
    }


def test_missing_income_takes_the_province_and_segment_median_with_flag(spark, lakes):
    settings = lakes["sql"]
    imputed = row_of(spark, settings, APRIL, 2)
    given = row_of(spark, settings, APRIL, 3)

    # Customer 3 is the only other graduate in Madrid in April.
    assert imputed["income"] == 70000.0 and imputed["income_imputed"] == 1
    assert given["income"] == 70000.0 and given["income_imputed"] == 0


def test_test_month_rows_are_cleaned_with_null_products(spark, lakes):
    settings = lakes["sql"]
    june = row_of(spark, settings, TEST_MONTH, 1)
    young = row_of(spark, settings, TEST_MONTH, 2)

    assert all(june[p] is None for p in PRODUCT_NAMES)
    assert june["income_imputed"] == 1 and june["income"] == 87218.1
    assert young["age"] == 7


def test_quality_counts_rows_nulls_and_quarantine_per_month(spark, lakes):
    quality = read(spark, lakes["dataframe"], "quality").where(F.col("month") == APRIL)
    measures = {(r["measure"], r["column"], r["reason"]): r["rows"] for r in quality.collect()}

    assert measures[("bronze_rows", None, None)] == 8
    assert measures[("silver_rows", None, None)] == 5
    assert measures[("quarantined", None, "parse_error")] == 1
    assert measures[("nulls", "age", None)] == 2
    assert measures[("nulls", "customer_id", None)] == 0


def test_a_new_bronze_month_is_added_without_rewriting_earlier_months(spark, lakes):
    settings = lakes["dataframe"]

    for month in (MARCH, APRIL):
        assert _files_of(spark, settings, month) == FILES_BEFORE_MAY[month]
    assert _files_of(spark, settings, MAY)


def test_rerunning_a_month_changes_no_rows_and_no_other_month(spark, lakes):
    settings = lakes["sql"]
    march_files = _files_of(spark, settings, MARCH)
    april_files = _files_of(spark, settings, APRIL)

    build_silver(spark, settings, months=[APRIL], engine="sql")

    assert _files_of(spark, settings, MARCH) == march_files
    assert _files_of(spark, settings, APRIL).isdisjoint(april_files)
    for table in TABLES:
        again = read(spark, settings, table)
        reference = read(spark, lakes["dataframe"], table)
        assert again.exceptAll(reference).count() == 0
        assert reference.exceptAll(again).count() == 0


def test_unknown_engine_and_month_without_bronze_are_refused(spark, settings):
    write_bronze(spark, settings, [raw_row(MARCH, 1)])

    with pytest.raises(ConfigError, match="engine must be one of sql, dataframe"):
        build_silver(spark, settings, engine="pandas")
    with pytest.raises(InputError, match="no rows for month.*2016-05-28"):
        build_silver(spark, settings, months=[MAY])


def _files_of(spark: SparkSession, settings: Settings, month: date) -> set[str]:
    files = read(spark, settings).inputFiles()
    return {f for f in files if f"month={month.isoformat()}" in f}
