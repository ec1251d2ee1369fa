"""The site glossary: content/glossary.yml, one `TERM: what it means` per line.

The browser editor cannot edit a mapping whose keys are the terms, so the file may instead
(or as well) hold a list, `terms: [{term: EHCP, meaning: "Education, Health and Care Plan"}]`,
which is how the editor saves it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from builder.content import limits
from builder.errors import ContentError
from builder.content.read import decode, yaml_line

LIST_KEY = "terms"  # the list form written by the browser editor


def parse_glossary(path: str, data: bytes) -> dict[str, str]:
    text = decode(path, data)
    if problems := limits.control_characters(path, text):
        raise problems[0]
    try:
        loaded = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # libyaml: fast
    except (ValueError, TypeError, RecursionError) as problem:  # from a value's explicit tag, like !!int abc
        raise ContentError(path, f"cannot be read ({problem})", None, 'remove any "!!" in front of a meaning') from None
    except yaml.YAMLError as problem:
        line = yaml_line(problem)
        raise ContentError(path, f"cannot be read ({getattr(problem, 'problem', problem)})",
                           line + 1 if line is not None else None,
                           'write one term per line, like EHCP: "Education, Health and Care Plan"') from None
    if not isinstance(loaded, dict):
        raise ContentError(path, "must list terms as TERM: meaning, one per line", 1,
                           'for example EHCP: "Education, Health and Care Plan"')
    terms = _listed_terms(path, text, loaded.pop(LIST_KEY, None))
    for term, meaning in loaded.items():
        if not isinstance(meaning, str) or not meaning.strip():
            line = next((n for n, raw in enumerate(text.split("\n"), 1) if raw.startswith(f"{term}:")), None)
            raise ContentError(path, f'the term "{term}" needs a meaning written as text', line,
                               f'write it like {term}: "what it stands for"')
        terms[str(term)] = meaning.strip()
    line_of = lambda term: next((n for n, raw in enumerate(text.split("\n"), 1) if term in raw), None)  # noqa: E731
    if problems := limits.control_in_values(path, terms, line_of):
        raise problems[0]  # an escape such as "\f" in a meaning would end up in the feeds
    return dict(sorted(terms.items(), key=lambda item: item[0].lower()))


def _listed_terms(path: str, text: str, listed: object) -> dict[str, str]:
    """The `terms:` list form: each item has a term and its meaning."""
    if listed is None:
        return {}
    line = next((n for n, raw in enumerate(text.split("\n"), 1) if raw.startswith(f"{LIST_KEY}:")), None)
    example = '- term: EHCP\n    meaning: "Education, Health and Care Plan"'
    if not isinstance(listed, list):
        raise ContentError(path, f"{LIST_KEY}: must be a list of terms", line, f"write each one like {example}")
    terms = {}
    for number, item in enumerate(listed, 1):
        term = item.get("term") if isinstance(item, dict) else None
        meaning = item.get("meaning") if isinstance(item, dict) else None
        if isinstance(item, dict) and set(item) - {"term", "meaning"}:
            raise ContentError(path, f"term {number} of the list has unknown fields: {', '.join(sorted(set(item) - {'term', 'meaning'}))}",
                               line, f"give each term only a term and a meaning, like {example}")
        if not isinstance(term, (str, int, float)) or not str(term).strip():
            raise ContentError(path, f"term {number} of the list has no term", line, f"write it like {example}")
        if not isinstance(meaning, str) or not meaning.strip():
            raise ContentError(path, f'the term "{term}" needs a meaning written as text', line,
                               f"write it like {example}")
        terms[str(term).strip()] = meaning.strip()
    return terms


# --- The default glossary, and a site's glossary on top of it ------------------------------
# The theme ships the short forms families meet most (builder/theme/glossary.yml, and
# glossary.cy.yml for Welsh pages); a site's own glossary extends and overrides them.

THEME_FOLDER = Path(__file__).resolve().parent.parent / "theme"


def language_code(language: str) -> str:
    """"en-GB" -> "en", "cy" -> "cy": glossary files are named by the language alone."""
    return language.replace("_", "-").split("-")[0].lower()


def default_glossary(language: str = "en") -> dict[str, str]:
    """The theme's glossary for a language: glossary.yml for English, glossary.cy.yml for
    Welsh. A language without one of its own gets no default terms."""
    code = language_code(language)
    name = "glossary.yml" if code == "en" else f"glossary.{code}.yml"
    path = THEME_FOLDER / name
    return parse_glossary(f"builder/theme/{name}", path.read_bytes()) if path.is_file() else {}


def merge_glossaries(default: dict[str, str], own: dict[str, str], leave_out=()) -> dict[str, str]:
    """The site's own terms extend the default list; a term in both takes the site's meaning."""
    left_out = set(leave_out)
    merged = {term: meaning for term, meaning in default.items() if term not in left_out}
    merged.update(own)
    return dict(sorted(merged.items(), key=lambda item: item[0].lower()))


def site_glossary_name(config, language: str | None = None) -> str:
    """content/glossary.yml is in the site's main language; another language's sits beside it
    with the language before .yml, like content/glossary.cy.yml."""
    if language is None or language_code(language) == language_code(config.language):
        return "content/glossary.yml"
    return f"content/glossary.{language_code(language)}.yml"


def load_glossary(site_dir: Path, sources, config, language: str | None = None
                  ) -> tuple[dict[str, str], list[ContentError]]:
    """The glossary for pages in `language` (the site's main language when None): the default
    terms for that language unless site.toml turns them off, less default_glossary_leave_out,
    plus the site's own glossary file. Problems are returned, not raised, so that the build
    reports them together with every other problem."""
    language = language or config.language
    errors: list[ContentError] = []
    own: dict[str, str] = {}
    name = site_glossary_name(config, language)
    if any(source.rel == name for source in sources):
        try:
            own = parse_glossary(name, (Path(site_dir) / name).read_bytes())
        except ContentError as problem:
            errors.append(problem)
    if not config.default_glossary:
        return merge_glossaries({}, own), errors
    return merge_glossaries(default_glossary(language), own, config.default_glossary_leave_out), errors


def all_default_terms() -> set[str]:
    """Every term of every language's default glossary, to check default_glossary_leave_out."""
    return {term for path in sorted(THEME_FOLDER.glob("glossary*.yml"))
            for term in parse_glossary(f"builder/theme/{path.name}", path.read_bytes())}
