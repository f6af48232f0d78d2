"""spark-submit entry for bronze ingestion; same arguments as `santander-lake ingest`."""

import sys

from santander_lake.cli import main

if __name__ == "__main__":
    sys.exit(main(["ingest", *sys.argv[1:]]))
