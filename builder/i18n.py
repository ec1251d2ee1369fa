"""The words the theme writes itself, in the site's language: message catalogues and dates.

Every sentence the builder writes (navigation, headings, labels, the settings page, feed and
calendar titles) is a gettext message. The catalogues are the .po files in
builder/theme/locale/<locale>/LC_MESSAGES/messages.po, read with Babel at build time, so no
compiled file is committed and no separate compile step can be forgotten. A message missing
from a catalogue (or left empty) falls back to the English text it was written in.

`make messages` extracts the messages from builder/ into builder/theme/locale/messages.pot and
updates every catalogue from it (see babel.cfg).
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
import hashlib
import io
from pathlib import Path

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


def catalogue_digest(language: str, locale_dir: Path = LOCALE_DIR) -> str:
    """What the build cache compares: a changed catalogue changes every page."""
    path = catalogue_path(language, locale_dir)
    data = path.read_bytes() if path else b""
    return hashlib.blake2b(language.encode() + b"\0" + data, digest_size=16).hexdigest()


def load_translations(language: str, locale_dir: Path = LOCALE_DIR) -> gettext_module.NullTranslations:
    """The catalogue for a language, compiled in memory; English text when there is none."""
    path = catalogue_path(language, locale_dir)
    if path is None:
        return gettext_module.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=locale_name(language), domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)  # untranslated and fuzzy messages are left out: English shows
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def format_date(date, language: str) -> str:
    """A PartialDate (or datetime.date) as readers see it: "21 Tachwedd 2024", "Mai 2025"."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import format_date as babel_format

    try:
        locale = Locale.parse(locale_name(language))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en_GB")  # a language Babel does not know: dates stay readable
    if isinstance(date, dt.date):
        return babel_format(date, FULL_DATE, locale=locale)
    return babel_format(date.first_day, FULL_DATE if date.day else MONTH_DATE, locale=locale)
