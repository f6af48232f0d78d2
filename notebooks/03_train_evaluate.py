# Databricks notebook source
# MAGIC %md
# MAGIC # Train and evaluate
# MAGIC Tunes distributed XGBoost with hyperopt, refits the best parameters, and scores
# MAGIC the held-out month with MAP@7 beside the popularity baseline (and, on generated
# MAGIC data, the oracle). Everything is logged to MLflow.

# COMMAND ----------

from santander_lake.config import load_settings
from santander_lake.spark import get_spark
from santander_lake.train import train, train_options

settings = load_settings()
spark = get_spark(settings)

# COMMAND ----------

options = train_options(settings)
result = train(spark, settings, options, raw_dir=settings.raw_dir)

# COMMAND ----------

for name, value in sorted(result.metrics.items()):
    print(f"{name:40s} {value:.5f}")
