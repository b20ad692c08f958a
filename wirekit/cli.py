"""The ``wirekit`` command: a thin Typer layer over the library.

Everything a command does is callable from Python; this module only parses arguments, arranges
readers and writers, prints one line per problem and picks the exit code: 0 success, 1 invalid
input or a failed write, 2 misuse. Tracebacks appear only with ``--debug`` (or ``WIREKIT_DEBUG=1``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, BinaryIO, ClassVar, NoReturn

import typer

from wirekit import audience, convert, layout, registry
from wirekit.config import Config
from wirekit.config import load as load_config
from wirekit.errors import (
    ExportError,
    Interrupted,
    LossyConversionWarning,
    NotPublicWarning,
    UsageError,
    ValidationError,
    WirekitError,
    os_error_line,
    printable,
    warning_kind,
)
from wirekit.files import atomic_stream, atomic_write
from wirekit.guard import DEFAULT_MAX_REMOVE
from wirekit.model import Article
from wirekit.plugin import Importer
from wirekit.sources import STDIN, Reader, Result
from wirekit.store import targets as store_module
from wirekit.store.http import redact_text

app = typer.Typer(
    name="wirekit",
    help="News articles from the newsroom's formats into IPTC, schema.org, RDF and feeds. "
    "Every command takes -q (print only problems) and -v (every warning, every article "
    "written, updated or removed).",
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Read settings from this file instead of the nearest wirekit.toml.",
        dir_okay=False,
    ),
]
LanguageOption = Annotated[
    str | None, typer.Option(help="Language of articles that do not say (BCP 47).")
]
BaseIriOption = Annotated[
    str | None, typer.Option(help="Prefix for the ids of articles that carry none.")
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(help="The site's address; article URLs are <base-url>articles/<slug>/."),
]
SpecsOption = Annotated[
    Path | None,
    typer.Option(
        help="Folder of official specifications (NewsML-G2 XSD, ninjs schemas); default: "
        "$WIREKIT_SPECS, else the config's specs, else the user's cache (wirekit specs path).",
        file_okay=False,
    ),
]
ClusterOption = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        help="Do the work on a Dask cluster: local:N starts N workers here, "
        "dask://HOST:PORT joins a running scheduler (needs wirekit[dask]).",
    ),
]
MaxRemoveOption = Annotated[
    float,
    typer.Option(
        min=0.0,
        max=1.0,
        help="The share of what is published (publish: the articles; load --sync: the graphs "
        "wirekit loaded) a run may remove; a run that would remove more removes none of it, "
        "unless --prune.",
    ),
]
FromOption = Annotated[
    str | None,
    typer.Option("--from", "-f", help="Input format (default: by extension, then by content)."),
]


def _config(path: Path | None, **overrides: str | Path | None) -> Config:
    """The config file's settings with the command line's on top."""
    return load_config(path).override(**overrides)


def _say(message: str) -> None:
    """One line on stderr, whatever the message holds (see :func:`~wirekit.errors.printable`)."""
    print(f"wirekit: {printable(message)}", file=sys.stderr)


class _Verbosity:
    """``-q`` and ``-v``, taken by :func:`main` wherever they stand, so every command has them:
    -1 prints only problems, 1 prints every warning and every article a command touches."""

    level = 0


class _Warnings:
    """Warnings grouped by kind (:func:`~wirekit.errors.warning_kind`): one line a kind at the
    end, with a count and the first file, instead of one line each (``-v`` shows them all)."""

    kinds: ClassVar[dict[str, tuple[int, str]]] = {}

    @classmethod
    def show(
        cls, message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any
    ) -> None:
        if _Verbosity.level > 0:
            _say(f"warning: {message}")
            return
        kind = warning_kind(category, str(message))
        count, first = cls.kinds.get(kind, (0, str(message)))
        cls.kinds[kind] = (count + 1, first)

    @classmethod
    def flush(cls) -> None:
        for kind, (count, first) in cls.kinds.items():
            if count == 1:
                _say(f"warning: {first}")
            else:
                where = first.split(": ", 1)[0]
                _say(
                    f"warning: {kind.split(': ', 1)[1]} (x{count}, first in {where}; -v shows all)"
                )
        cls.kinds.clear()


def _report(result: Result) -> None:
    """Every problem of a failed result, one line each."""
    error = result.error
    assert error is not None
    if isinstance(error, ValidationError):
        prefix = ": ".join(p for p in (error.source, error.place) if p)
        for problem in error.problems:
            _say(f"{prefix}: {problem}")
    else:
        _say(str(error))


def _records(
    reader: Reader,
    inputs: Sequence[str],
    failures: list[str],
    live: Callable[[Result], bool] | None = None,
    read_as: dict[str, Importer] | None = None,
) -> Iterator[dict[str, Any]]:
    """The valid articles of all inputs as canonical dicts, those ``live`` takes when given
    (see :func:`_live_at`); each failure is reported now and remembered. ``read_as`` is given
    the importer each input that gave an article was read with, for its coverage report.
    Dicts, not Articles: the model is built where the article is exported (here, or on a
    cluster's worker: see :mod:`wirekit.convert`), once."""
    for source in inputs:
        for result in reader.read(source):
            if result.error is not None:
                _report(result)
                failures.append(result.source)
                continue
            assert result.data is not None
            if read_as is not None and result.importer is not None:
                read_as[result.source] = result.importer
            if live is None or live(result):
                yield result.data


_NOT_LIVE = {
    audience.State.EMBARGOED: "under embargo until {}",
    audience.State.WITHHELD: "withheld",
    audience.State.WITHDRAWN: "withdrawn (canceled or killed)",
}


def _live_at(target: str, now: str | None) -> Callable[[Result], bool]:
    """Whether a read article may go into the public format ``target`` at ``now`` (the clock
    unless given): one that may not is a :class:`NotPublicWarning` naming its file and why,
    counted with its like like every warning."""
    moment = audience.moment(now)

    def live(result: Result) -> bool:
        data = result.data
        assert data is not None
        state = audience.public_state(data, moment)
        if state is not audience.State.LIVE:
            why = _NOT_LIVE[state].format(data.get("embargoedUntil"))
            message = f"{result.source}: {data['id']}: {why}, so left out of {target} (public)"
            warnings.warn(NotPublicWarning(message), stacklevel=2)
        return state is audience.State.LIVE

    return live


def _parse_options(pairs: list[str]) -> dict[str, str]:
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"-O takes name=value, not {pair!r}")
        options[key.strip()] = value
    return options


