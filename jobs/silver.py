"""spark-submit entry for the silver stage; same arguments as `santander-lake silver`."""

import sys

from santander_lake.cli import main

if __name__ == "__main__":
    sys.exit(main(["silver", *sys.argv[1:]]))
