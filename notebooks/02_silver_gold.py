# Databricks notebook source
# MAGIC %md
# MAGIC # Silver and gold
# MAGIC Cleans and translates bronze into `silver/customer_month` (with `silver/quarantine`
# MAGIC for rows that fail a check), then builds point-in-time lag features and addition
# MAGIC labels into `gold/features` and `gold/labels`. Both engines give the same tables;
# MAGIC choose one with `engine`.

# COMMAND ----------

from santander_lake.config import load_settings
from santander_lake.features import build_gold
from santander_lake.silver import build_silver
from santander_lake.spark import get_spark

settings = load_settings()
spark = get_spark(settings)
engine = "sql"

# COMMAND ----------

build_silver(spark, settings, engine=engine)
spark.read.format("delta").load(settings.table_path("silver", "quality")).show(truncate=False)

# COMMAND ----------

build_gold(spark, settings, engine=engine)
labels = spark.read.format("delta").load(settings.table_path("gold", "labels"))
labels.groupBy("month").pivot("product").count().orderBy("month").show(truncate=False)
