"""The site glossary: content/glossary.yml, one `TERM: what it means` per line.

The browser editor cannot edit a mapping whose keys are the terms, so the file may instead
(or as well) hold a list, `terms: [{term: EHCP, meaning: "Education, Health and Care Plan"}]`,
which is how the editor saves it.
"""

from __future__ import annotations

import yaml

from builder.errors import ContentError
from builder.content.read import decode, yaml_line

LIST_KEY = "terms"  # the list form written by the browser editor


def parse_glossary(path: str, data: bytes) -> dict[str, str]:
    text = decode(path, data)
    try:
        loaded = yaml.safe_load(text) or {}
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
    return dict(sorted(terms.items(), key=lambda item: item[0].lower()))


def load_glossary(site_dir, sources, errors: list[ContentError]) -> dict[str, str]:
    """The site's glossary, or nothing; a glossary that cannot be read is a content error."""
    for source in sources:
        if source.kind == "glossary":
            try:
                return parse_glossary(source.rel, (site_dir / source.rel).read_bytes())
            except ContentError as problem:
                errors.append(problem)
    return {}


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
