"""The words the theme writes itself, in the site's language: message catalogues and dates.

Every sentence the builder writes (navigation, headings, labels, the settings page, feed and
calendar titles) is a gettext message. The catalogues are the .po files in
builder/theme/locale/<locale>/LC_MESSAGES/messages.po, read with Babel at build time, so no
compiled file is committed and no separate compile step can be forgotten. A message missing
from a catalogue (or left empty) falls back to the English text it was written in.

Reading a .po file with Babel costs a sixth of a second, so the compiled catalogue is kept in
the build cache under the digest of the .po file, and later builds load it with the standard
library in a millisecond. English dates need no Babel at all (see format_date).

`make messages` extracts the messages from builder/ into builder/theme/locale/messages.pot and
updates every catalogue from it (see babel.cfg).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as gettext_module
import hashlib
import io
import os
import struct
from pathlib import Path

from builder.content.dates import PartialDate

LOCALE_DIR = Path(__file__).parent / "theme" / "locale"
DOMAIN = "messages"

# GOV.UK style, which the Welsh Government also uses: "21 November 2024", "May 2025".
FULL_DATE = "d MMMM y"
MONTH_DATE = "MMMM y"


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; it is translated where it is shown."""
    return message


def locale_name(language: str) -> str:
    """A site's language tag (BCP 47, as in <html lang>) as a Babel locale: en-GB -> en_GB."""
    return language.replace("-", "_")


def catalogue_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path | None:
    """The catalogue for a language: exactly its own (en_GB), else its base language's (en)."""
    name = locale_name(language)
    for candidate in (name, name.split("_")[0]):
        path = locale_dir / candidate / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


def available_languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    """The languages the theme has a catalogue for, as language codes: ["cy", "en-GB"]."""
    return sorted(path.parent.parent.name.replace("_", "-")
                  for path in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def catalogue_digest(language: str, locale_dir: Path = LOCALE_DIR) -> str:
    """What the build cache compares: a changed catalogue changes every page."""
    path = catalogue_path(language, locale_dir)
    data = path.read_bytes() if path else b""
    return hashlib.blake2b(language.encode() + b"\0" + data, digest_size=16).hexdigest()


def load_translations(language: str, locale_dir: Path = LOCALE_DIR,
                      cache_dir: Path | None = None) -> gettext_module.NullTranslations:
    """The catalogue for a language; English text when there is none. With cache_dir, the
    compiled catalogue is kept there, named by the digest of the .po file."""
    path = catalogue_path(language, locale_dir)
    if path is None:
        return gettext_module.NullTranslations()
    source = path.read_bytes()
    kept = cache_dir / f"{hashlib.blake2b(source, digest_size=16).hexdigest()}.mo" if cache_dir else None
    try:
        if kept:
            return gettext_module.GNUTranslations(io.BytesIO(kept.read_bytes()))
    except (OSError, ValueError, LookupError, struct.error):
        pass  # not compiled yet, or the kept file is damaged: compile it again
    compiled = compile_catalogue(source, language)
    if kept:
        kept.parent.mkdir(parents=True, exist_ok=True)
        scratch = kept.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_bytes(compiled)
        os.replace(scratch, kept)  # another build reading it sees the whole file or none
    return gettext_module.GNUTranslations(io.BytesIO(compiled))


@functools.lru_cache(maxsize=8)
def compile_catalogue(source: bytes, language: str) -> bytes:
    """A .po file's bytes as .mo bytes. Untranslated and fuzzy messages are left out, so
    gettext shows the English message for them. Kept per (text, language): a build without
    a cache folder loads the same catalogue for the templates, the plan, the feeds and each
    search shard, and Babel takes about 13 ms to read one."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalogue = read_po(io.BytesIO(source), domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    return compiled.getvalue()


def format_date(date, language: str) -> str:
    """A PartialDate (or datetime.date) as readers see it: "21 Tachwedd 2024", "Mai 2025"."""
    if language.lower() == "en" or language.lower().startswith(("en-", "en_")):
        # The same words Babel writes for English with these patterns (tests/test_i18n.py
        # checks every month), without importing Babel's calendar data: a quarter of a second.
        return (date if isinstance(date, PartialDate) else PartialDate(date.year, date.month, date.day)).display
    return _babel_date(date, language)


@functools.lru_cache(maxsize=4096)
def _babel_date(date, language: str) -> str:
    """Babel takes about 25 µs a date, and a site shows the same few hundred dates on many
    pages (each page's own, and again in every list, feed and search record)."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date as babel_format

    try:
        locale = Locale.parse(locale_name(language))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en_GB")  # a language Babel does not know: dates stay readable
    if isinstance(date, dt.date):
        return babel_format(date, FULL_DATE, locale=locale)
    return babel_format(date.first_day, FULL_DATE if date.day else MONTH_DATE, locale=locale)
