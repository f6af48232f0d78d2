"""The Kaggle file layout and the product table that every stage shares.

One mapping drives the generator, the loaders, both cleaning engines and the
submission writer, so a product keeps one Kaggle code and one English name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

RAW_CUSTOMER_COLUMNS: tuple[str, ...] = (
    "fecha_dato",
    "ncodpers",
    "ind_empleado",
    "pais_residencia",
    "sexo",
    "age",
    "fecha_alta",
    "ind_nuevo",
    "antiguedad",
    "indrel",
    "ult_fec_cli_1t",
    "indrel_1mes",
    "tiprel_1mes",
    "indresi",
    "indext",
    "conyuemp",
    "canal_entrada",
    "indfall",
    "tipodom",
    "cod_prov",
    "nomprov",
    "ind_actividad_cliente",
    "renta",
    "segmento",
)


@dataclass(frozen=True)
class Product:
    """One bank product: its Kaggle column, its English name, what it is."""

    code: str
    name: str
    description: str


PRODUCTS: tuple[Product, ...] = (
    Product("ind_ahor_fin_ult1", "saving_account", "saving account"),
    Product("ind_aval_fin_ult1", "guarantees", "guarantees"),
    Product("ind_cco_fin_ult1", "current_account", "current account"),
    Product("ind_cder_fin_ult1", "derivada_account", "derivada account"),
    Product("ind_cno_fin_ult1", "payroll_account", "payroll account"),
    Product("ind_ctju_fin_ult1", "junior_account", "junior account"),
    Product("ind_ctma_fin_ult1", "mas_particular_account", "más particular account"),
    Product("ind_ctop_fin_ult1", "particular_account", "particular account"),
    Product("ind_ctpp_fin_ult1", "particular_plus_account", "particular plus account"),
    Product("ind_deco_fin_ult1", "short_term_deposits", "short-term deposits"),
    Product("ind_deme_fin_ult1", "medium_term_deposits", "medium-term deposits"),
    Product("ind_dela_fin_ult1", "long_term_deposits", "long-term deposits"),
    Product("ind_ecue_fin_ult1", "e_account", "e-account"),
    Product("ind_fond_fin_ult1", "funds", "funds"),
    Product("ind_hip_fin_ult1", "mortgage", "mortgage"),
    Product("ind_plan_fin_ult1", "pensions", "pensions"),
    Product("ind_pres_fin_ult1", "loans", "loans"),
    Product("ind_reca_fin_ult1", "taxes", "taxes"),
    Product("ind_tjcr_fin_ult1", "credit_card", "credit card"),
    Product("ind_valo_fin_ult1", "securities", "securities"),
    Product("ind_viv_fin_ult1", "home_account", "home account"),
    Product("ind_nomina_ult1", "payroll", "payroll"),
    Product("ind_nom_pens_ult1", "payroll_pensions", "pensions (payroll)"),
    Product("ind_recibo_ult1", "direct_debit", "direct debit"),
)

PRODUCT_CODES: tuple[str, ...] = tuple(p.code for p in PRODUCTS)
PRODUCT_NAMES: tuple[str, ...] = tuple(p.name for p in PRODUCTS)
PRODUCT_BY_CODE: dict[str, Product] = {p.code: p for p in PRODUCTS}
PRODUCT_BY_NAME: dict[str, Product] = {p.name: p for p in PRODUCTS}

TRAIN_COLUMNS: tuple[str, ...] = RAW_CUSTOMER_COLUMNS + PRODUCT_CODES
TEST_COLUMNS: tuple[str, ...] = RAW_CUSTOMER_COLUMNS

TRAIN_FILE = "train_ver2.csv"
TEST_FILE = "test_ver2.csv"
SUBMISSION_FILE = "sample_submission.csv"


def _month_range(first: date, count: int) -> tuple[date, ...]:
    months = []
    year, month = first.year, first.month
    for _ in range(count):
        months.append(date(year, month, 28))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


TRAIN_MONTHS: tuple[date, ...] = _month_range(date(2015, 1, 28), 17)
TEST_MONTH: date = date(2016, 6, 28)
ALL_MONTHS: tuple[date, ...] = TRAIN_MONTHS + (TEST_MONTH,)


def header_line(columns: tuple[str, ...]) -> str:
    """The header as Kaggle writes it: every column name quoted."""
    return ",".join(f'"{c}"' for c in columns)
