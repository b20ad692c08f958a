"""``python -m wirekit``: the same as the ``wirekit`` command."""

import sys

try:
    from wirekit.cli import main
except KeyboardInterrupt:  # Ctrl-C while starting: one line, as at any other moment
    print("wirekit: interrupted", file=sys.stderr)
    sys.exit(130)

main()
