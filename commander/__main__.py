"""``python -m commander``: the same as the ``commander`` command (and the bundle's entry)."""

import sys

from commander.cli import main

if __name__ == "__main__":
    sys.exit(main())
