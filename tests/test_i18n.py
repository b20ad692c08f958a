"""The pages' words and dates: a catalogue complete in every language, Babel's dates."""

from __future__ import annotations

import pytest

from wirekit.formats.html.i18n import CATALOGUE, day_heading, human_date, messages

REQUIRED = {"en", "fr", "de", "es", "it", "pt", "nl", "ar", "fa", "ru"}


def test_every_language_has_every_label() -> None:
    assert set(CATALOGUE) >= REQUIRED
    for language, labels in CATALOGUE.items():
        assert set(labels) == set(CATALOGUE["en"]), language
        assert all(word.strip() for word in labels.values()), language


@pytest.mark.parametrize(
    ("language", "label", "marked"),
    [
        ("fr-CA", "Par", False),
        ("fa-IR", "نوشته", False),
        ("he", "By", True),
        ("en-GB", "By", False),
    ],
)
def test_labels_follow_the_primary_language_else_english_marked(
    language: str, label: str, marked: bool
) -> None:
    word = messages(language)("by")
    assert (word == f'<span lang="en">{label}</span>') is marked
    assert label in word


@pytest.mark.parametrize(
    ("value", "language", "shown"),
    [
        ("2025-08-12T06:30:00+02:00", "en", "12 August 2025, 06:30 GMT+02:00"),
        ("2025-08-12T06:30:00Z", "en", "12 August 2025, 06:30 GMT"),
        ("2025-08-12", "fr", "12 août 2025"),
        ("2025-08-12", "fa", "۱۲ اوت ۲۰۲۵"),
        ("2025-08-12", "de", "12. August 2025"),
        ("2025-08-12", "xx-unknown", "12 August 2025"),
    ],
)
def test_dates_are_written_as_readers_of_the_language_write_them(
    value: str, language: str, shown: str
) -> None:
    assert human_date(value, language) == shown


def test_a_day_heading_names_the_weekday() -> None:
    assert day_heading("2025-08-12", "en") == "Tuesday, 12 August 2025"
    assert day_heading("2025-08-12", "fr") == "mardi 12 août 2025"
