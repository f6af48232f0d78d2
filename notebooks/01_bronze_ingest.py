# Databricks notebook source
# MAGIC %md
# MAGIC # Bronze: raw monthly files into Delta
# MAGIC Ingests every month of `train_ver2.csv` and the test file into `bronze/train` and
# MAGIC `bronze/test`, one Delta commit per month, then shows the ingestion log.
# MAGIC Runs as it is on Databricks (the `spark` session exists) or locally.

# COMMAND ----------

from santander_lake.config import load_settings
from santander_lake.ingest import ingest_all, ingest_test
from santander_lake.spark import get_spark

settings = load_settings()
spark = get_spark(settings)
raw_dir = settings.raw_dir

# COMMAND ----------

train_records = ingest_all(spark, settings, raw_dir)
test_records = ingest_test(spark, settings, raw_dir)

# COMMAND ----------

spark.read.format("delta").load(settings.table_path("bronze", "_ingest_log")).orderBy(
    "table", "month"
).show(40, truncate=False)
