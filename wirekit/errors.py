"""wirekit's exceptions and warnings.

One root, :class:`WirekitError`, so a caller can catch everything wirekit raises on purpose and
let real bugs through. Each error knows the *source* (a file name, or ``-`` for stdin) and the
*place* inside it (a JSON pointer, a line number, a byte offset), because the one-line message a
newsroom operator reads at 3 a.m. must say exactly where to look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_ESCAPES = {
    code: ascii(chr(code))[1:-1] for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
}
"""Control characters (C0, DEL, C1) and Unicode's line and paragraph separators, as Python
writes them in a string literal: ``\\n``, ``\\x1b``, ``\\u2028``."""


def printable(text: str) -> str:
    """``text`` with its control characters escaped, for a message on a terminal or in a log.

    A file name may hold a newline or an escape sequence; printed raw, it would split the
    one-line message a script parses and could drive the operator's terminal."""
    return text.translate(_ESCAPES)


def os_error_line(exc: OSError) -> str:
    """An OS error as one line: the path (or paths) and the cause, without the errno and the
    repr's quotes that ``str()`` gives."""
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    cause = exc.strerror or str(exc)
    return f"{' -> '.join(paths)}: {cause}" if paths else cause


class WirekitError(Exception):
    """The root of every error wirekit raises deliberately."""

    def __init__(self, message: str, *, source: str | None = None, place: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.place = place

    def __str__(self) -> str:
        return ": ".join(part for part in (self.source, self.place, self.message) if part)

    def located(self, source: str) -> WirekitError:
        """Attach the source name if the raiser did not know it; return self for chaining."""
        if self.source is None:
            self.source = source
        return self


class UsageError(WirekitError):
    """The caller asked for something impossible (bad option, bad combination): exit code 2."""


class UnknownFormat(UsageError, ValueError):
    """No importer or exporter answers to the given name, alias, media type or extension."""


class InputError(WirekitError):
    """The input could not be read: not UTF-8, malformed JSON or XML, no body, a missing file."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One schema violation: where it is (a JSON pointer) and what is wrong."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


class ValidationError(InputError):
    """An article does not satisfy the canonical schema; carries every problem at once."""

    def __init__(
        self, problems: Sequence[Problem], *, source: str | None = None, place: str | None = None
    ):
        self.problems = tuple(problems)
        super().__init__("; ".join(map(str, self.problems)), source=source, place=place)


class Interrupted(WirekitError):
    """The operator stopped a run (Ctrl-C) and it stopped cleanly: what it wrote is whole, and
    a rerun finishes the job. The command line exits 130."""


class ExportError(WirekitError):
    """An exporter cannot write this article at all (as opposed to writing it with a loss)."""


class LossyConversionWarning(UserWarning):
    """A field the target format cannot carry was dropped. ``--strict`` turns it into an error."""


class InputWarning(UserWarning):
    """The input was readable but had to be repaired (control characters removed, a quirk)."""


class NotPublicWarning(UserWarning):
    """An article was left out of a public output because it is not live (embargoed, withheld
    or withdrawn): said, and counted with its like, so a leaving-out is never silent."""


class CheckFailed(WirekitError):
    """A published file breaks its standard (``wirekit check``); the message says how."""


class NotChecked(WirekitError):
    """A published file's judge is not available (no specs folder, no check declared), so it is
    reported as not checked, never as passing; the message says why."""


def warning_kind(category: type[Warning], message: str) -> str:
    """What sort of warning this is, for counting alike ones together: its class and the last
    part of its message (after the file, the article and the field it names), with the field
    a format "cannot carry" left out, so each format's losses count as one kind."""
    text = message.rsplit(": ", 1)[-1]
    carry = text.find(" cannot carry ")
    if carry >= 0:
        text = text[: carry + len(" cannot carry ")] + "..."
    return f"{category.__name__}: {text}"
