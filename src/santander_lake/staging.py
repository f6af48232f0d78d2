"""Parse a raw Kaggle file once into a month-partitioned staging copy, keyed by checksum.

Every line keeps its 1-based line number (the header is line 1) and its fields as
the exact text of the file; only the CSV quotes around a field are removed. A
line that does not parse keeps its raw text and the reason instead of fields.
Ingesting a month then reads one staging partition instead of the whole file.

Month of a line: the date in its first field. A broken line whose first field is
not a date belongs to the month of the nearest dated line above it (the first
month if there is none); the files are sorted by month, so that is the month of
its neighbours.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DateType, LongType, StringType, StructField, StructType

from santander_lake.rawfile import RawFile, cache_dir

logger = logging.getLogger(__name__)

MANIFEST = "_manifest.json"
ROW_INDEX_BITS = 33
# Stands in for a comma inside quotes while the line is split on commas.
COMMA_MASK = "\x01"


@dataclass(frozen=True)
class MonthSpan:
    """One month of a staged file: its first line, its rows and how many did not parse."""

    month: date
    first_line: int
    rows: int
    bad_lines: int


@dataclass(frozen=True)
class StagedFile:
    """A raw file parsed into `path`, with the months it holds in file order."""

    raw: RawFile
    path: Path
    columns: tuple[str, ...]
    months: tuple[MonthSpan, ...]

    def span(self, month: date) -> MonthSpan | None:
        """The month's span, or None when the file does not hold that month."""
        return next((s for s in self.months if s.month == month), None)


def staged_file(
    spark: SparkSession, lake_root: str, raw: RawFile, columns: tuple[str, ...]
) -> StagedFile:
    """Return the staging copy of `raw`, parsing the file only if no complete copy exists.

    Writes `<lake>/_cache/staging/<file>-<sha256 prefix>/` (parquet, partitioned by
    `_month`) and its manifest, and removes staging copies of older versions of the
    same file. Idempotent: a copy whose manifest exists is reused as it is.
    """
    folder = cache_dir(lake_root) / "staging" / f"{raw.csv_path.name}-{raw.sha256[:16]}"
    manifest = folder / MANIFEST
    if manifest.is_file():
        return _from_manifest(raw, folder, columns, json.loads(manifest.read_text()))

    started = time.perf_counter()
    _remove_older_copies(folder)
    parse_lines(spark, raw.csv_path, columns).write.mode("overwrite").partitionBy(
        "_month"
    ).parquet(str(folder))

    months = _month_spans(read_staging(spark, folder, columns))
    content = {
        "source": str(raw.source),
        "sha256": raw.sha256,
        "months": [
            {
                "month": s.month.isoformat(),
                "first_line": s.first_line,
                "rows": s.rows,
                "bad_lines": s.bad_lines,
            }
            for s in months
        ],
    }
    manifest.write_text(json.dumps(content, indent=1), encoding="utf-8")
    logger.info(
        "Parsed %s into staging: %d months, %d rows, %d bad lines in %.1f s",
        raw.source,
        len(months),
        sum(s.rows for s in months),
        sum(s.bad_lines for s in months),
        time.perf_counter() - started,
    )
    return StagedFile(raw=raw, path=folder, columns=columns, months=months)


def month_rows(spark: SparkSession, staged: StagedFile, month: date) -> DataFrame:
    """The staged rows of one month, including undated broken lines that belong to it."""
    spans = staged.months
    index = next(i for i, s in enumerate(spans) if s.month == month)
    start = spans[index].first_line if index > 0 else 0
    line = F.col("_source_line")
    undated_here = F.col("_month").isNull() & (line >= start)
    if index + 1 < len(spans):
        undated_here = undated_here & (line < spans[index + 1].first_line)

    rows = read_staging(spark, staged.path, staged.columns)
    return rows.where((F.col("_month") == F.lit(month)) | undated_here).withColumn(
        "_month", F.lit(month)
    )


def read_staging(spark: SparkSession, folder: Path, columns: tuple[str, ...]) -> DataFrame:
    """The staging parquet with its exact schema (undated lines have a null `_month`)."""
    return spark.read.schema(staging_schema(columns)).parquet(str(folder))


def staging_schema(columns: tuple[str, ...]) -> StructType:
    """Raw columns as strings, then line number, raw text, parse error and month."""
    return StructType(
        [StructField(c, StringType()) for c in columns]
        + [
            StructField("_source_line", LongType()),
            StructField("_raw_line", StringType()),
            StructField("_parse_error", StringType()),
            StructField("_month", DateType()),
        ]
    )


def parse_lines(spark: SparkSession, csv_path: Path, columns: tuple[str, ...]) -> DataFrame:
    """Every data line of the csv as fields, line number, parse error and month.

    Reads the file twice: once to count lines per input split (for exact line
    numbers), once to parse.
    """
    # Separate projections keep Spark from re-splitting the line for every column.
    lines = (
        _numbered_lines(spark, csv_path)
        .where(F.col("_source_line") > 1)
        .select(F.regexp_replace("value", "\r$", "").alias("text"), "_source_line")
    )
    split = lines.withColumn("fields", _split_outside_quotes(F.col("text")))
    checked = split.withColumn(
        "error", _parse_error(F.col("text"), F.col("fields"), len(columns))
    ).withColumn("parsed", F.when(F.col("error").isNull(), F.col("fields")))

    return checked.select(
        *[_unquoted(F.col("parsed")[i]).alias(c) for i, c in enumerate(columns)],
        "_source_line",
        F.when(F.col("error").isNotNull(), F.col("text")).alias("_raw_line"),
        F.col("error").alias("_parse_error"),
        _month_of(F.col("text")).alias("_month"),
    )