def _print_version(value: bool) -> None:
    if value:
        from wirekit.compiled import build_line

        print(build_line())
        raise typer.Exit


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print wirekit's version and which build it is (compiled or pure Python), "
            "then exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ] = False,
) -> None:
    """The options that come before the command."""


@app.command("formats")
def formats_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
) -> None:
    """List the importers and exporters, built-in and installed as plugins.

    Examples:

        wirekit formats
        wirekit formats --json | jq '.exporters[].name'
    """
    rows: dict[str, list[dict[str, Any]]] = {
        "importers": [
            {
                "name": cls.name,
                "aliases": list(cls.aliases),
                "media_types": list(cls.media_types),
                "extensions": list(cls.file_extensions),
                "description": cls.description,
            }
            for cls in registry.importer_classes()
        ],
        "exporters": [
            {
                "name": cls.name,
                "aliases": list(cls.aliases),
                "media_type": cls.media_type,
                "extension": cls.file_extension,
                "standard": f"{cls.standard} {cls.standard_version}",
                "collection": cls.collection,
                "description": cls.description,
            }
            for cls in registry.exporter_classes()
        ],
    }
    if as_json:
        import json

        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for kind, entries in rows.items():
        print(f"{kind}:")
        for entry in entries:
            aliases = f" ({', '.join(entry['aliases'])})" if entry["aliases"] else ""
            extra = entry.get("standard") or ", ".join(entry.get("extensions", []))
            many = " [collection]" if entry.get("collection") else ""
            print(f"  {entry['name']}{aliases}{many}: {entry['description']}  [{extra}]")


@app.command("schema")
def schema_command() -> None:
    """Print the canonical article JSON Schema (draft 2020-12).

    Examples:

        wirekit schema > article.schema.json
    """
    from wirekit.schema import schema_text

    sys.stdout.write(schema_text())


@app.command("validate")
def validate_command(
    inputs: Annotated[
        list[str], typer.Argument(help="Files to check; - reads stdin.", show_default=False)
    ],
    source_format: FromOption = None,
    config_path: ConfigOption = None,
    language: LanguageOption = None,
    base_iri: BaseIriOption = None,
    base_url: BaseUrlOption = None,
    specs: SpecsOption = None,
) -> None:
    """Check articles against the canonical schema, reporting every problem at once.

    Reads canonical JSON, JSON Lines and anything an importer understands. NewsML-G2 and ninjs
    files are first checked against their official schemas (installed by `wirekit specs fetch`),
    then imported and checked against the canonical schema. Each problem is one line: file, place
    (line or item), pointer, message. Exit code 1 if anything is invalid or could not be checked.

    Examples:

        wirekit validate seeds/*.json
        wirekit validate dist/articles/*/newsml-g2.xml
        wirekit convert story.txt --to json | wirekit validate -
    """
    from wirekit.specs import configured

    config = configured(
        _config(config_path, language=language, base_iri=base_iri, base_url=base_url), specs
    )
    from wirekit import coverage

    reader = Reader(config, source_format)
    valid = invalid = 0
    for source in inputs:
        read_as: Importer | None = None  # the coverage of a file with no article means nothing
        for result in reader.read(source, conformance=True):
            if result.error is not None:
                invalid += 1
                _report(result)
            else:
                valid += 1
                read_as = result.importer
                if _Verbosity.level >= 0:
                    place = f": {result.place}" if result.place else ""
                    print(printable(f"{result.source}{place}: valid"))
        if read_as is None or _Verbosity.level < 0:  # -q: the file is not read a second time
            continue
        lines = coverage.of_file(source, read_as)
        if lines:
            print(printable(f"{source}: coverage: {coverage.summary(lines)}"))
    if invalid:
        _say(f"{invalid} invalid, {valid} valid")
        raise typer.Exit(1)


