"""The session factory gives a working Delta session from the cached jars."""

from pyspark.sql import SparkSession

from santander_lake.config import Settings


def test_session_writes_and_time_travels_a_delta_table(
    spark: SparkSession, settings: Settings
) -> None:
    path = settings.table_path("scratch", "numbers")
    spark.range(5).write.format("delta").save(path)
    spark.range(5, 8).write.format("delta").mode("append").save(path)

    assert spark.read.format("delta").load(path).count() == 8
    assert spark.read.format("delta").option("versionAsOf", 0).load(path).count() == 5
