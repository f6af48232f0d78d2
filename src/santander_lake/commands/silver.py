"""`santander-lake silver`: clean bronze months into silver, with either engine."""

from __future__ import annotations

import argparse
from datetime import date

from santander_lake.config import Settings
from santander_lake.silver import ENGINES, build_silver
from santander_lake.spark import get_spark


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "silver", help="clean bronze into silver/customer_month, quarantine and quality"
    )
    add_month_arguments(parser, "bronze")
    parser.set_defaults(handler=run)


def add_month_arguments(parser: argparse.ArgumentParser, source: str) -> None:
    """`--month M` or `--all`, and `--engine`; shared by the silver and gold commands."""
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--month", type=_month, action="append", help="YYYY-MM-DD; repeat for several"
    )
    which.add_argument("--all", action="store_true", help=f"every month in {source}")
    parser.add_argument(
        "--engine", choices=ENGINES, help="sql or dataframe (default: the stage's setting)"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    build_silver(get_spark(settings), settings, months=args.month, engine=args.engine)
    return 0


def _month(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month like 2016-05-28") from None
