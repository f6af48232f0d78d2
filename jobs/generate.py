"""spark-submit entry for the data generator; same arguments as `santander-lake generate`."""

import sys

from santander_lake.cli import main

if __name__ == "__main__":
    sys.exit(main(["generate", *sys.argv[1:]]))
