"""The `santander-lake` command: one subcommand per job.

Each subcommand lives in `santander_lake.commands.<name>` and registers its own
arguments; this module only loads settings, sets up logging and dispatches.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from santander_lake.config import load_settings
from santander_lake.errors import SantanderLakeError
from santander_lake.logs import configure_logging

logger = logging.getLogger(__name__)

COMMAND_MODULES: tuple[str, ...] = (
    "setup",
    "generate",
    "download",
    "ingest",
    "silver",
    "gold",
    "status",
    "train",
    "pipeline",
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="santander-lake",
        description="Lakehouse pipeline for the Santander product recommendation data.",
    )
    parser.add_argument("--profile", help="settings profile under conf/ (default: local)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log DEBUG lines")
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"santander_lake.commands.{name}").register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run one job, and turn project errors into exit code 2."""
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)
    try:
        settings = load_settings(args.profile)
        return int(args.handler(args, settings) or 0)
    except SantanderLakeError as error:
        logger.error("%s", error)
        return 2


if __name__ == "__main__":
    sys.exit(main())