def _numbered_lines(spark: SparkSession, csv_path: Path) -> DataFrame:
    """Lines of the file with their 1-based number, without a pass through Python.

    A row's id holds its input split in the high bits and its position in the
    split in the low bits; adding the line counts of the earlier splits gives
    the line number. Splits are planned the same way on both reads.
    """
    reader = spark.read.option("lineSep", "\n")
    row_id = F.monotonically_increasing_id()
    split_of = F.shiftright(row_id, ROW_INDEX_BITS)
    counts = (
        reader.text(str(csv_path))
        .groupBy(split_of.alias("split"))
        .count()
        .orderBy("split")
        .collect()
    )

    offsets, total = {}, 0
    for row in counts:
        offsets[row["split"]] = total
        total += row["count"]
    offset_map = F.create_map(*[F.lit(x) for pair in offsets.items() for x in pair])

    stored_id = F.col("_row_id")
    line_number = (
        F.element_at(offset_map, F.shiftright(stored_id, ROW_INDEX_BITS))
        + stored_id.bitwiseAND((1 << ROW_INDEX_BITS) - 1)
        + F.lit(1)
    )
    return (
        reader.text(str(csv_path))
        .select("value", row_id.alias("_row_id"))
        .withColumn("_source_line", line_number)
        .drop("_row_id")
    )


def _split_outside_quotes(text: Column) -> Column:
    """Split on commas, except commas between double quotes (as in `"CORUÑA, A"`)."""
    pieces = F.split(text, '"', -1)
    masked = F.array_join(
        F.transform(
            pieces,
            lambda piece, i: F.when(
                i % 2 == 1, F.replace(piece, F.lit(","), F.lit(COMMA_MASK))
            ).otherwise(piece),
        ),
        '"',
    )
    return F.transform(
        F.split(masked, ",", -1), lambda f: F.replace(f, F.lit(COMMA_MASK), F.lit(","))
    )


def _parse_error(text: Column, fields: Column, expected: int) -> Column:
    """Why the line does not parse, or null when it does."""
    quotes = F.length(text) - F.length(F.replace(text, F.lit('"'), F.lit("")))
    stray_quote = F.exists(fields, lambda f: f.contains('"') & ~_is_quoted(f))
    return (
        F.when(quotes % 2 == 1, F.lit("unbalanced quotes"))
        .when(
            F.size(fields) != expected,
            F.concat(F.lit(f"expected {expected} fields, found "), F.size(fields).cast("string")),
        )
        .when(stray_quote, F.lit("quote inside an unquoted field"))
    )


def _unquoted(field: Column) -> Column:
    """The field without its surrounding CSV quotes (doubled quotes made single)."""
    inner = F.substring(field, F.lit(2), F.length(field) - 2)
    return F.when(_is_quoted(field), F.replace(inner, F.lit('""'), F.lit('"'))).otherwise(field)


def _is_quoted(field: Column) -> Column:
    return field.startswith('"') & field.endswith('"') & (F.length(field) >= 2)


def _month_of(text: Column) -> Column:
    first = F.substring_index(text, ",", 1)
    return F.when(first.rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), F.try_to_date(first, "yyyy-MM-dd"))


def _month_spans(staged: DataFrame) -> tuple[MonthSpan, ...]:
    """Per month: first line, rows and bad lines, undated lines counted in their month."""
    dated = (
        staged.where(F.col("_month").isNotNull())
        .groupBy("_month")
        .agg(F.min("_source_line").alias("first_line"))
        .orderBy("first_line")
        .collect()
    )
    firsts = [(row["_month"], row["first_line"]) for row in dated]

    owner = F.lit(firsts[0][0]) if firsts else F.lit(None).cast("date")
    for month, first_line in firsts[1:]:
        owner = F.when(F.col("_source_line") >= first_line, F.lit(month)).otherwise(owner)
    counts = (
        staged.withColumn("_owner", F.coalesce("_month", owner))
        .groupBy("_owner")
        .agg(F.count("*").alias("rows"), F.count("_parse_error").alias("bad_lines"))
        .collect()
    )
    by_month = {row["_owner"]: row for row in counts}

    return tuple(
        MonthSpan(month, first_line, by_month[month]["rows"], by_month[month]["bad_lines"])
        for month, first_line in firsts
    )


def _from_manifest(
    raw: RawFile, folder: Path, columns: tuple[str, ...], content: dict
) -> StagedFile:
    months = tuple(
        MonthSpan(date.fromisoformat(m["month"]), m["first_line"], m["rows"], m["bad_lines"])
        for m in content["months"]
    )
    return StagedFile(raw=raw, path=folder, columns=columns, months=months)


def _remove_older_copies(folder: Path) -> None:
    """Drop staging copies of the same file name (other checksums) and any partial copy."""
    prefix = folder.name.rsplit("-", 1)[0] + "-"
    if not folder.parent.is_dir():
        return
    for other in folder.parent.iterdir():
        if other.name.startswith(prefix) and other.is_dir():
            shutil.rmtree(other)
