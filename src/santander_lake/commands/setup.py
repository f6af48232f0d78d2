"""`santander-lake setup-jars`: cache the Delta jar so sessions start offline."""

from __future__ import annotations

import argparse

from santander_lake.config import Settings
from santander_lake.jars import cache_delta_jars


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser("setup-jars", help="resolve and cache Delta's jars")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    cache_delta_jars(settings.jar_dir)
    return 0
