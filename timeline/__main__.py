"""``python -m timeline``: the same command group as the ``timeline`` script."""

from timeline.cli import main

main()
