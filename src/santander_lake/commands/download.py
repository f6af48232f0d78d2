"""`santander-lake download`: fetch the competition files from Kaggle into the raw folder."""

from __future__ import annotations

import argparse

from santander_lake.config import Settings
from santander_lake.download import download_competition


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "download", help="fetch the Kaggle competition files (needs Kaggle credentials)"
    )
    parser.add_argument("--raw", help="folder to download into (default: paths.raw_dir)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    download_competition(args.raw or settings.raw_dir)
    return 0
