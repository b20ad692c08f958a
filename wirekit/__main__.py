"""``python -m wirekit``: the same as the ``wirekit`` command."""

from .cli import main

main()
