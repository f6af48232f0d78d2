"""`santander-lake pipeline`: run every stage end to end on one raw folder."""

from __future__ import annotations

import argparse

from santander_lake.config import Settings
from santander_lake.pipeline import run_pipeline
from santander_lake.spark import get_spark


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "pipeline", help="ingest, silver, gold and train on the raw files in one run"
    )
    parser.add_argument("--raw", help="folder of the raw Kaggle files (default: paths.raw_dir)")
    parser.add_argument("--max-evals", type=int, help="hyperopt trials (default: train.max_evals)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    spark = get_spark(settings)
    run_pipeline(spark, settings, args.raw or settings.raw_dir, max_evals=args.max_evals)
    return 0
