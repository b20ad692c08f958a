"""The words and dates of reader-facing pages, in the page's language.

A page speaks its article's language: its few fixed words come from a small message catalogue
(a dictionary per language, kept here because there are a dozen short labels, not a gettext
project), and its dates are drawn by Babel from the Unicode CLDR, so ``12 August 2025, 06:30``
reads ``12 août 2025, 06:30`` in French and ``۱۲ اوت ۲۰۲۵، ۶:۳۰`` in Persian. A language the
catalogue lacks falls back to English, marked ``lang="en"`` so screen readers pronounce it right.

Babel is imported on first use, so importing this module (and ``wirekit``) stays cheap.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from html import escape
from typing import TYPE_CHECKING

from wirekit import dates

if TYPE_CHECKING:
    from babel import Locale

FALLBACK = "en"

CATALOGUE: Mapping[str, Mapping[str, str]] = {
    "en": {
        "by": "By",
        "published": "Published",
        "updated": "Updated",
        "corrections": "Corrections",
        "contributors": "Contributors",
        "license": "License",
        "withdrawn": "This story has been withdrawn",
        "withdrawn_at": "Withdrawn",
        "home": "Home",
        "feeds": "Follow",
        "older": "Older stories",
        "newer": "Newer stories",
        "latest": "Latest news",
    },
    "fr": {
        "by": "Par",
        "published": "Publié le",
        "updated": "Mis à jour le",
        "corrections": "Rectificatifs",
        "contributors": "Contributeurs",
        "license": "Licence",
        "withdrawn": "Cet article a été retiré",
        "withdrawn_at": "Retiré le",
        "home": "Accueil",
        "feeds": "Suivre",
        "older": "Articles précédents",
        "newer": "Articles suivants",
        "latest": "Dernières nouvelles",
    },
    "de": {
        "by": "Von",
        "published": "Veröffentlicht",
        "updated": "Aktualisiert",
        "corrections": "Korrekturen",
        "contributors": "Mitwirkende",
        "license": "Lizenz",
        "withdrawn": "Dieser Artikel wurde zurückgezogen",
        "withdrawn_at": "Zurückgezogen",
        "home": "Startseite",
        "feeds": "Abonnieren",
        "older": "Ältere Meldungen",
        "newer": "Neuere Meldungen",
        "latest": "Neueste Meldungen",
    },
    "es": {
        "by": "Por",
        "published": "Publicado",
        "updated": "Actualizado",
        "corrections": "Correcciones",
        "contributors": "Colaboradores",
        "license": "Licencia",
        "withdrawn": "Esta noticia ha sido retirada",
        "withdrawn_at": "Retirada",
        "home": "Inicio",
        "feeds": "Seguir",
        "older": "Noticias anteriores",
        "newer": "Noticias más recientes",
        "latest": "Últimas noticias",
    },
    "it": {
        "by": "Di",
        "published": "Pubblicato",
        "updated": "Aggiornato",
        "corrections": "Correzioni",
        "contributors": "Collaboratori",
        "license": "Licenza",
        "withdrawn": "Questo articolo è stato ritirato",
        "withdrawn_at": "Ritirato",
        "home": "Home",
        "feeds": "Segui",
        "older": "Notizie precedenti",
        "newer": "Notizie successive",
        "latest": "Ultime notizie",
    },
    "pt": {
        "by": "Por",
        "published": "Publicado",
        "updated": "Atualizado",
        "corrections": "Correções",
        "contributors": "Colaboradores",
        "license": "Licença",
        "withdrawn": "Esta notícia foi retirada",
        "withdrawn_at": "Retirada",
        "home": "Início",
        "feeds": "Seguir",
        "older": "Notícias anteriores",
        "newer": "Notícias mais recentes",
        "latest": "Últimas notícias",
    },
    "nl": {
        "by": "Door",
        "published": "Gepubliceerd",
        "updated": "Bijgewerkt",
        "corrections": "Correcties",
        "contributors": "Medewerkers",
        "license": "Licentie",
        "withdrawn": "Dit artikel is ingetrokken",
        "withdrawn_at": "Ingetrokken",
        "home": "Home",
        "feeds": "Volgen",
        "older": "Oudere berichten",
        "newer": "Nieuwere berichten",
        "latest": "Laatste nieuws",
    },
    "ar": {
        "by": "بقلم",
        "published": "نُشر في",
        "updated": "حُدّث في",
        "corrections": "تصحيحات",
        "contributors": "ساهم في التحرير",
        "license": "الترخيص",
        "withdrawn": "سُحب هذا الخبر",
        "withdrawn_at": "سُحب في",
        "home": "الرئيسية",
        "feeds": "تابعنا",
        "older": "أخبار أقدم",
        "newer": "أخبار أحدث",
        "latest": "آخر الأخبار",
    },
    "fa": {
        "by": "نوشته",
        "published": "منتشر شده در",
        "updated": "به‌روزشده در",
        "corrections": "اصلاحیه‌ها",
        "contributors": "همکاران",
        "license": "مجوز",
        "withdrawn": "این خبر پس گرفته شده است",
        "withdrawn_at": "پس گرفته شده در",
        "home": "صفحهٔ اصلی",
        "feeds": "دنبال کنید",
        "older": "خبرهای قدیمی‌تر",
        "newer": "خبرهای تازه‌تر",
        "latest": "تازه‌ترین خبرها",
    },
    "ru": {
        "by": "Автор:",
        "published": "Опубликовано",
        "updated": "Обновлено",
        "corrections": "Исправления",
        "contributors": "Участники",
        "license": "Лицензия",
        "withdrawn": "Этот материал отозван",
        "withdrawn_at": "Отозван",
        "home": "Главная",
        "feeds": "Подписаться",
        "older": "Более ранние новости",
        "newer": "Более новые новости",
        "latest": "Последние новости",
    },
}
"""Every language has every key (a test checks); ``en`` is the fallback."""


@dataclass(frozen=True, slots=True)
class Messages:
    """The labels of one page: ``messages("by")`` is the word, marked up as English (with
    ``lang="en"``) when the catalogue has no entry for the page's language."""

    language: str
    """The catalogue language used: the page's primary subtag, or the fallback."""
    marked: bool
    """Whether labels are in the fallback language on a page in another one."""

    def __call__(self, key: str) -> str:
        word = escape(CATALOGUE[self.language][key], quote=False)
        return f'<span lang="{FALLBACK}">{word}</span>' if self.marked else word


