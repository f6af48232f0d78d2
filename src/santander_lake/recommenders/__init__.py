"""Recommenders that rank the 24 products for each customer of a month."""

from santander_lake.recommenders.base import Recommender, rank_products, training_rows
from santander_lake.recommenders.popularity import PopularityRecommender
from santander_lake.recommenders.sklearn_model import SklearnRecommender
from santander_lake.recommenders.xgboost_spark import XGBoostSparkRecommender

__all__ = [
    "PopularityRecommender",
    "Recommender",
    "SklearnRecommender",
    "XGBoostSparkRecommender",
    "rank_products",
    "training_rows",
]
