"""`santander-lake generate`: write synthetic Kaggle files and their truth/ answer key."""

from __future__ import annotations

import argparse

from santander_lake.config import Settings
from santander_lake.generate import generate_dataset


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "generate", help="simulate customers and write train/test/sample_submission + truth/"
    )
    parser.add_argument("--customers", type=int, help="distinct customers (default: settings)")
    parser.add_argument("--seed", type=int, help="random seed (default: settings)")
    parser.add_argument("--out", help="output folder (default: paths.raw_dir)")
    parser.add_argument("--zip", action="store_true", help="write .csv.zip files as Kaggle ships")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    customers = args.customers or int(settings.generate.get("customers", 20000))
    seed = args.seed if args.seed is not None else int(settings.generate.get("seed", 7))
    generate_dataset(args.out or settings.raw_dir, customers, seed, zipped=args.zip)
    return 0
