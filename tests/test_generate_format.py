"""The generated files follow the Kaggle format to the byte (spec section 1 and 2)."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from santander_lake.cli import main
from santander_lake.config import load_settings
from santander_lake.errors import InputError
from santander_lake.generate import GeneratedDataset, generate_dataset
from santander_lake.schema import (
    SUBMISSION_FILE,
    TEST_COLUMNS,
    TEST_FILE,
    TRAIN_COLUMNS,
    TRAIN_FILE,
    TRAIN_MONTHS,
    header_line,
)

CUSTOMERS = 3000
COLUMN = {name: i for i, name in enumerate(TRAIN_COLUMNS)}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> GeneratedDataset:
    return generate_dataset(tmp_path_factory.mktemp("raw"), CUSTOMERS, seed=11)


@pytest.fixture(scope="module")
def train_lines(dataset: GeneratedDataset) -> list[str]:
    return dataset.files[TRAIN_FILE].read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def train_fields(train_lines: list[str]) -> list[list[str]]:
    return list(csv.reader(train_lines[1:-1]))


@pytest.fixture(scope="module")
def test_fields(dataset: GeneratedDataset) -> list[list[str]]:
    lines = dataset.files[TEST_FILE].read_text(encoding="utf-8").split("\n")
    return list(csv.reader(lines[1:-1]))


def _column(fields: list[list[str]], name: str) -> list[str]:
    return [row[COLUMN[name]] for row in fields]


def test_headers_quote_every_column_name(dataset: GeneratedDataset, train_lines: list[str]):
    test_header = dataset.files[TEST_FILE].read_text(encoding="utf-8").split("\n")[0]
    assert train_lines[0] == header_line(TRAIN_COLUMNS)
    assert train_lines[0].startswith('"fecha_dato","ncodpers",')
    assert test_header == header_line(TEST_COLUMNS)


def test_every_line_has_the_column_count_and_ends_with_a_newline(
    train_lines: list[str], train_fields: list[list[str]], test_fields: list[list[str]]
):
    assert train_lines[-1] == ""
    assert {len(row) for row in train_fields} == {48}
    assert {len(row) for row in test_fields} == {24}


def test_rows_are_sorted_by_month_on_the_28th(
    train_fields: list[list[str]], test_fields: list[list[str]]
):
    months = _column(train_fields, "fecha_dato")
    assert months == sorted(months)
    assert sorted(set(months)) == [m.isoformat() for m in TRAIN_MONTHS]
    assert {row[0] for row in test_fields} == {"2016-06-28"}


def test_province_names_are_always_quoted_with_their_commas(train_lines: list[str]):
    data = train_lines[1:-1]
    assert any(',"CORUÑA, A",' in line for line in data)
    assert any(',NA,"",' in line for line in data)
    quoted = re.compile(r',(NA|[ \d]\d),"[^"]*",')
    assert all(quoted.search(line) for line in data)


def test_padded_numeric_fields_keep_their_widths_and_na_tokens(
    train_fields: list[list[str]],
):
    ages = set(_column(train_fields, "age"))
    assert {len(v) for v in ages} == {3} and " NA" in ages
    assert all(re.fullmatch(r" *\d+| NA", v) for v in ages)

    seniority = set(_column(train_fields, "antiguedad"))
    assert {len(v) for v in seniority} == {7}
    assert {"     NA", "-999999"} <= seniority
    assert all(re.fullmatch(r" *\d+|     NA|-999999", v) for v in seniority)

    allowed = {
        "ind_nuevo": {" 0", " 1", "NA"},
        "indrel": {" 1", "99", "NA"},
        "tipodom": {" 1", "NA"},
        "ind_actividad_cliente": {" 0", " 1", "NA"},
        "ind_nomina_ult1": {" 0", " 1", "NA"},
        "ind_nom_pens_ult1": {" 0", " 1", "NA"},
    }
    for name, values in allowed.items():
        assert set(_column(train_fields, name)) == values, name
    assert all(re.fullmatch(r"NA|[ \d]\d", v) for v in _column(train_fields, "cod_prov"))


def test_renta_is_plain_in_train_and_padded_in_test(
    train_fields: list[list[str]], test_fields: list[list[str]]
):
    train = _column(train_fields, "renta")
    assert "" in train
    filled = [v for v in train if v]
    assert all(re.fullmatch(r"\d+(\.\d?[1-9])?", v) for v in filled)
    assert any(re.fullmatch(r"\d+\.\d", v) for v in filled)

    test = [row[COLUMN["renta"]] for row in test_fields]
    assert "         NA" in test
    assert all(re.fullmatch(r" *\d+\.\d\d|         NA", v) and len(v) == 11 for v in test)


def test_indrel_1mes_mixes_integer_and_decimal_codes(train_fields: list[list[str]]):
    values = _column(train_fields, "indrel_1mes")
    assert set(values) <= {"", "1", "1.0", "2", "2.0", "3", "3.0", "4", "4.0", "P"}
    integer_share = values.count("1") / (values.count("1") + values.count("1.0"))
    assert 0.2 < integer_share < 0.5
    assert "" in values


def test_last_primary_date_only_on_indrel_99_rows(train_fields: list[list[str]]):
    pairs = {(r[COLUMN["indrel"]], r[COLUMN["ult_fec_cli_1t"]] != "") for r in train_fields}
    assert pairs == {(" 1", False), ("99", True), ("NA", False)}


def test_nearly_empty_rows_keep_only_id_month_and_products(train_fields: list[list[str]]):
    empty = [row for row in train_fields if row[COLUMN["age"]] == " NA"]
    assert 0 < len(empty) < 0.01 * len(train_fields)
    demographic = [row[2:24] for row in empty]
    expected = ["", "", "", " NA", "", "NA", "     NA", "NA", "", "", "", "", "", "", "", ""]
    expected += ["NA", "NA", "", "NA", "", ""]
    assert all(fields == expected for fields in demographic)
    assert all(set(row[24:]) <= {"0", "1", " 0", " 1", "NA"} for row in empty)


def test_pandas_reads_the_files_back(dataset: GeneratedDataset):
    train = pd.read_csv(dataset.files[TRAIN_FILE], low_memory=False)
    test = pd.read_csv(dataset.files[TEST_FILE])
    submission = pd.read_csv(dataset.files[SUBMISSION_FILE])

    assert list(train.columns) == list(TRAIN_COLUMNS) and len(train) == dataset.train_rows
    assert list(test.columns) == list(TEST_COLUMNS) and len(test) == dataset.test_rows
    assert not train.duplicated(["fecha_dato", "ncodpers"]).any()
    assert set(test["ncodpers"]) <= set(train["ncodpers"])
    assert 0.15 < train["renta"].isna().mean() < 0.26
    assert train["ncodpers"].between(15_889, 1_553_689).all()
    assert list(submission.columns) == ["ncodpers", "added_products"]
    assert submission["ncodpers"].tolist() == test["ncodpers"].tolist()


def test_zipped_output_holds_the_same_bytes_and_runs_are_deterministic(tmp_path: Path):
    plain = generate_dataset(tmp_path / "plain", 300, seed=5)
    zipped = generate_dataset(tmp_path / "zipped", 300, seed=5, zipped=True)
    for name in (TRAIN_FILE, TEST_FILE, SUBMISSION_FILE):
        with zipfile.ZipFile(zipped.files[name]) as archive:
            assert archive.namelist() == [name]
            assert archive.read(name) == plain.files[name].read_bytes()
    assert not (tmp_path / "zipped" / TRAIN_FILE).exists()


def test_a_zipped_run_replaces_plain_files_left_in_the_folder(tmp_path: Path):
    generate_dataset(tmp_path, 150, seed=2)
    generate_dataset(tmp_path, 150, seed=2, zipped=True)
    names = {p.name for p in tmp_path.iterdir() if p.is_file()}
    assert names == {f"{n}.zip" for n in (TRAIN_FILE, TEST_FILE, SUBMISSION_FILE)}


def test_too_few_customers_is_refused_with_the_count(tmp_path: Path):
    with pytest.raises(InputError, match="customers must be between 100 and .* got 5"):
        generate_dataset(tmp_path, 5, seed=1)


def test_cli_generate_writes_the_competition_files_and_truth_with_settings_defaults(
    tmp_path: Path,
):
    assert main(["--profile", "test", "generate", "--out", str(tmp_path)]) == 0
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {
        TRAIN_FILE,
        TEST_FILE,
        SUBMISSION_FILE,
        "truth/test_additions.csv",
        "truth/probabilities.parquet",
    }
    test_rows = len((tmp_path / TEST_FILE).read_text(encoding="utf-8").splitlines()) - 1
    customers = load_settings("test").generate["customers"]
    assert 0.95 * customers < test_rows < customers
