"""Load the SQL files shipped in `santander_lake/sql` and fill their `$placeholders`."""

from __future__ import annotations

from importlib.resources import files
from string import Template


def render_sql(name: str, **values: str) -> str:
    """The text of `sql/<name>.sql` with every `$placeholder` replaced; missing ones raise."""
    text = files("santander_lake").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")
    return Template(text).substitute(values)


def quote(value: str) -> str:
    """A Spark SQL string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
