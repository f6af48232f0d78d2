"""`santander-lake gold`: build point-in-time features and labels from silver."""

from __future__ import annotations

import argparse

from santander_lake.commands.silver import add_month_arguments
from santander_lake.config import Settings
from santander_lake.features import build_gold
from santander_lake.spark import get_spark


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "gold",
        help="build gold/features and gold/labels; --month M rebuilds M and the 5 months after",
    )
    add_month_arguments(parser, "silver")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    build_gold(get_spark(settings), settings, changed=args.month, engine=args.engine)
    return 0
