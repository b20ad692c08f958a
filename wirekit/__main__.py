"""``python -m wirekit``: the same as the ``wirekit`` command."""

from wirekit.cli import main

main()
