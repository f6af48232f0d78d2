"""Gold: point-in-time features and labels; both engines agree; months rebuild incrementally."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from delta.tables import DeltaTable
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from bronze_rows import assert_identical_tables, raw_row, write_bronze
from santander_lake.config import Settings, load_settings
from santander_lake.features import affected_months, build_gold, gold_path
from santander_lake.gold_columns import FEATURE_COLUMNS
from santander_lake.schema import PRODUCT_NAMES, TEST_MONTH
from santander_lake.silver import build_silver, silver_path

JAN, FEB, MAR, APR, MAY = (date(2016, m, 28) for m in range(1, 6))
MONTHS = (JAN, FEB, MAR, APR, MAY, TEST_MONTH)


def planted_bronze() -> list[dict]:
    """Customer 101 adds taxes in March, drops it and adds a credit card in May;
    102 is absent in February and March; 103 arrives in May."""
    history = {
        101: {
            JAN: ["current_account"],
            FEB: ["current_account"],
            MAR: ["current_account", "taxes"],
            APR: ["current_account", "taxes"],
            MAY: ["current_account", "credit_card"],
        },
        102: {JAN: ["direct_debit"], APR: [], MAY: ["direct_debit"]},
        103: {MAY: ["e_account"]},
    }
    rows = []
    for customer, months in history.items():
        for month, owned in months.items():
            extra = {"ind_nomina_ult1": "NA"} if (customer, month) == (102, APR) else {}
            rows.append(raw_row(month, customer, owned, **extra))
        rows.append(raw_row(TEST_MONTH, customer, sexo="H", canal_entrada="KAT"))
    return rows


def lake_settings(root: Path) -> Settings:
    return load_settings(
        profile="test",
        overrides={"paths": {"lake_root": str(root / "lake"), "raw_dir": str(root / "raw")}},
    )


def copy_silver(source: Settings, target: Settings) -> None:
    shutil.copytree(silver_path(source), silver_path(target))


@pytest.fixture(scope="module")
def lakes(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Settings]:
    """One silver, copied into a second lake; gold built by each engine in its own lake."""
    by_sql = lake_settings(tmp_path_factory.mktemp("gold-sql"))
    write_bronze(spark, by_sql, planted_bronze())
    build_silver(spark, by_sql, engine="sql")
    by_dataframe = lake_settings(tmp_path_factory.mktemp("gold-dataframe"))
    copy_silver(by_sql, by_dataframe)

    build_gold(spark, by_sql, engine="sql")
    build_gold(spark, by_dataframe, engine="dataframe")
    return {"sql": by_sql, "dataframe": by_dataframe}


def read(spark: SparkSession, settings: Settings, table: str = "features") -> DataFrame:
    return spark.read.format("delta").load(gold_path(settings, table))


def features_of(spark: SparkSession, settings: Settings, month: date, customer: int) -> dict:
    frame = read(spark, settings)
    [row] = frame.where((F.col("month") == month) & (F.col("customer_id") == customer)).collect()
    return row.asDict()


@pytest.mark.parametrize("table", ["features", "labels"])
def test_sql_and_dataframe_engines_write_identical_gold_tables(spark, lakes, table):
    by_sql = read(spark, lakes["sql"], table)
    by_dataframe = read(spark, lakes["dataframe"], table)

    assert_identical_tables(by_sql, by_dataframe)


def test_features_have_one_numeric_row_per_silver_row_with_every_lag1(spark, lakes):
    features = read(spark, lakes["sql"])
    silver = spark.read.format("delta").load(silver_path(lakes["sql"]))
    types = dict(features.dtypes)

    assert tuple(features.columns) == FEATURE_COLUMNS
    assert all(f"owned_lag1_{p}" in types for p in PRODUCT_NAMES)
    assert {t for c, t in types.items() if c not in ("month", "customer_id")} <= {
        "int",
        "bigint",
        "double",
    }
    keys = ["month", "customer_id"]
    assert features.select(keys).exceptAll(silver.select(keys)).count() == 0
    assert features.count() == silver.count() == 12


def test_lags_changes_and_recency_follow_the_planted_history(spark, lakes):
    june = features_of(spark, lakes["sql"], TEST_MONTH, 101)

    lags = [june[f"owned_lag{lag}_taxes"] for lag in range(1, 6)]
    assert lags == [0, 1, 1, 0, 0]
    assert june["added_last3m_taxes"] == 1 and june["dropped_last3m_taxes"] == 1
    assert june["months_since_added_taxes"] == 3 and june["months_since_dropped_taxes"] == 1
    assert june["months_since_added_credit_card"] == 1
    assert june["months_since_added_current_account"] is None
    assert june["n_owned_lag1"] == 2 and june["n_added_last3m"] == 2
    assert june["months_present_last5m"] == 5
    assert june["sex_code"] == 2 and june["channel_code"] == int("KAT", 36)
    assert june["month_of_year"] == 6 and june["tenure_months"] == 46


def test_absent_months_give_null_lags_not_the_last_seen_month(spark, lakes):
    april = features_of(spark, lakes["sql"], APR, 102)
    june = features_of(spark, lakes["sql"], TEST_MONTH, 102)
    newcomer = features_of(spark, lakes["sql"], MAY, 103)

    assert april["owned_lag1_direct_debit"] is None and april["owned_lag3_direct_debit"] == 1
    assert april["n_owned_lag1"] is None and april["months_present_last5m"] == 1
    assert june["owned_lag2_payroll"] is None and june["owned_lag2_payroll_pensions"] == 0
    assert june["months_since_added_direct_debit"] == 1
    assert all(newcomer[f"owned_lag1_{p}"] is None for p in PRODUCT_NAMES)


def test_labels_are_products_added_by_customers_present_both_months(spark, lakes):
    labels = {tuple(r) for r in read(spark, lakes["sql"], "labels").collect()}

    assert labels == {
        (MAR, 101, "taxes", "ind_reca_fin_ult1"),
        (MAY, 101, "credit_card", "ind_tjcr_fin_ult1"),
        (MAY, 102, "direct_debit", "ind_recibo_ult1"),
    }


def test_a_planted_future_change_never_reaches_earlier_or_same_month_features(
    spark, lakes, tmp_path
):
    changed = lake_settings(tmp_path)
    copy_silver(lakes["sql"], changed)
    DeltaTable.forPath(spark, silver_path(changed)).update(
        (F.col("month") == APR) & (F.col("customer_id") == 102), {"credit_card": F.lit(1)}
    )

    build_gold(spark, changed, engine="sql")

    before = read(spark, lakes["sql"]).where(F.col("month") <= APR)
    after = read(spark, changed).where(F.col("month") <= APR)
    assert before.exceptAll(after).count() == 0 and after.exceptAll(before).count() == 0
    assert features_of(spark, changed, MAY, 102)["owned_lag1_credit_card"] == 1
    assert features_of(spark, lakes["sql"], MAY, 102)["owned_lag1_credit_card"] == 0


def test_rebuilding_a_month_rewrites_only_its_dependents_and_changes_nothing(spark, lakes):
    settings = lakes["dataframe"]
    files_before = {m: _files_of(spark, settings, m) for m in MONTHS}
    rows_before = read(spark, settings).orderBy("month", "customer_id").collect()

    rebuilt = build_gold(spark, settings, changed=[APR], engine="sql")

    assert rebuilt == [APR, MAY, TEST_MONTH]
    for month in (JAN, FEB, MAR):
        assert _files_of(spark, settings, month) == files_before[month]
    for month in rebuilt:
        assert _files_of(spark, settings, month).isdisjoint(files_before[month])
    assert read(spark, settings).orderBy("month", "customer_id").collect() == rows_before


def test_affected_months_reach_five_months_ahead():
    months = [date(2015, m, 28) for m in range(1, 13)]

    assert affected_months([date(2015, 3, 28)], months) == months[2:8]
    assert affected_months([date(2015, 12, 28)], months) == months[11:]


def _files_of(spark: SparkSession, settings: Settings, month: date) -> set[str]:
    files = read(spark, settings).inputFiles()
    return {f for f in files if f"month={month.isoformat()}" in f}
