"""The mapping table: complete, unambiguous, and the data dictionary generated from it."""

from __future__ import annotations

from santander_lake.schema import PRODUCTS, TRAIN_COLUMNS
from santander_lake.translate import (
    CODE,
    COLUMN_BY_NAME,
    COLUMNS,
    DOC_PATH,
    ENCODED_COLUMNS,
    SILVER_COLUMNS,
    render_data_dictionary,
)

CONTRACT_COLUMNS = (
    "month",
    "customer_id",
    "age",
    "seniority_months",
    "income",
    "income_imputed",
    "sex",
    "segment",
    "province",
    "province_code",
    "channel",
    "is_active",
    "employee_status",
    "customer_type",
    "relation_type",
    "is_resident",
    "is_foreigner",
    "is_deceased",
    "first_contract_date",
    "is_new_customer",
)


def test_every_raw_column_maps_to_exactly_one_silver_column():
    raw = [c.raw for c in COLUMNS if c.raw]

    assert sorted(raw) == sorted(TRAIN_COLUMNS)
    assert len(set(SILVER_COLUMNS)) == len(SILVER_COLUMNS)


def test_silver_has_the_contract_names_and_products_keep_their_kaggle_codes():
    assert set(CONTRACT_COLUMNS) <= set(SILVER_COLUMNS)
    for product in PRODUCTS:
        assert COLUMN_BY_NAME[product.name].raw == product.code


def test_no_raw_code_means_two_things_and_english_values_are_snake_case():
    for column in (c for c in COLUMNS if c.kind == CODE):
        spellings = [raw for code in column.codes for raw in code.raw]
        assert len(spellings) == len(set(spellings)), column.name
        for code in column.codes:
            assert not isinstance(code.value, str) or code.value.isidentifier()


def test_string_codes_have_stable_numbers_in_table_order():
    sex = COLUMN_BY_NAME["sex"]
    segment = COLUMN_BY_NAME["segment"]

    assert [sex.number_of("male"), sex.number_of("female")] == [1, 2]
    assert segment.number_of("vip") == 1 and segment.number_of("graduate") == 3
    assert {c.name for c in ENCODED_COLUMNS} == {
        "employee_status",
        "sex",
        "customer_type",
        "relation_type",
        "segment",
    }


def test_data_dictionary_in_docs_is_generated_from_the_current_table():
    assert DOC_PATH.read_text(encoding="utf-8") == render_data_dictionary(), (
        "docs/data_dictionary.md is stale: run `python -m santander_lake.translate`"
    )
    assert "| `province` | STRING | `nomprov` |" in DOC_PATH.read_text(encoding="utf-8")
