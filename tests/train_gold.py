"""Small gold-shaped Delta tables with a planted, learnable signal, for the training tests.

Each month a customer adds something with probability ADD_RATE; the product is
`current_account` (35%) or, by the `signal` feature, `credit_card` (signal > 0.5)
or `e_account`. Customers over 50 also add payroll and payroll pensions together
with probability 0.2. A product owned last month is never added. A few
customers per month are new (ownership lags null) and add nothing. `is_deceased`
is constant, as real gold columns can be in a small sample.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from pyspark.sql import SparkSession

from santander_lake.config import Settings, load_settings
from santander_lake.schema import PRODUCT_BY_NAME, PRODUCT_NAMES

GOLD_MONTHS = (
    date(2015, 5, 28),
    date(2016, 2, 28),
    date(2016, 3, 28),
    date(2016, 4, 28),
    date(2016, 5, 28),
)
ADD_RATE = 0.3
COMMON = "current_account"
HIGH, LOW = "credit_card", "e_account"
PAIR = ("payroll", "payroll_pensions")
OWNED_RATE = 0.1

_SHARED: dict[str, Path] = {}


def true_probabilities(frame: pd.DataFrame) -> pd.DataFrame:
    """Per customer-month and product not owned: the probability of adding it."""
    rows = []
    for record in frame.itertuples(index=False):
        if pd.isna(getattr(record, f"owned_lag1_{COMMON}")):
            continue
        chance = {
            COMMON: ADD_RATE * 0.35,
            HIGH: ADD_RATE * 0.65 if record.signal > 0.5 else 0.0,
            LOW: ADD_RATE * 0.65 if record.signal <= 0.5 else 0.0,
        }
        for product in PAIR:
            chance[product] = 0.2 if record.age > 50 else 0.0
        for product in PRODUCT_NAMES:
            if getattr(record, f"owned_lag1_{product}") == 1:
                continue
            rows.append((record.month, record.customer_id, product, chance.get(product, 0.0)))
    return pd.DataFrame(rows, columns=["month", "customer_id", "product", "probability"])


def build_month(
    month: date, customers: int, rng: np.random.Generator
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Features and labels of one month."""
    frame = pd.DataFrame(
        {
            "month": month,
            "customer_id": np.arange(1, customers + 1, dtype=np.int64),
            "signal": rng.random(customers),
            "age": rng.integers(18, 80, customers).astype(np.int32),
            "noise": rng.normal(size=customers),
            "is_deceased": np.zeros(customers, dtype=np.int32),
        }
    )
    new = rng.random(customers) < 0.05
    for product in PRODUCT_NAMES:
        owned = (rng.random(customers) < OWNED_RATE).astype(float)
        owned[new] = np.nan
        frame[f"owned_lag1_{product}"] = pd.array(owned, dtype="Int32")

    labels = []
    for record in frame.itertuples(index=False):
        if pd.isna(getattr(record, f"owned_lag1_{COMMON}")):
            continue
        chosen = []
        if rng.random() < ADD_RATE:
            if rng.random() < 0.35:
                chosen.append(COMMON)
            else:
                chosen.append(HIGH if record.signal > 0.5 else LOW)
        if record.age > 50:
            for product in PAIR:
                if rng.random() < 0.2:
                    chosen.append(product)
        for product in chosen:
            if getattr(record, f"owned_lag1_{product}") != 1:
                code = PRODUCT_BY_NAME[product].code
                labels.append((month, record.customer_id, product, code))
    columns = ["month", "customer_id", "product", "product_code"]
    return frame, pd.DataFrame(labels, columns=columns)


def write_gold(
    spark: SparkSession, settings: Settings, customers: int = 1200, seed: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write `<lake>/gold/features` and `<lake>/gold/labels`; return both as pandas."""
    rng = np.random.default_rng(seed)
    parts = [build_month(month, customers, rng) for month in GOLD_MONTHS]
    features = pd.concat([p[0] for p in parts], ignore_index=True)
    labels = pd.concat([p[1] for p in parts], ignore_index=True)

    spark.createDataFrame(features).write.format("delta").mode("overwrite").save(
        settings.table_path("gold", "features")
    )
    spark.createDataFrame(labels).write.format("delta").mode("overwrite").save(
        settings.table_path("gold", "labels")
    )
    return features, labels


def write_truth(raw_dir: Path, features: pd.DataFrame, labels: pd.DataFrame) -> None:
    """The generator's truth file for every month, per the generator -> truth contract."""
    truth = true_probabilities(features)
    added = set(zip(labels["month"], labels["customer_id"], labels["product"], strict=True))
    truth["added"] = [
        int((m, c, p) in added)
        for m, c, p in zip(truth["month"], truth["customer_id"], truth["product"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "fecha_dato": truth["month"].map(lambda m: m.isoformat()),
            "ncodpers": truth["customer_id"].astype("int64"),
            "product": truth["product"].map(lambda p: PRODUCT_BY_NAME[p].code),
            "probability": truth["probability"].astype("float64"),
            "added": truth["added"].astype("int8"),
        }
    )
    (raw_dir / "truth").mkdir(parents=True, exist_ok=True)
    frame.to_parquet(raw_dir / "truth" / "probabilities.parquet", index=False)


def shared_gold_root(spark: SparkSession, tmp_path_factory) -> Path:
    """A folder holding `lake/gold/*` and `raw/truth/`, written once per test session."""
    if "root" not in _SHARED:
        root = tmp_path_factory.mktemp("train-gold")
        settings = gold_settings(root)
        features, labels = write_gold(spark, settings, customers=1000)
        write_truth(root / "raw", features, labels)
        _SHARED["root"] = root
    return _SHARED["root"]


def gold_settings(root: Path, mlflow_dir: Path | None = None) -> Settings:
    """Test settings whose lake is `root/lake` and whose MLflow store is in `mlflow_dir`."""
    store = mlflow_dir or root
    return load_settings(
        profile="test",
        overrides={
            "paths": {"lake_root": str(root / "lake"), "raw_dir": str(root / "raw")},
            "mlflow": {"tracking_uri": f"sqlite:///{store / 'mlflow.db'}"},
        },
    )
