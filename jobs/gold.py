"""spark-submit entry for the gold stage; same arguments as `santander-lake gold`."""

import sys

from santander_lake.cli import main

if __name__ == "__main__":
    sys.exit(main(["gold", *sys.argv[1:]]))
