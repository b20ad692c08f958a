"""HTTP for SPARQL endpoints: deadlines, strict redirects, and URLs that never show a secret.

Built on :mod:`http.client` rather than httpx: httpx's timeouts (connect, read, write, pool) are,
like the standard library's socket timeout, limits on *each* socket operation, so a server that
sends one byte a second keeps either of them busy for ever. A total deadline needs a check of our
own in both cases, and with it the standard library does all wirekit asks (kept-alive connections,
TLS verified with the system's certificates, chunked uploads) without another dependency.

- :func:`redact` is the one way a URL reaches a message: whatever it does not understand as
  harmless is replaced by ``***``.
- :func:`redact_text` does the same for free text that may quote a URL or a credential (the
  message of an exception nobody expected).
- :func:`checked_url` turns a URL into its parts or a one-line usage error (never a
  ``ValueError`` from deep inside :mod:`urllib`).
- :class:`Watchdog` gives each phase of an exchange (connect, upload, answer) a total deadline: when
  it passes, the socket is shut down, so a read blocked on a slow server returns at once.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field

from wirekit.errors import UsageError

SECRET_MARK = "***"
_SCHEME = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?/*")
_SECRET_NAME = re.compile(r"token|pass|pwd|secret|key|auth|cred|sig|session|cookie", re.I)
_PORT = re.compile(r"^(\[[^\]]*\]|[^:]*):(.*)$")


def redact(url: str) -> str:
    """``url`` fit to print: user information (anything between the scheme's ``:`` or ``//``
    and the last ``@``), a port that is not a number (``http://host:password``, a user name taken
    for a host) and the values of query parameters named like a token, a password or a key
    become ``***``. It never fails, whatever the text: it is used on URLs that did not parse."""
    text = " ".join(url.split())  # one line, whatever was pasted
    start = _SCHEME.match(text)
    begin = start.end() if start else 0
    at = text.rfind("@")
    if at >= begin:
        text = text[:begin] + SECRET_MARK + text[at:]
        begin += len(SECRET_MARK) + 1
    end = len(text)
    for mark in "/?#":
        found = text.find(mark, begin)
        if found != -1:
            end = min(end, found)
    authority = text[begin:end]
    port = _PORT.match(authority)
    if port and port[2] and not (port[2].isascii() and port[2].isdigit()):
        text = text[:begin] + port[1] + ":" + SECRET_MARK + text[end:]
        end = begin + len(port[1]) + 1 + len(SECRET_MARK)
    path_query, hash_mark, fragment = text[end:].partition("#")
    path, question_mark, query = path_query.partition("?")
    fields = []
    for item in query.split("&") if question_mark else []:
        name, equals, _ = item.partition("=")
        secret = _SECRET_NAME.search(urllib.parse.unquote_plus(name))
        fields.append(f"{name}={SECRET_MARK}" if equals and secret else item)
    if _SECRET_NAME.search(fragment):
        fragment = SECRET_MARK
    return text[:end] + path + question_mark + "&".join(fields) + hash_mark + fragment


_WORD = re.compile(r"\S+")
_PIECE = re.compile(r"[^:/@?&#=\[\]\s]+")
_SHORT = 4
"""A secret shorter than this is hidden only where it stands alone: hiding every ``a`` of a
message would make it unreadable, and a secret that short is no secret."""


def redact_text(text: str, urls: Iterable[str] = (), secrets: Iterable[str] = ()) -> str:
    """``text`` fit to print when it may quote a URL or a credential, as the message of an
    unexpected exception may: every word goes through :func:`redact`, and the ``secrets``, with
    every part of the ``urls`` that :func:`redact` hides, become ``***`` wherever they appear.
    Redacting words is not enough: a library may quote a piece of a URL on its own
    (``Port could not be cast to integer value as 'password'``), or a header it refused.
    ``urls`` may be any strings (a command line's arguments): only those :func:`redact` changes
    give secrets."""
    hidden = {secret for secret in secrets if secret}
    for url in urls:
        shown = redact(url)
        if shown != url:
            kept = set(_PIECE.findall(shown))
            hidden.update(piece for piece in _PIECE.findall(url) if piece not in kept)
    text = _WORD.sub(lambda word: redact(word[0]), text)
    for secret in sorted(hidden, key=len, reverse=True):
        pattern = re.escape(secret)
        if len(secret) < _SHORT:
            pattern = rf"(?<![A-Za-z0-9]){pattern}(?![A-Za-z0-9])"
        text = re.sub(pattern, SECRET_MARK, text)
    return text


def checked_url(url: str) -> urllib.parse.SplitResult:
    """The URL's parts, if it is one wirekit can use; a one-line :class:`UsageError` that shows
    the URL only through :func:`redact` otherwise."""
    try:
        parts = urllib.parse.urlsplit(url)
        port_ok = parts.port is None or 0 < parts.port < 65536
        credentials = parts.username is not None or parts.password is not None
    except ValueError:  # a port that is not a number, a bracket left open
        raise UsageError(
            f"{redact(url)}: not a URL wirekit can use (is a port or a host misspelt?)"
        ) from None
    if credentials or "@" in url:
        raise UsageError(
            f"{redact(url)}: an endpoint URL may not hold credentials: put them in "
            "WIREKIT_ENDPOINT_USER and WIREKIT_ENDPOINT_PASSWORD (or WIREKIT_ENDPOINT_TOKEN)"
        )
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise UsageError(f"{redact(url)}: an endpoint URL is http:// or https:// and names a host")
    return parts


def origin(parts: urllib.parse.SplitResult) -> tuple[str, str, int]:
    """(scheme, host, port): two URLs with the same origin may share credentials."""
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def printable(payload: bytes, limit: int = 200) -> str:
    """The first ``limit`` bytes of an answer on one line, control characters escaped, so a
    message can quote junk without garbling a terminal."""
    text = payload[:limit].decode("utf-8", "replace")
    shown = "".join(" " if c.isspace() else c if c.isprintable() else repr(c)[1:-1] for c in text)
    return " ".join(shown.split()) + ("…" if len(payload) > limit else "")


@dataclass(order=True)
class _Alarm:
    when: float
    number: int
    sock: socket.socket | None = field(compare=False, default=None)
    rang: bool = field(compare=False, default=False)


class Watchdog:
    """One thread that shuts a socket down when its phase's deadline passes.

    A socket timeout bounds each ``recv``, not a phase: a server dribbling a byte at a time
    never trips it. Shutting the socket down from outside makes the blocked read return at
    once, whichever call of :mod:`http.client` it is in. One thread serves every connection,
    so arming costs a heap push, not a thread per request.
    """

    def __init__(self) -> None:
        self._alarms: list[_Alarm] = []
        self._wake = threading.Condition()
        self._numbers = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, sock: socket.socket, seconds: float) -> _Alarm:
        alarm = _Alarm(time.monotonic() + seconds, next(self._numbers), sock)
        with self._wake:
            heapq.heappush(self._alarms, alarm)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._watch, name="wirekit-deadlines", daemon=True
                )
                self._thread.start()
            self._wake.notify()
        return alarm

    def disarm(self, alarm: _Alarm) -> bool:
        """Stop watching; whether the deadline had passed (the socket is then unusable)."""
        with self._wake:
            alarm.sock = None
            return alarm.rang

    def _watch(self) -> None:
        with self._wake:
            while True:
                while self._alarms and self._alarms[0].sock is None:
                    heapq.heappop(self._alarms)
                if not self._alarms:
                    self._wake.wait()
                    continue
                first = self._alarms[0]
                left = first.when - time.monotonic()
                if left > 0:
                    self._wake.wait(left)
                    continue
                heapq.heappop(self._alarms)
                first.rang = True
                sock, first.sock = first.sock, None
                if sock is not None:
                    with contextlib.suppress(OSError):  # closed already: nothing to stop
                        sock.shutdown(socket.SHUT_RDWR)