@functools.cache
def messages(language: str) -> Messages:
    """The labels for a page in ``language`` (BCP 47)."""
    primary = language.lower().split("-")[0]
    if primary in CATALOGUE:
        return Messages(primary, marked=False)
    return Messages(FALLBACK, marked=primary != FALLBACK)


_REGIONLESS = {"en": "en_001"}
"""Babel's plain ``en`` is American (``August 12, 2025``); wire English without a region reads
as international English (``12 August 2025``)."""
_DIGITS = {"arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}
"""Native digits of the numbering systems CLDR makes the default of some locales (Persian uses
``arabext``), which Babel's date patterns leave in ASCII."""


@dataclass(frozen=True, slots=True)
class _Locale:
    babel: Locale
    digits: dict[int, int]
    joiner: str
    """The CLDR pattern that joins a date ({1}) and a time ({0})."""


@functools.cache
def _locale(language: str) -> _Locale:
    """Babel's locale for a BCP 47 tag (its primary language, else English, when Babel does not
    know the tag), with its native digits."""
    from babel import Locale, UnknownLocaleError

    locale = Locale.parse(_REGIONLESS[FALLBACK])  # international English
    tags = (
        _REGIONLESS.get(language.lower(), language.replace("-", "_")),
        language.split("-", maxsplit=1)[0],
    )
    for tag in tags:
        try:
            locale = Locale.parse(tag)
            break
        except (UnknownLocaleError, ValueError):
            continue
    native = _DIGITS.get(locale.default_numbering_system, "0123456789")
    digits = str.maketrans("0123456789", native)
    return _Locale(locale, digits, str(locale.datetime_formats["medium"]))


def human_date(value: str, language: str) -> str:
    """A model date for readers in ``language``: ``12 August 2025, 06:30 GMT+02:00`` for a
    date-time (in the newsroom's own offset, as given), ``12 August 2025`` for a bare date."""
    locale = _locale(language)
    when: datetime = dates.parse(value)
    day = _day(when.date(), "long", language)
    if len(value) > 10:  # a bare date has no time, so none is shown
        clock = _clock(when.hour, when.minute, when.utcoffset() or timedelta(0), language)
        day = locale.joiner.replace("{1}", day).replace("{0}", clock)
    return day.translate(locale.digits)


def day_heading(value: str, language: str) -> str:
    """The day a model date falls on, for grouping a list by day: ``Tuesday 12 August 2025``."""
    return _day(dates.parse(value).date(), "full", language).translate(_locale(language).digits)


@functools.lru_cache(maxsize=4096)
def _day(day: date, width: str, language: str) -> str:
    """A day in Babel's words, drawn once however many dates fall on it: Babel takes tens of
    microseconds a date, and an index page of a large archive shows thousands."""
    from babel.dates import format_date

    return format_date(day, width, locale=_locale(language).babel)


@functools.lru_cache(maxsize=4096)
def _clock(hour: int, minute: int, offset: timedelta, language: str) -> str:
    """A time of day with its offset (all the pattern shows of a date-time), drawn once: "GMT"
    alone at a zero offset, as CLDR writes it, not "GMT+00:00"."""
    from babel.dates import format_time

    zone = "ZZZZ" if offset else "'GMT'"
    when = datetime(2000, 1, 1, hour, minute, tzinfo=timezone(offset))
    return format_time(when, f"HH:mm {zone}", locale=_locale(language).babel)
