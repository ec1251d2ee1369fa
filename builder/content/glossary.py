"""The site glossary: content/glossary.yml, one `TERM: what it means` per line."""

from __future__ import annotations

import yaml

from builder.errors import ContentError
from builder.content.read import decode, yaml_line


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
    terms = {}
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
