"""Query answers, read and written as they arrive, so memory does not grow with an answer.

An :class:`Answer` holds an ASK's boolean, a SELECT's variables and an iterator of its rows (each a
SPARQL 1.1 JSON results binding), or a CONSTRUCT's N-Triples lines. Both stores make one: the
embedded store from Oxigraph's lazy solutions, a server from its JSON answer parsed incrementally
with ijson (a well-kept, C-backed streaming JSON parser: :mod:`json` and orjson read a whole
document at once, which is what made a 400 MB answer take 825 MB). :func:`write` renders it: CSV,
TSV and JSON row by row; the table, which needs every row for its column widths, is for people.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, TextIO

Binding = dict[str, str]
"""One term in SPARQL 1.1 JSON results form: ``type``, ``value``, ``xml:lang`` or ``datatype``."""
Row = dict[str, Binding]
FORMS = ("table", "csv", "tsv", "json")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class Answer:
    """A query's answer: exactly one of ``boolean``, ``rows`` (with ``variables``) or
    ``triples`` is set. The iterators may raise a :class:`wirekit.errors.WirekitError` when the
    rest of the answer turns out to be broken."""

    variables: list[str] = field(default_factory=list)
    rows: Iterator[Row] | None = None
    boolean: bool | None = None
    triples: Iterator[str] | None = None
    """N-Triples, one statement per item, each ending in a line break."""
    close: Callable[[], None] = lambda: None
    """Release what the answer is read from; call it once the answer is written (it may
    raise the store's error for an answer that came too late)."""


class Broken(Exception):
    """The answer does not parse (internal: the store turns it into its one-line error)."""


def from_json(stream: IO[bytes], fail: Callable[[str], Exception]) -> Answer:
    """Read SPARQL JSON results from ``stream`` as they arrive. The head must come before the
    rows (every server we know writes it first); ``fail(reason)`` makes the error to raise when
    the answer is broken, before or after the first row."""
    import ijson

    events = ijson.parse(stream, use_float=True)
    variables: list[str] = []
    try:
        for prefix, event, value in events:
            if prefix == "head.vars.item" and event == "string":
                variables.append(value)
            elif prefix == "boolean" and event == "boolean":
                _drain(events)
                return Answer(boolean=bool(value))
            elif prefix == "results.bindings" and event == "start_array":
                return Answer(variables=variables, rows=_rows(events, fail))
    except ijson.JSONError as exc:
        raise fail(f"it does not parse ({_reason(exc)})") from None
    raise fail("it is not SPARQL JSON results (no boolean, no bindings)")


def _rows(
    events: Iterator[tuple[str, str, Any]], fail: Callable[[str], Exception]
) -> Iterator[Row]:
    import ijson

    try:
        builder: Any = None
        for prefix, event, value in events:
            if prefix == "results.bindings" and event == "end_array":
                _drain(events)
                return
            if builder is None:
                if event != "start_map":
                    raise Broken("a row is not an object")
                builder = ijson.ObjectBuilder()
            builder.event(event, value)
            if prefix == "results.bindings.item" and event == "end_map":
                yield _row(builder.value)
                builder = None
    except ijson.JSONError as exc:
        raise fail(f"it does not parse ({_reason(exc)})") from None
    except Broken as exc:
        raise fail(str(exc)) from None
    raise fail("it ends before its last row")


def _row(value: Any) -> Row:
    if not isinstance(value, dict) or not all(
        isinstance(term, dict) and isinstance(term.get("value"), str) for term in value.values()
    ):
        raise Broken("a row is not a map of variables to terms")
    return value


def _drain(events: Iterator[Any]) -> None:
    """Read the rest, so junk after the results is found too."""
    for _ in events:
        pass


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:120]


def from_ntriples(stream: IO[bytes], fail: Callable[[str], Exception]) -> Answer:
    """A CONSTRUCT's N-Triples, parsed as they arrive (so junk is an error, not output)."""

    def triples() -> Iterator[str]:
        import pyoxigraph as ox

        try:
            for triple in ox.parse(stream, format=ox.RdfFormat.N_TRIPLES):
                yield f"{triple} .\n"
        except (SyntaxError, ValueError) as exc:
            raise fail(f"it does not parse ({_reason(exc)})") from None

    return Answer(triples=triples())


def from_oxigraph(results: Any, fail: Callable[[str], Exception]) -> Answer:
    """An embedded store's answer (``QueryBoolean``, ``QuerySolutions`` or ``QueryTriples``),
    still lazy: Oxigraph computes each solution when it is asked for."""
    import pyoxigraph as ox

    if isinstance(results, ox.QueryBoolean):
        return Answer(boolean=bool(results))

    def triples() -> Iterator[str]:
        try:
            for triple in results:
                yield f"{triple} .\n"
        except (OSError, RuntimeError) as exc:
            raise fail(_reason(exc)) from None

    if isinstance(results, ox.QueryTriples):
        return Answer(triples=triples())
    names = [variable.value for variable in results.variables]

    def rows() -> Iterator[Row]:
        try:
            for solution in results:
                row: Row = {}
                for index, name in enumerate(names):
                    term = solution[index]
                    if term is not None:
                        row[name] = _binding(term)
                yield row
        except (OSError, RuntimeError) as exc:
            raise fail(_reason(exc)) from None

    return Answer(variables=names, rows=rows())


def _binding(term: Any) -> Binding:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        if term.datatype.value != _XSD_STRING:
            return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
        return {"type": "literal", "value": term.value}
    return {"type": "triple", "value": str(term)}


def write(answer: Answer, form: str, out: TextIO) -> None:
    """Write the answer for people (``table``) or programs (``csv``, ``tsv``, ``json``), row by
    row except the table. A CONSTRUCT or DESCRIBE answer is N-Triples whatever the form."""
    import orjson

    if answer.triples is not None:
        out.writelines(answer.triples)
        return
    if answer.boolean is not None:
        if form == "json":
            out.write(orjson.dumps({"head": {}, "boolean": answer.boolean}).decode() + "\n")
        else:
            out.write(("true" if answer.boolean else "false") + "\n")
        return
    names = answer.variables
    rows = answer.rows if answer.rows is not None else iter(())
    if form == "json":
        out.write(orjson.dumps({"head": {"vars": names}}).decode()[:-1])
        out.write(', "results": {"bindings": [')
        for number, row in enumerate(rows):
            out.write(("," if number else "") + "\n" + orjson.dumps(row).decode())
        out.write("\n]}}\n")
        return
    if form in ("csv", "tsv"):
        writer = csv.writer(out, lineterminator="\n", delimiter="," if form == "csv" else "\t")
        writer.writerow(names)
        for row in rows:
            writer.writerow([_term(row.get(name)) for name in names])
        return
    table = [[_term(row.get(name)) for name in names] for row in rows]
    widths = [max([len(name), *(len(row[i]) for row in table)]) for i, name in enumerate(names)]
    lines = [
        "  ".join(name.ljust(width) for name, width in zip(names, widths, strict=True)),
        "  ".join("-" * width for width in widths),
    ]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in table]
    lines.append(f"({len(table)} row{'s' if len(table) != 1 else ''})")
    out.write("\n".join(line.rstrip() for line in lines) + "\n")


def _term(binding: Binding | None) -> str:
    """A bound value as a reader wants it: the IRI or the literal's text (its white space
    folded, so a row stays one line in CSV and TSV); blank when unbound."""
    if binding is None:
        return ""
    return " ".join(binding["value"].split()) if binding["type"] == "literal" else binding["value"]
