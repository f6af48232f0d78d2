"""The one table from raw Kaggle columns and Spanish codes to silver's English columns.

Both cleaning engines, the gold encoders and `docs/data_dictionary.md` are built from
`COLUMNS`, so a code is translated in exactly one place. Products reuse
`schema.PRODUCTS`, which keeps the Kaggle codes that submissions need.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from santander_lake.schema import PRODUCTS

NULL_TOKENS: tuple[str, ...] = ("", "NA", "-999999")

# Kinds of column, each cleaned by one rule in both engines.
MONTH = "month"  # taken from bronze's `_month`
ID = "id"  # whole number; rows without one are quarantined
INTEGER = "integer"  # whole number checked against a range
DECIMAL = "decimal"  # real number checked against a range
DATE = "date"  # yyyy-MM-dd
CODE = "code"  # a fixed list of raw codes, each translated
TEXT = "text"  # kept as written, trimmed
DERIVED = "derived"  # computed in silver, not read from a raw column

# Reasons a raw value that is present becomes null in silver.
NOT_A_NUMBER = "not_a_number"
OUT_OF_RANGE = "out_of_range"
BAD_DATE = "bad_date"
UNKNOWN_CODE = "unknown_code"

DATE_FORMAT = "yyyy-MM-dd"
DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "data_dictionary.md"


@dataclass(frozen=True)
class Code:
    """One translated value: the raw spellings that mean it, and its silver value."""

    raw: tuple[str, ...]
    value: str | int


@dataclass(frozen=True)
class Column:
    """How one raw column becomes one silver column."""

    raw: str
    name: str
    kind: str
    sql_type: str
    description: str
    codes: tuple[Code, ...] = ()
    low: float | None = None
    high: float | None = None

    @property
    def encoded(self) -> bool:
        """True when silver holds a string code that gold turns into its stable number."""
        return self.kind == CODE and self.sql_type == "STRING"

    def number_of(self, value: str) -> int:
        """The stable gold code of a silver value: its 1-based place in `codes`."""
        return [code.value for code in self.codes].index(value) + 1


def _yes_no() -> tuple[Code, ...]:
    return (Code(("S",), 1), Code(("N",), 0))


def _zero_one() -> tuple[Code, ...]:
    return (Code(("1",), 1), Code(("0",), 0))


CUSTOMER_COLUMNS: tuple[Column, ...] = (
    Column(
        "fecha_dato", "month", MONTH, "DATE", "snapshot month (the 28th), from bronze `_month`"
    ),
    Column("ncodpers", "customer_id", ID, "BIGINT", "customer id"),
    Column(
        "ind_empleado",
        "employee_status",
        CODE,
        "STRING",
        "relation to the bank as employer",
        (
            Code(("A",), "active"),
            Code(("B",), "former_employee"),
            Code(("F",), "affiliate"),
            Code(("N",), "not_employee"),
            Code(("S", "P"), "passive"),
        ),
    ),
    Column(
        "pais_residencia",
        "country",
        TEXT,
        "STRING",
        "country of residence (ISO code); gold: base-36 number",
    ),
    Column(
        "sexo",
        "sex",
        CODE,
        "STRING",
        "sex",
        (Code(("V",), "male"), Code(("H",), "female")),
    ),
    Column("age", "age", INTEGER, "INT", "age in years", low=0, high=120),
    Column("fecha_alta", "first_contract_date", DATE, "DATE", "date of the first contract"),
    Column(
        "ind_nuevo",
        "is_new_customer",
        CODE,
        "INT",
        "registered in the last 6 months",
        _zero_one(),
    ),
    Column(
        "antiguedad",
        "seniority_months",
        INTEGER,
        "INT",
        "seniority in months",
        low=0,
        high=1200,
    ),
    Column(
        "indrel",
        "is_primary_at_month_end",
        CODE,
        "INT",
        "primary customer at the end of the month (raw 99: not any more)",
        (Code(("1",), 1), Code(("99",), 0)),
    ),
    Column("ult_fec_cli_1t", "last_primary_date", DATE, "DATE", "last date as primary customer"),
    Column(
        "indrel_1mes",
        "customer_type",
        CODE,
        "STRING",
        "customer type at the start of the month",
        (
            Code(("1", "1.0"), "primary"),
            Code(("2", "2.0"), "co_owner"),
            Code(("P",), "potential"),
            Code(("3", "3.0"), "former_primary"),
            Code(("4", "4.0"), "former_co_owner"),
        ),
    ),
    Column(
        "tiprel_1mes",
        "relation_type",
        CODE,
        "STRING",
        "relation at the start of the month",
        (
            Code(("A",), "active"),
            Code(("I",), "inactive"),
            Code(("P",), "former"),
            Code(("R",), "potential"),
            Code(("N",), "none"),
        ),
    ),
    Column("indresi", "is_resident", CODE, "INT", "resident in the bank's country", _yes_no()),
    Column("indext", "is_foreigner", CODE, "INT", "born abroad", _yes_no()),
    Column("conyuemp", "is_employee_spouse", CODE, "INT", "spouse of an employee", _yes_no()),
    Column(
        "canal_entrada",
        "channel",
        TEXT,
        "STRING",
        "acquisition channel code; gold: base-36 number",
    ),
    Column("indfall", "is_deceased", CODE, "INT", "deceased", _yes_no()),
    Column("tipodom", "address_type", INTEGER, "INT", "address type (1 primary)", low=1, high=1),
    Column("cod_prov", "province_code", INTEGER, "INT", "province code (INE)", low=1, high=52),
    Column("nomprov", "province", TEXT, "STRING", "province name as written"),
    Column(
        "ind_actividad_cliente",
        "is_active",
        CODE,
        "INT",
        "active customer",
        _zero_one(),
    ),
    Column("renta", "income", DECIMAL, "DOUBLE", "gross household income", low=0, high=1e10),
    Column(
        "",
        "income_imputed",
        DERIVED,
        "INT",
        "1 when income was missing and took the month's median of its province and segment",
    ),
    Column(
        "segmento",
        "segment",
        CODE,
        "STRING",
        "customer segment",
        (
            Code(("01 - TOP",), "vip"),
            Code(("02 - PARTICULARES",), "individual"),
            Code(("03 - UNIVERSITARIO",), "graduate"),
        ),
    ),
)

PRODUCT_COLUMNS: tuple[Column, ...] = tuple(
    Column(p.code, p.name, CODE, "INT", f"owns {p.description} at month end", _zero_one())
    for p in PRODUCTS
)

COLUMNS: tuple[Column, ...] = CUSTOMER_COLUMNS + PRODUCT_COLUMNS
COLUMN_BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
SILVER_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMNS)
RAW_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.kind not in (MONTH, DERIVED))
CHECKED_COLUMNS: tuple[Column, ...] = tuple(
    c for c in COLUMNS if c.kind in (INTEGER, DECIMAL, DATE, CODE)
)
ENCODED_COLUMNS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.encoded)


def render_data_dictionary() -> str:
    """The markdown data dictionary of silver, generated from `COLUMNS`."""
    lines = [
        "# Silver data dictionary: `silver/customer_month`",
        "",
        "Generated from `santander_lake.translate.COLUMNS` by "
        "`python -m santander_lake.translate`; do not edit by hand.",
        "",
        f"Raw values {', '.join(repr(t) for t in NULL_TOKENS)} (after trimming) become null. "
        "A present value that does not parse, is out of range or is an unknown code "
        "becomes null too, and is counted by reason in `silver/quality`. "
        "In gold, string codes become the number shown in brackets.",
        "",
        "| silver column | type | raw column | meaning | values |",
        "|---|---|---|---|---|",
    ]
    for column in COLUMNS:
        raw = f"`{column.raw}`" if column.raw else "(derived)"
        lines.append(
            f"| `{column.name}` | {column.sql_type} | {raw} | {column.description} "
            f"| {_describe_values(column)} |"
        )
    return "\n".join(lines) + "\n"


def _describe_values(column: Column) -> str:
    if column.kind == CODE:
        parts = []
        for code in column.codes:
            raw = "/".join(f"`{r}`" for r in code.raw)
            number = f" [{column.number_of(code.value)}]" if column.encoded else ""
            parts.append(f"{raw} → `{code.value}`{number}")
        return "; ".join(parts)
    if column.kind in (INTEGER, DECIMAL):
        return f"{column.low:g} to {column.high:g}"
    if column.kind == DATE:
        return DATE_FORMAT
    return ""


def write_data_dictionary(path: Path = DOC_PATH) -> Path:
    """Write the data dictionary markdown; idempotent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_data_dictionary(), encoding="utf-8")
    return path


if __name__ == "__main__":
    write_data_dictionary()
