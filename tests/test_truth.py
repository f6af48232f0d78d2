"""The truth/ readers return the generator's answer key in the agreed shape."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from santander_lake.errors import InputError
from santander_lake.generate import GeneratedDataset, generate_dataset
from santander_lake.schema import PRODUCT_CODES, TEST_FILE, TRAIN_FILE
from santander_lake.truth import TRUTH_MONTHS, read_test_additions, read_true_probabilities


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> GeneratedDataset:
    return generate_dataset(tmp_path_factory.mktemp("raw"), 1500, seed=21)


@pytest.fixture(scope="module")
def train(dataset: GeneratedDataset) -> pd.DataFrame:
    columns = ["fecha_dato", "ncodpers", *PRODUCT_CODES]
    return pd.read_csv(dataset.files[TRAIN_FILE], usecols=columns, na_values=["NA"])


def test_test_additions_has_one_row_per_test_customer_and_a_30_70_split(
    dataset: GeneratedDataset,
):
    additions = read_test_additions(dataset.out_dir)
    test = pd.read_csv(dataset.files[TEST_FILE], usecols=["ncodpers"])
    assert list(additions.columns) == ["ncodpers", "added_products", "Usage"]
    assert additions["ncodpers"].tolist() == test["ncodpers"].tolist()
    assert set(additions["Usage"]) == {"Public", "Private"}
    assert abs((additions["Usage"] == "Public").mean() - 0.3) < 0.001
    products = {p for text in additions["added_products"] for p in text.split()}
    assert products and products <= set(PRODUCT_CODES)
    assert (additions["added_products"] == "").mean() > 0.9


def test_probabilities_of_one_month_cover_every_product_not_owned_before(
    dataset: GeneratedDataset, train: pd.DataFrame
):
    truth = read_true_probabilities(dataset.out_dir, "2016-03-28")
    assert list(truth.columns) == ["fecha_dato", "ncodpers", "product", "probability", "added"]
    assert str(truth["ncodpers"].dtype) == "int64" and str(truth["added"].dtype) == "int8"
    assert set(truth["fecha_dato"]) == {"2016-03-28"}
    assert truth["probability"].between(0, 1).all()

    before = train[train["fecha_dato"] == "2016-02-28"].set_index("ncodpers")[list(PRODUCT_CODES)]
    now = train[train["fecha_dato"] == "2016-03-28"].set_index("ncodpers")[list(PRODUCT_CODES)]
    both = before.index.intersection(now.index)
    not_owned = before.loc[both].fillna(0).stack()
    expected = set(not_owned[not_owned == 0].index)
    assert set(zip(truth["ncodpers"], truth["product"], strict=True)) == expected

    gained = (now.loc[both].fillna(0) == 1) & (before.loc[both].fillna(0) == 0)
    realised = gained.stack()
    assert set(realised[realised].index) == set(
        zip(*truth.loc[truth["added"] == 1, ["ncodpers", "product"]].T.values, strict=True)
    )


def test_test_month_probabilities_agree_with_test_additions(dataset: GeneratedDataset):
    truth = read_true_probabilities(dataset.out_dir, date(2016, 6, 28))
    additions = read_test_additions(dataset.out_dir)
    from_truth = truth[truth["added"] == 1].groupby("ncodpers")["product"].apply(set)
    from_file = {
        row.ncodpers: set(row.added_products.split())
        for row in additions.itertuples()
        if row.added_products
    }
    assert from_truth.to_dict() == from_file


def test_every_truth_month_is_readable_and_others_are_refused(dataset: GeneratedDataset):
    assert [m.isoformat() for m in TRUTH_MONTHS][0] == "2016-01-28"
    for month in TRUTH_MONTHS:
        assert len(read_true_probabilities(dataset.out_dir, month)) > 0
    with pytest.raises(InputError, match="no true probabilities for 2015-12-28"):
        read_true_probabilities(dataset.out_dir, "2015-12-28")
    with pytest.raises(InputError, match="month must be YYYY-MM-DD, got 'June'"):
        read_true_probabilities(dataset.out_dir, "June")


def test_missing_truth_folder_is_reported_with_its_path(tmp_path: Path):
    with pytest.raises(InputError, match="test_additions.csv: no truth file"):
        read_test_additions(tmp_path)
    with pytest.raises(InputError, match="probabilities.parquet: no truth file"):
        read_true_probabilities(tmp_path, "2016-06-28")