@app.command("convert")
def convert_command(
    inputs: Annotated[
        list[str], typer.Argument(help="Input files; - reads stdin.", show_default=False)
    ],
    to: Annotated[
        str | None,
        typer.Option(
            "--to", "-t", help="Output format (see wirekit formats); default: by -o's extension."
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file; a folder for several articles in a single-article format; "
            "- or nothing for stdout.",
        ),
    ] = None,
    source_format: FromOption = None,
    option: Annotated[
        list[str],
        typer.Option("--option", "-O", help="An exporter option, name=value; repeatable."),
    ] = [],  # noqa: B006
    report: Annotated[
        bool,
        typer.Option(
            "--report",
            help="Print, for each input element or field, whether it was mapped, ignored by "
            "a rule, warned about, or not carried.",
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option(help="Fail instead of warning when the output cannot carry a field.")
    ] = False,
    now: Annotated[
        str | None,
        typer.Option(
            help="The moment to judge embargoes at (RFC 3339): a public format takes only "
            "articles live then. Default: the clock."
        ),
    ] = None,
    cluster: ClusterOption = None,
    config_path: ConfigOption = None,
    language: LanguageOption = None,
    base_iri: BaseIriOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Convert articles from one format to another.

    Several inputs go into one document for collection formats (feeds, newsMessage, JSON Lines);
    for single-article formats give -o a folder and each article gets its own file.

    A public format (HTML, JSON-LD, RDF, feeds, the news sitemap) takes only articles that are
    live at --now: an embargoed, withheld, canceled or killed one is left out, with a warning
    saying why. Syndication formats (NewsML-G2, ninjs) and canonical JSON carry every article.

    Examples:

        wirekit convert seeds/2025-07-30-iran-venezuela-alliance.txt --to json
        wirekit convert story.txt -o story.json
        wirekit convert seeds/*.json --to jsonl -o archive.jsonl
        wirekit convert archive.jsonl --to nquads -o all.nq --cluster local:2
        cat story.txt | wirekit convert - --to json
    """
    config = _config(config_path, language=language, base_iri=base_iri, base_url=base_url)
    if to:
        exporter_class = registry.exporter(to)
    elif output and output != STDIN:
        exporter_class = registry.exporter_for_path(output)
    else:
        raise UsageError("say the output format with --to, or give -o a file name to guess it from")
    options = _parse_options(option)
    if now and "now" in exporter_class.options:  # the news sitemap's window ends at --now
        options.setdefault("now", now)
    exporter = exporter_class(config, **options)
    if cluster is not None:  # a bad --cluster, or no Dask: said before any input is read
        from wirekit import cluster as engine

        engine.check(cluster)
    failures: list[str] = []
    public = exporter_class.audience == audience.PUBLIC
    live = _live_at(exporter_class.name, now) if public else None
    read_as: dict[str, Importer] = {}
    reader = Reader(config, source_format, build=False)
    records = _records(reader, inputs, failures, live, read_as)
    with warnings.catch_warnings():
        if strict:
            warnings.simplefilter("error", LossyConversionWarning)
        written = _convert(exporter, records, output, cluster)
    if report:
        from wirekit import coverage

        for source, importer in read_as.items():  # the inputs that gave an article
            for line in coverage.table(source, importer, coverage.of_file(source, importer)):
                _say(line)
    if failures:
        if len(inputs) > 1:
            _say(f"{len(set(failures))} input(s) failed: {', '.join(sorted(set(failures)))}")
        raise typer.Exit(1)
    if written == 0:
        raise typer.Exit(1)


class _ReaderGone(Exception):
    """stdout's reader went away (``| head``). Not an OSError, so that Click does not turn it
    into exit 1 on its way out: :func:`main` ends the run with exit 0."""


def _to_stdout(source: bytes | BinaryIO) -> None:
    """Bytes, or a whole stream from where it stands, to stdout."""
    try:
        if isinstance(source, bytes):
            sys.stdout.buffer.write(source)
        else:
            shutil.copyfileobj(source, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise _ReaderGone from None


def _emit(data: bytes, output: str | None) -> None:
    if output is None or output == STDIN:
        _to_stdout(data)
    else:
        atomic_write(Path(output), data)


class _NothingWritten(Exception):
    """Leaves an atomic stream without creating its file."""


_SPOOL_IN_MEMORY = 8 << 20
"""Bytes of a collection bound for stdout kept in memory before the spool moves to disk."""


def _convert_collection(
    exporter: Any, records: Iterator[dict[str, Any]], output: str | None, cluster: str | None
) -> int:
    """Stream the articles into one document; return how many went in.

    The exporter writes as the articles arrive, so memory holds a bounded window of them
    however large the archive. A file appears whole or not at all; stdout gets the document
    through a spool (in memory while small, a temporary file beyond), so a failure half-way
    prints nothing rather than half a document. No article read means no output at all.
    With ``cluster``, the articles are converted on its workers (see :mod:`wirekit.convert`).

    The file's temporary is made before any article is read or any cluster started, so a
    place that cannot be written fails at once (exit 1, naming the file, not the temporary).
    """
    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        for record in records:
            count += 1
            yield record

    def write(stream: BinaryIO) -> None:
        if cluster is None:
            convert.write_collection(exporter, counted(), stream)
            return
        with _progress("converting") as show:
            done = 0

            def advance(items: int) -> None:
                nonlocal done
                done += items
                if show is not None:
                    show(done)

            convert.write_collection(
                exporter,
                counted(),
                stream,
                cluster=cluster,
                progress=advance,
                cluster_logs=_Verbosity.level > 0,
            )

    if output is None or output == STDIN:
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as spool:
            write(spool)  # type: ignore[arg-type]
            if count:
                spool.seek(0)
                _to_stdout(spool)  # type: ignore[arg-type]
        return count
    with contextlib.suppress(_NothingWritten), atomic_stream(Path(output)) as stream:
        write(stream)
        if not count:
            raise _NothingWritten
    return count


def _convert(
    exporter: Any,
    records: Iterator[dict[str, Any]],
    output: str | None,
    cluster: str | None = None,
) -> int:
    """Write the articles; return how many were written."""
    folder = (
        Path(output)
        if output and output != STDIN and (output.endswith(("/", os.sep)) or Path(output).is_dir())
        else None
    )
    if exporter.collection:
        if folder is not None:  # misuse, found before any article is read
            raise UsageError(
                f"{output}: is a folder; -o takes a file name for the {exporter.name} document"
            )
        return _convert_collection(exporter, records, output, cluster)
    if cluster is not None:
        raise UsageError(f"--cluster converts into collection formats; {exporter.name} is not one")
    count = 0
    names = layout.Folders()  # a reused slug gets a suffix from the id: no article is dropped
    written: set[str] = set()
    for article in map(Article.from_dict, records):
        if folder is not None:
            name = names.folder(article.slug, article.id) + exporter.file_extension
            if name in written:
                raise ExportError(f"{article.id} is in the input twice; {folder / name} holds one")
            written.add(name)
            atomic_write(folder / name, exporter.export(article))
        elif count:
            raise UsageError(
                f"{exporter.name} writes one article per document: give -o a folder for several, "
                "or choose a collection format such as jsonl"
            )
        else:
            _emit(exporter.export(article), output)
        count += 1
    return count


@app.command("publish")
def publish_command(
    inputs: Annotated[
        list[str], typer.Argument(help="Article files or folders of them.", show_default=False)
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The folder to publish into.")],
    formats: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated formats to write (default: all the tree has; 'index' is the "
            "index page). See wirekit formats."
        ),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: cores).")
    ] = None,
    cluster: ClusterOption = None,
    feed_size: Annotated[
        int, typer.Option(min=1, help="How many of the newest articles the feeds carry.")
    ] = 100,
    now: Annotated[
        str | None,
        typer.Option(
            help="The moment to publish at (RFC 3339): embargoes lift at it, and the news "
            "sitemap counts back from it. Default: the clock (the sitemap: the newest article)."
        ),
    ] = None,
    max_remove: MaxRemoveOption = DEFAULT_MAX_REMOVE,
    prune: Annotated[
        bool, typer.Option(help="Remove the articles whose sources are gone, however many.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option(help="Print what would be written, updated and removed; write nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            help="Publish into a non-empty folder that is not a published tree, and write over "
            "files at the tree's names that its manifest does not record (nothing is removed)."
        ),
    ] = False,
    wait: Annotated[
        float,
        typer.Option(min=0.0, help="Seconds to wait while another run writes the same --out."),
    ] = 0.0,
    config_path: ConfigOption = None,
    language: LanguageOption = None,
    base_iri: BaseIriOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Publish articles into a complete tree: every format per article, feeds, an index.

    Unchanged articles are not rewritten, output of deleted sources is removed, every file is
    written atomically, and a bad article is reported and skipped (exit code 1). One run at a
    time writes a tree (a lock in --out). wirekit removes and writes over only what its
    manifest proves it wrote (someone else's feed or index page in the way: exit 1, unless
    --force), refuses a non-empty folder that is not a published tree (exit 2, unless --force),
    inputs that overlap --out (exit 2), and a run that reads no article at all or would remove
    more than --max-remove of the site (exit 1, nothing removed, unless --prune).

    Examples:

        wirekit publish seeds/ --out dist/
        wirekit publish archive.jsonl --out site/ --formats html,jsonld,atom,rss,index -j 4
        wirekit publish seeds/ --out dist/ --dry-run
        wirekit publish seeds/ --out dist/ --wait 30 --prune
        wirekit publish archive.jsonl --out site/ --cluster local:2
    """
    from wirekit.site.publish import Publisher

    config = _config(config_path, language=language, base_iri=base_iri, base_url=base_url)
    chosen = [name.strip() for name in formats.split(",") if name.strip()] if formats else None
    with _progress("publishing") as progress:
        publisher = Publisher(
            out,
            config=config,
            formats=chosen,
            jobs=jobs,
            feed_size=feed_size,
            now=now,
            progress=progress,
            max_remove=max_remove,
            prune=prune,
            dry_run=dry_run,
            force=force,
            wait=wait,
            cluster=cluster,
            cluster_logs=_Verbosity.level > 0,
        )
        summary = publisher.run(inputs)
    for line in summary.failures:
        _say(line)
    for line in summary.notes if _Verbosity.level >= 0 else ():
        _say(line)
    _print_changes(summary, dry_run)
    if summary.next_lift is not None and _Verbosity.level >= 0:
        print(f"next embargo lifts at {summary.next_lift}: publish again then")
    if summary.failed_sources:
        _say(f"failed: {', '.join(sorted(set(summary.failed_sources)))}")
    if summary.failures:
        raise typer.Exit(1)


def _print_changes(summary: Any, dry_run: bool) -> None:
    """The closing lines of a publish: every article touched (with -v, or always in a dry
    run), then the counts and the names of the changed articles (unless -q)."""
    changes = {
        "written": summary.added,
        "updated": summary.updated,
        "removed": summary.removed_articles,
    }
    if _Verbosity.level > 0 or dry_run:
        for verb, folders in changes.items():
            for folder in folders:
                print(printable(f"{'would be ' if dry_run else ''}{verb}: {folder}"))
    if _Verbosity.level < 0:
        return
    named = [f"{folder} ({verb})" for verb, folders in changes.items() for folder in folders]
    shown = ", ".join(named[:5]) + (f" and {len(named) - 5} more" if len(named) > 5 else "")
    if dry_run:
        print(f"dry run: {len(named)} articles would change, nothing written")
        return
    print(
        f"{summary.articles} articles ({summary.public} public): {summary.written} files "
        f"written, {summary.unchanged} unchanged, {summary.removed} removed, "
        f"{len(set(summary.failed_sources))} inputs failed"
        + (printable(f"; changed: {shown}") if named else "")
    )


@app.command("check")
def check_command(
    folder: Annotated[Path, typer.Argument(help="A published tree.", file_okay=False)],
    specs: SpecsOption = None,
    strict: Annotated[
        bool, typer.Option(help="Fail (exit code 1) on any file that could not be checked.")
    ] = False,
    config_path: ConfigOption = None,
) -> None:
    """Check every file of a published tree against its standard, and print a table.

    NewsML-G2 against the XSD and ninjs against its JSON Schema (installed by `wirekit specs
    fetch`), canonical JSON against wirekit's schema, JSON-LD expanded offline and compared with
    the Turtle, every RDF file parsed, feeds for the required elements of RFC 4287, RSS 2.0, JSON
    Feed 1.1 and the Google News sitemap. Exit code 1 if any file fails, or with --strict if any
    file could not be checked.

    Examples:

        wirekit check dist/
        wirekit check --strict site/ --specs /srv/wirekit-specs
    """
    from wirekit.site.check import check_tree, summarise

    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    from wirekit.specs import configured

    verdicts = check_tree(folder, configured(_config(config_path), specs))
    for line in summarise(verdicts):
        print(line)
    if any(verdict.status == "FAIL" for verdict in verdicts):
        raise typer.Exit(1)
    if strict and any(verdict.status == "not checked" for verdict in verdicts):
        _say("--strict: some files could not be checked (see 'not checked' above)")
        raise typer.Exit(1)


specs_app = typer.Typer(no_args_is_help=True)


@specs_app.callback()
def specs_group() -> None:
    """The official specifications check and validate use: list, fetch, path.

    The NewsML-G2 XSD, the ninjs JSON Schemas and the rest are pinned by sha256 in wirekit and
    installed on demand into $WIREKIT_SPECS, else the config's specs, else the user's cache.

    Examples:

        wirekit specs list
        wirekit specs fetch
        wirekit specs path
    """


app.add_typer(specs_app, name="specs")


@specs_app.command("list")
def specs_list_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the table as JSON.")] = False,
    specs: SpecsOption = None,
) -> None:
    """List every specification wirekit can use, and whether it is installed.

    For each: its version, official URL, sha256, state in the specifications folder (installed,
    missing, or changed: there but not the pinned bytes) and what uses it.

    Examples:

        wirekit specs list
        wirekit specs list --json | jq -r '.[] | select(.state != "installed") | .name'
    """
    from wirekit import specs as specs_module

    root = specs_module.folder(load_config(None), specs)
    rows = [
        {
            "name": spec.name,
            "title": spec.title,
            "version": spec.version,
            "state": specs_module.state(spec, root),
            "used_by": list(spec.used_by),
            "url": spec.url,
            "sha256": spec.sha256,
            "path": spec.path,
            "licence": spec.licence,
        }
        for spec in specs_module.SPECS
    ]
    if as_json:
        import json

        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    print(f"specifications folder: {root}")
    width = max(len(row["name"]) for row in rows)
    for row in rows:
        print(
            f"{row['name']:<{width}}  {row['version']:<13}  {row['state']:<9}  "
            f"{row['title']}; used by {', '.join(row['used_by'])}"
        )
        print(f"{'':<{width}}  {row['url']}")
        print(f"{'':<{width}}  sha256 {row['sha256']}  ({row['licence']})")
    missing = sum(row["state"] != "installed" for row in rows)
    if missing:
        _say(f"{missing} not installed: {specs_module.FETCH_HINT}")


@specs_app.command("fetch")
def specs_fetch_command(
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Specifications to fetch (default: all).", show_default=False),
    ] = None,
    mirror: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="A mirror instead of the publishers: a folder or a base URL laid out like the "
            "installed folder (wirekit specs path).",
        ),
    ] = None,
    specs: SpecsOption = None,
) -> None:
    """Install the official specifications, each checked against its pinned sha256.

    Each file is downloaded and installed atomically into the specifications folder check and
    validate read ($WIREKIT_SPECS, else the config's specs, else the user's cache).

    This is the only wirekit command that uses the network. A file already installed with the
    pinned hash is not fetched again; an HTTP error, no network or a hash mismatch is one line,
    exit code 1, and leaves no file behind.

    Examples:

        wirekit specs fetch
        wirekit specs fetch newsml-g2 xml-xsd --from /srv/mirror/specs
        WIREKIT_SPECS=.cache/specs wirekit specs fetch --from http://mirror.example.org/specs/
    """
    from wirekit import specs as specs_module

    root = specs_module.folder(load_config(None), specs)
    installed = 0
    with _download_progress() as progress:
        for done in specs_module.fetch(names or (), mirror=mirror, root=root, progress=progress):
            installed += done.action == "installed"
            print(printable(f"{done.spec.name}: {done.action} ({done.path})"))
    print(f"{installed} installed into {root}")


@specs_app.command("path")
def specs_path_command(
    name: Annotated[
        str | None, typer.Argument(help="One specification: print its file's path.")
    ] = None,
    specs: SpecsOption = None,
) -> None:
    """Print where the specifications live (the folder check and validate read), or one file.

    Examples:

        wirekit specs path
        xmllint --schema "$(wirekit specs path newsml-g2)" --noout item.xml
    """
    from wirekit import specs as specs_module

    root = specs_module.folder(load_config(None), specs)
    if name is None:
        print(printable(str(root)))
    else:
        print(printable(str(specs_module.spec(name).file(root))))


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="The embedded Oxigraph store's folder (default: the config's store, ./wirekit-store).",
        file_okay=False,
    ),
]
EndpointOption = Annotated[
    str | None,
    typer.Option(
        help="A SPARQL 1.1 server instead of the embedded store: its base URL (Oxigraph server "
        f"layout: /query, /update, /store). Credentials: {store_module.USER_VARIABLE} and "
        f"{store_module.PASSWORD_VARIABLE}, or {store_module.TOKEN_VARIABLE}."
    ),
]
GraphStoreOption = Annotated[
    str | None,
    typer.Option(
        help="The Graph Store Protocol URL, when it is not <endpoint>/store "
        "(Fuseki: <dataset>/data)."
    ),
]


TimeoutOption = Annotated[
    float,
    typer.Option(
        min=0.001,
        help="Seconds each phase of an HTTP exchange with --endpoint may take in all: "
        "connecting, sending, and receiving the whole answer (retries fit in three times this).",
    ),
]


def _target(
    config: Config,
    store: Path | None,
    endpoint: str | None,
    timeout: float = 60.0,
    **urls: str | None,
) -> Any:
    from wirekit.store.targets import open_target

    if endpoint is None:
        return open_target(store or config.store, None)
    return open_target(None, endpoint, timeout=timeout, **{k: v for k, v in urls.items() if v})


@app.command("load")
def load_command(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Article files, folders, or a published tree.", show_default=False),
    ],
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    graph_store: GraphStoreOption = None,
    batch_size: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Articles per batch (default: 5,000 into the embedded store, 500 into a server).",
        ),
    ] = None,
    timeout: TimeoutOption = 60.0,
    sync: Annotated[
        bool,
        typer.Option(
            help="Make the store's article graphs equal to the inputs': also remove the graphs "
            "wirekit created whose article is gone from the inputs."
        ),
    ] = False,
    max_remove: MaxRemoveOption = DEFAULT_MAX_REMOVE,
    prune: Annotated[
        bool, typer.Option(help="With --sync: remove however many graphs are gone.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option(help="Read everything, change nothing, and say what would change.")
    ] = False,
    wait: Annotated[
        float,
        typer.Option(min=0.0, help="Seconds to wait while another load writes the same --store."),
    ] = 0.0,
    now: Annotated[
        str | None,
        typer.Option(
            help="The moment to load at (RFC 3339): only articles live then are loaded, the "
            "graphs of the others deleted. Default: the clock."
        ),
    ] = None,
    config_path: ConfigOption = None,
    language: LanguageOption = None,
    base_iri: BaseIriOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Load articles into a triple store, one named graph per article (named by its IRI).

    The store is public: an embargoed, withheld or withdrawn article is not loaded, and its
    graph is deleted; so are the graphs a published tree lists as no longer public.

    Reloading an article replaces its graph and only its graph; a rerun after a failure loads
    what is missing and duplicates nothing. Readers never see a graph half replaced. A graph
    the store holds that wirekit did not create is never replaced or removed: its article is
    refused, in one line. An article read twice is loaded once, its later version.

    Examples:

        wirekit load seeds/
        wirekit load dist/ --store /srv/wirekit-store
        wirekit load dist/ --sync --dry-run
        WIREKIT_ENDPOINT_USER=loader WIREKIT_ENDPOINT_PASSWORD=... wirekit load dist/ --endpoint https://sparql.example.org
    """
    from wirekit.store.load import Loader, keep_big_blocks_apart

    keep_big_blocks_apart()  # memory flat in the articles' size
    config = _config(config_path, language=language, base_iri=base_iri, base_url=base_url)
    target = _target(config, store, endpoint, timeout, graph_store_url=graph_store)
    try:
        with _progress("loading") as progress:
            loader = Loader(
                target,
                config=config,
                batch_size=batch_size,
                progress=progress,
                sync=sync,
                max_remove=max_remove,
                prune=prune,
                dry_run=dry_run,
                now=now,
                wait=wait,
            )
            summary = loader.run(inputs)
    finally:
        target.close()
    for line in summary.failures:
        _say(line)
    for line in summary.notes if _Verbosity.level >= 0 else ():
        _say(line)
    for article_id in summary.not_loaded:
        _say(f"not loaded: {article_id}")
    if _Verbosity.level >= 0:  # -q: only the problems, as for publish
        for iri in summary.gone:
            print(f"{'would remove' if dry_run else 'removed'}: {iri}")
        line = (
            f"{summary.articles} articles {'would be loaded' if dry_run else 'loaded'} "
            f"({summary.replaced} replaced), {summary.triples} triples; "
            f"{len(summary.not_loaded)} not loaded; {summary.removed} not public, removed"
        )
        if sync:
            line += f"; {len(summary.gone)} gone, removed"
        print(line + (" (dry run: nothing changed)" if dry_run else ""))
    if summary.failures or summary.not_loaded:
        raise typer.Exit(1)


@app.command("query")
def query_command(
    sparql: Annotated[str, typer.Argument(help="A SPARQL 1.1 query; - reads it from stdin.")],
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    form: Annotated[
        str,
        typer.Option(
            "--format", help="table, csv, tsv or json (SPARQL results JSON); all but table stream."
        ),
    ] = "table",
    timeout: TimeoutOption = 60.0,
    config_path: ConfigOption = None,
) -> None:
    """Run a SPARQL query against the embedded store or a server and print the results.

    Rows are written as they arrive (except in the table, which needs them all for its column
    widths), so an answer of any size goes through in little memory with csv, tsv or json.

    Examples:

        wirekit query 'SELECT ?headline WHERE { ?a <http://schema.org/headline> ?headline }'
        wirekit query --format csv - < newest-by-subject.rq
    """
    from wirekit.store.results import FORMS, write

    if form not in FORMS:
        raise UsageError(f"--format is table, csv, tsv or json, not {form!r}")
    text = sys.stdin.read() if sparql == STDIN else sparql
    config = _config(config_path)
    if endpoint is None and not (store or config.store).is_dir():
        raise UsageError(f"no store at {store or config.store}: load something first")
    target = _target(config, store, endpoint, timeout)
    try:
        answer = target.query(text)
        try:
            write(answer, form, sys.stdout)
        finally:
            answer.close()
    finally:
        target.close()


@app.command("serve")
def serve_command(
    folder: Annotated[Path, typer.Argument(help="A published tree.", file_okay=False)],
    host: Annotated[str, typer.Option(help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port to listen on.")] = 8000,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    watch: Annotated[
        list[Path] | None,
        typer.Option(
            help="Live preview: republish FOLDER from these inputs on every change and reload "
            "open pages (repeatable)."
        ),
    ] = None,
    log_json: Annotated[
        bool, typer.Option("--log-json", help="Access log as JSON lines, not Common Log Format.")
    ] = False,
    query_timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds a SPARQL query may run before it is stopped.")
    ] = 10.0,
    row_limit: Annotated[
        int, typer.Option(min=1, help="The most rows (or triples) a SPARQL query may yield.")
    ] = 10_000,
    now: Annotated[
        str | None,
        typer.Option(help="Judge embargoes at this moment (RFC 3339) instead of the clock."),
    ] = None,
    config_path: ConfigOption = None,
    base_iri: BaseIriOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Serve a published tree as linked data: content negotiation, SPARQL, live preview.

    Article IRIs (/id/<slug>) answer 303 to /articles/<slug>/, which negotiates between HTML,
    JSON-LD, Turtle, N-Triples, canonical JSON, NewsML-G2 and ninjs; /sparql queries the store
    (or the tree's all.nq, or --endpoint); /void.ttl describes the dataset.

    Examples:

        wirekit serve dist/
        wirekit serve dist/ --port 8080 --store wirekit-store --log-json
        wirekit serve dist/ --watch seeds/
    """
    try:
        from wirekit.serve.app import create_app
        from wirekit.serve.run import serve
    except ImportError as exc:
        raise UsageError(
            f"wirekit serve needs the serve extra ({exc.name} is missing): "
            "pip install 'wirekit[serve]'"
        ) from None
    if store is not None and endpoint is not None:
        raise UsageError("give --store or --endpoint, not both")
    config = _config(config_path, base_iri=base_iri, base_url=base_url)
    preview = None
    if watch:
        from wirekit.serve.preview import Preview

        preview = Preview(folder, [str(p) for p in watch], config=config, now=now)
        preview.publish()
    application = create_app(
        folder,
        config=config,
        store=store,
        endpoint=endpoint,
        now=now,
        query_timeout=query_timeout,
        row_limit=row_limit,
        preview=preview,
    )
    serve(application, host, port, log_json=log_json, label=str(folder))


@contextlib.contextmanager
def _progress(label: str) -> Iterator[Callable[[int], None] | None]:
    """A rich progress display on a terminal; nothing at all otherwise (logs stay clean)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}: {task.completed} inputs"),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done: bar.update(task, completed=done)


@contextlib.contextmanager
def _download_progress() -> Iterator[Any]:
    """A rich download bar per file on a terminal; nothing at all otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    tasks: dict[str, Any] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:

        def update(spec: Any, done: int, total: int | None) -> None:
            if spec.name not in tasks:
                tasks[spec.name] = bar.add_task(spec.name, total=total)
            bar.update(tasks[spec.name], completed=done)

        yield update


def _click_base(name: str) -> type[Exception]:
    """A click exception class found through Typer's public ``BadParameter``, so this works
    whether Typer uses click itself or the copy it vendors (``typer._click``, Typer 0.26+)."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the command line; never returns."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("WIREKIT_DEBUG") == "1"
    args = [a for a in args if a != "--debug"]
    args, _Verbosity.level = _verbosity(args)
    warnings.showwarning = _Warnings.show
    click_usage_error = _click_base("UsageError")
    code: int
    if not args:  # misuse: the help, on stderr, where a script's log keeps it
        with contextlib.redirect_stdout(sys.stderr):
            typer.main.get_command(app).main(["--help"], "wirekit", standalone_mode=False)
        sys.exit(2)
    try:
        code = _run_app(args)
    except click_usage_error as exc:
        ctx: Any = getattr(exc, "ctx", None)
        where = f" (see '{ctx.command_path} --help')" if ctx and ctx.parent else ""
        message = exc.format_message()  # type: ignore[attr-defined]
        if message:  # empty after a group's help, shown because no command was given
            _say(f"error: {message}{where}")
        code = 2
    except (Interrupted, KeyboardInterrupt, typer.Abort) as exc:
        _say(str(exc) if isinstance(exc, Interrupted) else "interrupted")
        code = 130
    except UsageError as exc:
        if debug:
            raise
        _say(f"error: {exc}")
        code = 2
    except (WirekitError, LossyConversionWarning) as exc:
        if debug:
            raise
        _say(f"error: {exc}")
        code = 1
    except (BrokenPipeError, _ReaderGone):
        # the reader went away (| head): not an error; keep Python from complaining at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except OSError as exc:  # the environment (disk full, read-only, permissions): not a bug
        if debug:
            raise
        _say(f"error: {os_error_line(exc)}")
        code = 1
    except Exception as exc:  # a bug: one line unless asked for the traceback
        if debug:
            raise
        # a bug's message may quote what it choked on: an endpoint URL, a header, a credential
        text = redact_text(str(exc), urls=args, secrets=store_module.credential_secrets())
        _say(f"internal error: {type(exc).__name__}: {text} (run with --debug for the traceback)")
        code = 1
    _finish(code, whole_process=argv is None)


def _finish(code: int, *, whole_process: bool) -> NoReturn:
    """Flush the grouped warnings and exit with ``code``. The work is done: a Ctrl-C now, while
    the interpreter shuts a worker pool down, would end the process by the signal (exit -2)
    instead of with the run's own exit code, so the ``wirekit`` process ignores it from here
    on. Called from Python with arguments (tests, embedding programs), main leaves the
    caller's signal handling alone: an ignored SIGINT would be inherited by its children."""
    if whole_process:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _Warnings.flush()
    sys.exit(code)


def _run_app(args: list[str]) -> int:
    """Run the Typer app; its exit code. Typer turns a Ctrl-C that no command handled itself
    into exit code 130, silently: say so in one line."""
    result = typer.main.get_command(app).main(args=args, prog_name="wirekit", standalone_mode=False)
    code = result if isinstance(result, int) else 0
    if code == 130:
        _say("interrupted")
    return code


def _verbosity(args: list[str]) -> tuple[list[str], int]:
    """The arguments without ``-q``/``--quiet``/``-v``/``--verbose`` (up to a ``--``), and
    the level they set: the last one given wins."""
    level = 0
    kept: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            kept.extend(args[index:])
            break
        if arg in ("-q", "--quiet"):
            level = -1
        elif arg in ("-v", "--verbose"):
            level = 1
        else:
            kept.append(arg)
    return kept, level
