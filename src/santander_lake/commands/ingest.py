"""`santander-lake ingest`: load raw Kaggle files into the bronze Delta tables."""

from __future__ import annotations

import argparse

from santander_lake.config import Settings
from santander_lake.errors import InputError
from santander_lake.ingest import ingest_all, ingest_month, ingest_test, parse_month
from santander_lake.spark import get_spark


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "ingest", help="load train_ver2.csv / test_ver2.csv (plain or .zip) into bronze"
    )
    parser.add_argument("--raw", help="folder holding the raw files (default: paths.raw_dir)")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--month", help="one train month to (re)load, e.g. 2015-03-28")
    which.add_argument("--all", action="store_true", help="every train month, one commit each")
    which.add_argument("--test", action="store_true", help="test_ver2.csv into bronze/test")
    parser.add_argument(
        "--force", action="store_true", help="with --all, reload months already loaded"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.force and not args.all:
        raise InputError("--force only applies to --all; --month and --test always reload")
    raw_dir = args.raw or settings.raw_dir
    spark = get_spark(settings)
    if args.month:
        ingest_month(spark, settings, raw_dir, parse_month(args.month))
    elif args.all:
        ingest_all(spark, settings, raw_dir, force=args.force)
    else:
        ingest_test(spark, settings, raw_dir)
    return 0
