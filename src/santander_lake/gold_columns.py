"""The columns of `gold/features` and `gold/labels`, shared by both gold engines and by training.

A feature row for month M reads silver month M for customer attributes and months
M-1..M-MAX_LAG for product ownership, never ownership in M itself.
"""

from __future__ import annotations

from santander_lake.schema import PRODUCT_NAMES
from santander_lake.translate import ENCODED_COLUMNS

MAX_LAG = 5
SHORT_WINDOW = 3
# Additions and drops are changes between two observed months, so 5 lags show 4 of them.
LONG_WINDOW = MAX_LAG - 1
WINDOWS: tuple[int, ...] = (SHORT_WINDOW, LONG_WINDOW)
LAGS: tuple[int, ...] = tuple(range(1, MAX_LAG + 1))

KEY_COLUMNS: tuple[str, ...] = ("month", "customer_id")

# Silver attributes copied unchanged into gold.
PASSED_ATTRIBUTES: tuple[str, ...] = (
    "age",
    "seniority_months",
    "income",
    "income_imputed",
    "is_new_customer",
    "is_active",
    "is_primary_at_month_end",
    "is_resident",
    "is_foreigner",
    "is_employee_spouse",
    "is_deceased",
    "province_code",
)
# Silver text codes turned into numbers by reading them as base-36 numerals (KHE -> 26546).
BASE36_ATTRIBUTES: tuple[str, ...] = ("channel", "country")
DERIVED_ATTRIBUTES: tuple[str, ...] = ("log_income", "month_of_year", "tenure_months")

PRODUCT_AGGREGATES: tuple[str, ...] = (
    "n_owned_lag1",
    *(f"n_{change}_last{w}m" for w in WINDOWS for change in ("added", "dropped")),
    f"months_present_last{MAX_LAG}m",
)


def owned_lag(lag: int, product: str) -> str:
    """Column name of ownership of `product` `lag` months before the row's month."""
    return f"owned_lag{lag}_{product}"


def changed_within(change: str, window: int, product: str) -> str:
    """Column name counting `change` ('added' or 'dropped') of `product` in the last months."""
    return f"{change}_last{window}m_{product}"


def months_since(change: str, product: str) -> str:
    """Column name of months since `product` was last `change`d, null if not within the lags."""
    return f"months_since_{change}_{product}"


def product_feature_columns() -> tuple[str, ...]:
    """Every per-product feature, grouped by kind, products in schema order."""
    names = [owned_lag(lag, p) for lag in LAGS for p in PRODUCT_NAMES]
    for window in WINDOWS:
        for change in ("added", "dropped"):
            names += [changed_within(change, window, p) for p in PRODUCT_NAMES]
    for change in ("added", "dropped"):
        names += [months_since(change, p) for p in PRODUCT_NAMES]
    return tuple(names)


ATTRIBUTE_COLUMNS: tuple[str, ...] = (
    *PASSED_ATTRIBUTES,
    *(f"{column.name}_code" for column in ENCODED_COLUMNS),
    *(f"{name}_code" for name in BASE36_ATTRIBUTES),
    *DERIVED_ATTRIBUTES,
)
FEATURE_COLUMNS: tuple[str, ...] = (
    *KEY_COLUMNS,
    *ATTRIBUTE_COLUMNS,
    *PRODUCT_AGGREGATES,
    *product_feature_columns(),
)
LABEL_COLUMNS: tuple[str, ...] = ("month", "customer_id", "product", "product_code")
