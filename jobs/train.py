"""spark-submit entry for training; same arguments as `santander-lake train`."""

import sys

from santander_lake.cli import main

if __name__ == "__main__":
    sys.exit(main(["train", *sys.argv[1:]]))
