"""`santander-lake train`: tune, fit and evaluate the recommender, tracked in MLflow."""

from __future__ import annotations

import argparse

from santander_lake.config import Settings
from santander_lake.spark import get_spark
from santander_lake.train import train, train_options


def register(subcommands: argparse._SubParsersAction) -> None:
    parser = subcommands.add_parser(
        "train", help="tune and fit XGBoost on gold, score the held-out month, log to MLflow"
    )
    parser.add_argument(
        "--target-month", help="held-out month, e.g. 2016-05-28 (default: train.target_month)"
    )
    parser.add_argument(
        "--max-evals",
        type=int,
        help="hyperopt trials; 0 keeps the configured parameters (default: train.max_evals)",
    )
    parser.add_argument(
        "--cv-months",
        nargs="*",
        help="rolling CV fold months (default: train.cv_months; none given: no CV)",
    )
    parser.add_argument(
        "--raw",
        help="raw folder whose truth/ gives the oracle score "
        "(default: paths.raw_dir, used only if it holds truth)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    options = train_options(settings, args.target_month, args.max_evals, args.cv_months)
    train(get_spark(settings), settings, options, raw_dir=args.raw or settings.raw_dir)
    return 0
