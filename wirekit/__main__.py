"""``python -m wirekit``, and the ``wirekit`` command: :func:`run`.

The command starts here rather than in :mod:`wirekit.cli`, so that a Ctrl-C while the command
line's modules are still being imported is one line and exit 130, as at any other moment, not
Python's traceback. Importing the package itself costs next to nothing (see :mod:`wirekit`).
"""

import sys


def run() -> None:
    """The ``wirekit`` command."""
    try:
        from wirekit.cli import main
    except KeyboardInterrupt:
        print("wirekit: interrupted", file=sys.stderr)
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
