"""santander-lake: a Spark lakehouse pipeline for Santander product recommendation."""

__version__ = "0.1.0"
