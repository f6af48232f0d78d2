"""Bronze ingestion keeps every raw line as it came, once per month, and refuses bad files."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from santander_lake.cli import main
from santander_lake.commands.status import format_status
from santander_lake.config import Settings, load_settings
from santander_lake.errors import InputError
from santander_lake.generate import generate_dataset
from santander_lake.ingest import TRAIN, bronze_path, ingest_all, ingest_month, ingest_test
from santander_lake.ingest_log import log_path, read_ingestions
from santander_lake.schema import TEST_COLUMNS, TRAIN_COLUMNS, header_line

JAN, FEB, MAR = date(2015, 1, 28), date(2015, 2, 28), date(2015, 3, 28)

# The first train row of the real file, field by field, as written.
FIRST_ROW = (
    '2015-01-28,1375586,N,ES,H, 35,2015-01-12, 0,      6, 1,,1.0,A,S,N,,KHL,N, 1,29,"MALAGA",'
    " 1,87218.1,02 - PARTICULARES,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0, 0,0"
)
FIELDS = dict(zip(TRAIN_COLUMNS, FIRST_ROW.split(","), strict=True))


def kaggle_line(month: date, customer: int, columns=TRAIN_COLUMNS, **fields: str) -> str:
    """One data line in the Kaggle format; `fields` override values as written in the file."""
    values = {**FIELDS, "fecha_dato": month.isoformat(), "ncodpers": str(customer), **fields}
    return ",".join(values[c] for c in columns)


def write_train_file(folder: Path, lines: list[str], zipped: bool = False) -> Path:
    """`train_ver2.csv` (or `.csv.zip`) in `folder` with the Kaggle header and `lines`."""
    folder.mkdir(parents=True, exist_ok=True)
    content = "\n".join([header_line(TRAIN_COLUMNS), *lines]) + "\n"
    if not zipped:
        path = folder / "train_ver2.csv"
        path.write_text(content, encoding="utf-8")
        return path
    path = folder / "train_ver2.csv.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("train_ver2.csv", content)
    return path


BROKEN_QUOTE = kaggle_line(FEB, 12, nomprov='"CORUÑA, A')
SHORT_LINE = kaggle_line(FEB, 13).rsplit(",", 1)[0]
UNDATED_AFTER_HEADER = "###"
UNDATED_BETWEEN = "garbage,without,a,date"

TRAIN_LINES = [
    UNDATED_AFTER_HEADER,
    kaggle_line(JAN, 10),
    kaggle_line(JAN, 11, nomprov='"CORUÑA, A"', age=" NA", antiguedad="-999999", renta=""),
    kaggle_line(JAN, 12, antiguedad="     NA", ind_nomina_ult1="NA", indrel_1mes="P"),
    kaggle_line(FEB, 10),
    kaggle_line(FEB, 11, nomprov='"CORUÑA, A"'),
    BROKEN_QUOTE,
    SHORT_LINE,
    kaggle_line(FEB, 14, nomprov='""'),
    UNDATED_BETWEEN,
    kaggle_line(MAR, 10),
    kaggle_line(MAR, 11, nomprov='"BALEARS, ILLES"'),
]
TEST_LINES = [
    kaggle_line(date(2016, 6, 28), 10, columns=TEST_COLUMNS, renta="         NA"),
    kaggle_line(date(2016, 6, 28), 11, columns=TEST_COLUMNS, nomprov='"RIOJA, LA"'),
]


def settings_at(root: Path) -> Settings:
    """Test settings with the lake under `root`."""
    return load_settings("test", overrides={"paths": {"lake_root": str(root / "lake")}})


def bronze(spark: SparkSession, settings: Settings) -> DataFrame:
    return spark.read.format("delta").load(bronze_path(settings, TRAIN))


def comparable(frame: DataFrame) -> list[tuple]:
    """Rows without the ingestion time and source path, sorted by line."""
    rows = frame.drop("_ingested_at", "_source_file").orderBy("_source_line").collect()
    return [tuple(r) for r in rows]


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    write_train_file(folder, TRAIN_LINES)
    (folder / "test_ver2.csv").write_text(
        "\n".join([header_line(TEST_COLUMNS), *TEST_LINES]) + "\n", encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def loaded(
    spark: SparkSession, raw_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """A lake holding all train months and the test file of `raw_dir`."""
    settings = settings_at(tmp_path_factory.mktemp("loaded"))
    ingest_all(spark, settings, raw_dir)
    ingest_test(spark, settings, raw_dir)
    yield settings


def test_bronze_has_the_contract_columns_and_types(spark: SparkSession, loaded: Settings) -> None:
    types = dict(bronze(spark, loaded).dtypes)

    assert list(types) == [
        *TRAIN_COLUMNS,
        "_month",
        "_source_file",
        "_source_line",
        "_ingested_at",
        "_raw_line",
        "_parse_error",
    ]
    assert {types[c] for c in TRAIN_COLUMNS} == {"string"}
    assert types["_month"] == "date"
    assert types["_source_line"] == "bigint"
    assert types["_ingested_at"] == "timestamp"


def test_fields_keep_their_exact_text_and_padding(spark: SparkSession, loaded: Settings) -> None:
    row = bronze(spark, loaded).where("_month = DATE'2015-01-28' AND ncodpers = '11'").first()
    other = bronze(spark, loaded).where("_month = DATE'2015-01-28' AND ncodpers = '12'").first()

    assert row["age"] == " NA"
    assert row["antiguedad"] == "-999999"
    assert row["nomprov"] == "CORUÑA, A"
    assert row["renta"] == ""
    assert row["ind_nomina_ult1"] == " 0"
    assert other["antiguedad"] == "     NA"
    assert other["ind_nomina_ult1"] == "NA"
    assert other["indrel_1mes"] == "P"
    assert other["age"] == " 35"
    assert other["ult_fec_cli_1t"] == ""


def test_every_line_is_kept_once_numbered_from_the_header(
    spark: SparkSession, loaded: Settings
) -> None:
    lines = [r["_source_line"] for r in bronze(spark, loaded).select("_source_line").collect()]

    assert sorted(lines) == list(range(2, len(TRAIN_LINES) + 2))
    first = bronze(spark, loaded).where("ncodpers = '10' AND fecha_dato = '2015-01-28'").first()
    assert first["_source_line"] == 3


def test_broken_lines_are_flagged_with_raw_text_in_their_month(
    spark: SparkSession, loaded: Settings
) -> None:
    bad = {
        r["_raw_line"]: r
        for r in bronze(spark, loaded).where(F.col("_parse_error").isNotNull()).collect()
    }

    assert set(bad) == {BROKEN_QUOTE, SHORT_LINE, UNDATED_AFTER_HEADER, UNDATED_BETWEEN}
    assert bad[BROKEN_QUOTE]["_parse_error"] == "unbalanced quotes"
    assert bad[SHORT_LINE]["_parse_error"] == "expected 48 fields, found 47"
    assert bad[SHORT_LINE]["fecha_dato"] is None
    assert bad[UNDATED_AFTER_HEADER]["_month"] == JAN
    assert bad[UNDATED_BETWEEN]["_month"] == FEB
    assert bad[BROKEN_QUOTE]["_source_line"] == TRAIN_LINES.index(BROKEN_QUOTE) + 2
    good = bronze(spark, loaded).where(F.col("_parse_error").isNull())
    assert good.where(F.col("_raw_line").isNotNull()).count() == 0


def test_empty_quoted_province_is_an_empty_string(spark: SparkSession, loaded: Settings) -> None:
    row = bronze(spark, loaded).where("_month = DATE'2015-02-28' AND ncodpers = '14'").first()

    assert row["nomprov"] == ""
    assert row["_parse_error"] is None


def test_ingest_log_records_rows_bad_lines_and_checksum(
    spark: SparkSession, loaded: Settings, raw_dir: Path
) -> None:
    records = {(r.table, r.month): r for r in read_ingestions(spark, loaded)}
    sha256 = hashlib.sha256((raw_dir / "train_ver2.csv").read_bytes()).hexdigest()

    assert set(records) == {
        ("train", JAN),
        ("train", FEB),
        ("train", MAR),
        ("test", date(2016, 6, 28)),
    }
    assert (records["train", JAN].rows, records["train", JAN].bad_lines) == (4, 1)
    assert (records["train", FEB].rows, records["train", FEB].bad_lines) == (6, 3)
    assert (records["train", MAR].rows, records["train", MAR].bad_lines) == (2, 0)
    assert records["train", FEB].source_sha256 == sha256
    assert records["test", date(2016, 6, 28)].rows == 2


def test_test_file_lands_in_its_own_table(spark: SparkSession, loaded: Settings) -> None:
    test = spark.read.format("delta").load(loaded.table_path("bronze", "test"))

    assert test.columns[: len(TEST_COLUMNS)] == list(TEST_COLUMNS)
    assert {r["renta"] for r in test.collect()} == {"         NA", "87218.1"}
    assert {r["nomprov"] for r in test.collect()} == {"MALAGA", "RIOJA, LA"}


def test_reingesting_a_month_replaces_it_without_duplicates(
    spark: SparkSession, loaded: Settings, raw_dir: Path
) -> None:
    before = comparable(bronze(spark, loaded))

    ingest_month(spark, loaded, raw_dir, FEB)

    assert comparable(bronze(spark, loaded)) == before
    log = spark.read.format("delta").load(log_path(loaded))
    assert log.where("table = 'train' AND month = DATE'2015-02-28'").count() == 1


def test_status_lists_loaded_months_of_train_and_test(
    loaded: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANTANDER_LAKE_ROOT", loaded.lake_root)

    assert main(["--profile", "test", "status"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["table", "month", "rows", "bad_lines", "sha256", "ingested_at"]
    assert [line.split()[:4] for line in lines[1:]] == [
        ["test", "2016-06-28", "2", "0"],
        ["train", "2015-01-28", "4", "1"],
        ["train", "2015-02-28", "6", "3"],
        ["train", "2015-03-28", "2", "0"],
    ]


def test_status_of_an_empty_lake_says_nothing_is_loaded() -> None:
    assert format_status([], "/lake") == "No months ingested yet in /lake/bronze.\n"


def test_zipped_file_gives_the_same_rows_as_the_plain_file(
    spark: SparkSession, loaded: Settings, settings: Settings, tmp_path: Path
) -> None:
    zipped = write_train_file(tmp_path / "zipped", TRAIN_LINES, zipped=True)

    record = ingest_month(spark, settings, zipped.parent, JAN)

    plain = bronze(spark, loaded).where("_month = DATE'2015-01-28'")
    assert comparable(bronze(spark, settings)) == comparable(plain)
    assert record.source_sha256 == hashlib.sha256(zipped.read_bytes()).hexdigest()
    assert bronze(spark, settings).first()["_source_file"] == str(zipped)


def test_month_not_in_file_names_the_file_and_writes_nothing(
    spark: SparkSession, loaded: Settings, raw_dir: Path
) -> None:
    version = spark.sql(f"DESCRIBE HISTORY delta.`{bronze_path(loaded, TRAIN)}`").first()

    with pytest.raises(InputError, match=r"train_ver2.csv: no rows for month 2015-06-28"):
        ingest_month(spark, loaded, raw_dir, date(2015, 6, 28))

    after = spark.sql(f"DESCRIBE HISTORY delta.`{bronze_path(loaded, TRAIN)}`").first()
    assert after["version"] == version["version"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            header_line(TRAIN_COLUMNS[:4] + ("age", "sexo") + TRAIN_COLUMNS[6:]),
            r"column 5 is 'age' where 'sexo' is expected",
        ),
        (
            header_line(tuple(c for c in TRAIN_COLUMNS if c != "renta")),
            r"missing columns \['renta'\], unexpected columns \[\]",
        ),
        ("", r"the file is empty"),
    ],
    ids=["columns-swapped", "column-missing", "empty-file"],
)
def test_bad_header_or_empty_file_stops_before_writing(
    spark: SparkSession, settings: Settings, tmp_path: Path, header: str, message: str
) -> None:
    source = tmp_path / "raw" / "train_ver2.csv"
    source.parent.mkdir()
    source.write_text(header + ("\n" + kaggle_line(JAN, 10) + "\n" if header else ""))

    with pytest.raises(InputError, match=rf"{source}: .*{message}"):
        ingest_month(spark, settings, source.parent, JAN)

    assert not Path(settings.lake_root).exists()


def test_missing_raw_file_is_named(
    spark: SparkSession, settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match=r"train_ver2.csv: not found \(nor train_ver2.csv.zip\)"):
        ingest_month(spark, settings, tmp_path, JAN)


def test_generated_zipped_dataset_ingests_every_line_without_parse_errors(
    spark: SparkSession, settings: Settings, tmp_path: Path
) -> None:
    generate_dataset(tmp_path / "generated", 200, 7, zipped=True)
    with zipfile.ZipFile(tmp_path / "generated" / "train_ver2.csv.zip") as archive:
        text = archive.read("train_ver2.csv").decode("utf-8")
    may_lines = [line for line in text.splitlines() if line.startswith("2016-05-28,")]

    record = ingest_month(spark, settings, tmp_path / "generated", date(2016, 5, 28))
    ingest_test(spark, settings, tmp_path / "generated")

    may = bronze(spark, settings)
    assert (record.rows, record.bad_lines) == (len(may_lines), 0)
    assert may.where(F.col("_parse_error").isNotNull()).count() == 0
    assert {r["fecha_dato"] for r in may.select("fecha_dato").distinct().collect()} == {
        "2016-05-28"
    }
    test = spark.read.format("delta").load(settings.table_path("bronze", "test"))
    assert test.where(F.col("_parse_error").isNotNull()).count() == 0


def test_ingest_all_again_skips_months_loaded_from_the_same_file(
    spark: SparkSession, loaded: Settings, raw_dir: Path
) -> None:
    version = spark.sql(f"DESCRIBE HISTORY delta.`{bronze_path(loaded, TRAIN)}`").first()

    assert ingest_all(spark, loaded, raw_dir) == []

    after = spark.sql(f"DESCRIBE HISTORY delta.`{bronze_path(loaded, TRAIN)}`").first()
    assert after["version"] == version["version"]
