"""Import + validation: bytes of one JSON Lines record -> a validated dict (-> an Article).

The floor is ``json.loads`` alone; the usual choice is ``json.loads`` followed by one reused
``jsonschema`` Draft 2020-12 validator that reports every error with its path (wirekit keeps it
as its reference validator). Issue 2 asks wirekit's path to be at least 20 times faster than
that, measured in the same run; issue 20 asks validation plus the model (``Article.from_dict``)
to be at least 40 times faster.
"""

from __future__ import annotations

import json

import orjson

from ..runner import Context, Pass, case

SECTION = "import + validation"
FLOOR = "json.loads"
USUAL = "json.loads + jsonschema"


def _check_valid(ctx: Context) -> None:
    """The archive must be valid, or the cases below would time error reporting instead."""
    from wirekit.schema import problems

    for index, data in enumerate(ctx.dicts):
        found = problems(data)
        if found:
            raise AssertionError(f"synthetic article {index} is invalid: {found[0]}")


@case(SECTION, FLOOR, detail="floor")
def json_loads(ctx: Context) -> Pass:
    lines, loads = ctx.lines, json.loads

    def run() -> int:
        for line in lines:
            loads(line)
        return len(lines)

    return run


@case(SECTION, USUAL, baseline=FLOOR, detail="one reused Draft202012Validator")
def json_loads_jsonschema(ctx: Context) -> Pass:
    """The usual choice. About 200 times slower than the rest, so it is timed on a quarter of
    the archive (the articles are alike throughout) to keep the run short."""
    from wirekit.schema import reference_validator

    _check_valid(ctx)
    lines = ctx.lines[: max(ctx.n // 4, min(ctx.n, 200))]
    if len(lines) < ctx.n:
        ctx.note(f"{USUAL}: timed on the first {len(lines):,} of the {ctx.n:,} articles")
    loads, iter_errors = json.loads, reference_validator().iter_errors

    def run() -> int:
        invalid = 0
        for line in lines:
            if list(iter_errors(loads(line))):  # every error with its path, as wirekit reports
                invalid += 1
        assert not invalid
        return len(lines)

    return run


@case(SECTION, "orjson.loads", baseline=FLOOR, detail="wirekit's parser")
def orjson_loads(ctx: Context) -> Pass:
    lines, loads = ctx.lines, orjson.loads

    def run() -> int:
        for line in lines:
            loads(line)
        return len(lines)

    return run


@case(SECTION, "wirekit validate", baseline=USUAL, goal=20, detail="orjson + schema.problems")
def wirekit_validate(ctx: Context) -> Pass:
    from wirekit.formats.canonical.reader import loads
    from wirekit.schema import problems

    _check_valid(ctx)
    lines = ctx.lines

    def run() -> int:
        invalid = 0
        for line in lines:
            if problems(loads(line)):
                invalid += 1
        assert not invalid
        return len(lines)

    return run


@case(SECTION, "wirekit validate + Article.from_dict", baseline=USUAL, goal=40)
def wirekit_validate_model(ctx: Context) -> Pass:
    from wirekit.formats.canonical.reader import loads
    from wirekit.model import Article
    from wirekit.schema import problems

    _check_valid(ctx)
    lines, from_dict = ctx.lines, Article.from_dict

    def run() -> int:
        for line in lines:
            data = loads(line)
            if problems(data):
                raise AssertionError("a synthetic article is invalid")
            from_dict(data)
        return len(lines)

    return run


@case(SECTION, "Article.from_dict", detail="on parsed dicts")
def article_from_dict(ctx: Context) -> Pass:
    from wirekit.model import Article

    dicts, from_dict = ctx.dicts, Article.from_dict

    def run() -> int:
        for data in dicts:
            from_dict(data)
        return len(dicts)

    return run


@case(SECTION, "wirekit Reader", baseline=USUAL, detail=".jsonl file, end to end")
def wirekit_reader(ctx: Context) -> Pass:
    from wirekit.sources import Reader

    path, config = ctx.jsonl_file, ctx.config

    def run() -> int:
        count = 0
        for result in Reader(config).read(path):
            if result.error is not None:
                raise AssertionError(str(result.error))
            count += 1
        return count

    return run
