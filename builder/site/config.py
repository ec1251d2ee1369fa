"""Read site.toml into an immutable SiteConfig, with errors a comms officer can fix."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
import pickle

from builder import __version__
from builder.errors import BuildFailed, ContentError

CONFIG_NAME = "site.toml"


@dataclass(frozen=True)
class Accessibility:
    prepared: str
    last_reviewed: str
    tested_by: str
    non_accessible: tuple[str, ...]
    compliance: str


@dataclass(frozen=True)
class Editor:
    """Where the browser editor of the published site reads and saves content."""
    backend: str  # "github" or "gitlab"
    repo: str
    branch: str
    base_url: str = ""
    auth_endpoint: str = ""
    app_id: str = ""
    api_root: str = ""
    review: bool = False  # sign-off before publishing (Decap's editorial workflow)


@dataclass(frozen=True)
class Help:
    """[help]: the council's own links for the "Complaints and independent advice" page."""
    complaints: str = ""
    sendiass: str = ""
    sendiass_name: str = ""


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str
    language: str
    organisation: str
    contact_email: str
    contact_phone: str
    allow_raw_html: bool
    timeline_order: str
    per_page: int
    accessibility: Accessibility
    editor: Editor | None = None  # [editor]; without it the site has no /admin/
    raw: str = field(default="", compare=False, repr=False)  # file text, hashed by the build cache
    default_glossary: bool = True  # the theme's glossary of common SEND terms, under the site's own
    default_glossary_leave_out: tuple[str, ...] = ()  # default terms this site does not want
    # Every language the site is published in, the default (== language) first; () for a
    # site in one language. See builder/site/languages.py.
    languages: tuple[str, ...] = ()
    # [translated.cy]: (language, title, organisation, non_accessible) in the site's other languages
    translated: tuple[tuple[str, str, str, tuple[str, ...]], ...] = ()
    topics: tuple[tuple[str, str, str], ...] = ()  # (language, tag, label) from [topics] and [translated.*.topics]
    email_updates: str = ""  # the council's email bulletin sign-up page
    help: Help = Help()

    @property
    def base_path(self) -> str:
        """Path part of base_url, so a site can live under a sub-folder of a host."""
        from urllib.parse import urlsplit

        return urlsplit(self.base_url).path or "/"


def _refuse_control_characters(text: str, data: dict) -> None:
    """An escape like "\\u000c" in the site's title would make every feed unreadable XML."""
    from builder.content import limits

    def line_of(key: str) -> int | None:
        return next((n for n, raw in enumerate(text.split("\n"), 1) if raw.strip().startswith(key)), None)

    problems = limits.control_in_values(CONFIG_NAME, data, line_of)
    if problems:
        raise BuildFailed(problems)


def load_config(site_dir: Path, cache_dir: Path | None = None) -> SiteConfig:
    """Read site.toml. With cache_dir, an unchanged file is not validated again (pydantic's
    import alone costs more than an unchanged rebuild should)."""
    path = site_dir / CONFIG_NAME
    text = ""
    data: dict = {}
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8-sig")
            data = tomllib.loads(text)
        except UnicodeDecodeError:
            raise BuildFailed([ContentError(CONFIG_NAME, "is not saved as UTF-8 text", None,
                                            "save it again as UTF-8 in your editor")]) from None
        except tomllib.TOMLDecodeError as problem:
            line = getattr(problem, "lineno", None) or _line_from_message(str(problem))
            raise BuildFailed([ContentError(CONFIG_NAME, f"cannot be read: {problem}", line,
                                            'check quotes and "=" signs; text values need quotes, like title = "SEND progress"')]) from None
        _refuse_control_characters(text, data)
    remembered = cache_dir / "config.pickle" if cache_dir else None
    if remembered:
        try:
            with open(remembered, "rb") as handle:
                version, known_text, known = pickle.load(handle)
            if (version, known_text) == (__version__, text) and isinstance(known, SiteConfig):
                return known
        except Exception:  # no or damaged record: validate as usual
            pass
    config = _validate(data, text)
    if remembered:
        try:
            remembered.parent.mkdir(parents=True, exist_ok=True)
            with open(remembered, "wb") as handle:
                pickle.dump((__version__, text, config), handle)
        except OSError:
            pass
    return config


def _validate(data: dict, text: str) -> SiteConfig:
    from pydantic import ValidationError

    from builder.site.config_schema import _SiteSchema
    from builder.content.schema_errors import translate

    try:
        parsed = _SiteSchema.model_validate(data)
    except ValidationError as problem:
        lines = {key: n for n, raw in enumerate(text.splitlines(), 1)
                 for key in [raw.split("=")[0].strip()] if "=" in raw}
        raise BuildFailed(translate(problem, CONFIG_NAME, lines.get, list(_SiteSchema.model_fields),
                                    {"base_url": 'base_url = "https://send.example.org/"',
                                     "default_glossary": "default_glossary = false",
                                     "languages": 'languages = ["en-GB", "cy"]',
                                     "default_glossary_leave_out": 'default_glossary_leave_out = ["EP", "APP"]'})) from None
    access = parsed.accessibility
    return SiteConfig(
        title=parsed.title, base_url=parsed.base_url,
        language=parsed.languages[0] if parsed.languages else parsed.language,
        organisation=parsed.organisation, contact_email=parsed.contact_email,
        contact_phone=parsed.contact_phone, allow_raw_html=parsed.allow_raw_html,
        timeline_order=parsed.timeline_order, per_page=parsed.per_page,
        accessibility=Accessibility(access.prepared, access.last_reviewed, access.tested_by,
                                    tuple(access.non_accessible), access.compliance),
        editor=Editor(**parsed.editor.model_dump()) if parsed.editor else None,
        raw=text,
        default_glossary=parsed.default_glossary,
        default_glossary_leave_out=tuple(parsed.default_glossary_leave_out),
        languages=tuple(parsed.languages or ()),
        translated=tuple((language, names.title, names.organisation, tuple(names.non_accessible)) for language, names in parsed.translated.items()),
        topics=_topics(parsed),
        email_updates=parsed.email_updates,
        help=Help(**parsed.help.model_dump()),
    )


def _topics(parsed) -> tuple[tuple[str, str, str], ...]:
    from builder.content.slugs import slugify

    main = parsed.languages[0] if parsed.languages else parsed.language
    found = [(main, slugify(tag), label.strip()) for tag, label in parsed.topics.items()]
    found += [(language, slugify(tag), label.strip()) for language, names in parsed.translated.items()
              for tag, label in names.topics.items()]
    return tuple(item for item in found if item[1] and item[2])


def _line_from_message(message: str) -> int | None:
    import re

    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
