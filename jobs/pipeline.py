"""spark-submit entry for the whole pipeline; same arguments as `santander-lake pipeline`."""

import sys

from santander_lake.cli import main

if __name__ == "__main__":
    sys.exit(main(["pipeline", *sys.argv[1:]]))
