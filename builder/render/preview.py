"""The preview's fast path: a saved page is rendered again on its own, with the last build's
site index, and shown at once; the full build follows straight after.

Hugo's server does the same ("fast render"): on a site of thousands of pages the full
incremental build takes a few hundred milliseconds of bookkeeping, while the page being
edited takes a few. It is taken only when the save cannot have changed anything but that
page's own text: the page reads and resolves without a problem, and its address, card
(title, summary, date, tags…), draft state and template choice are as before. Anything
else, and any error, leaves the decision to the full build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup

from builder.content.load import load_page, read_body
from builder.site.links import resolve


@dataclass(frozen=True)
class Preview:
    """What the last build knew, kept by `serve` to render one page again without the rest."""
    site_dir: Path
    targets: object  # builder.site.links.LinkTargets
    base_path: str
    allow_raw_html: bool
    languages: dict = field(default_factory=dict)  # language -> (prefix, glossary)
    pages: dict = field(default_factory=dict)  # source -> (Output, TemplateRenderer)


def render_saved(preview: Preview, rels: list[str], markdown_for) -> dict[str, bytes] | None:
    """{output path: bytes} of each saved page rendered on its own, or None when any of
    them needs the full build. markdown_for(language, glossary): a MarkdownRenderer."""
    made = {}
    for rel in rels:
        known = preview.pages.get(rel)
        if known is None:
            return None
        output, renderer = known
        old = output.context["page"]
        prefix, glossary = preview.languages[old.language]
        result = load_page(preview.site_dir, rel, old.kind, preview.base_path, markdown_for(old.language, glossary),
                           old.language, prefix)
        if isinstance(result, list):
            return None
        loaded, raw = result
        page = loaded.page
        if (page.url, page.card_token, page.draft, page.template, page.aliases) != (
                old.url, old.card_token, old.draft, old.template, old.aliases):
            return None
        html, problems = resolve(page, raw, preview.targets, body=lambda: read_body(preview.site_dir, page))
        if problems:
            return None
        context = {**output.context, "page": page, "html": Markup(html)}
        made[output.path] = renderer.render(replace(output, context=context)).encode("utf-8")
    return made


def publish_saved(output: Path, made: dict[str, bytes]) -> None:
    """Put each page in place in one rename, so a reader never sees half a page."""
    for path, data in made.items():
        target = output / path
        temporary = target.with_name(f".{target.name}.preview")
        temporary.write_bytes(data)
        os.replace(temporary, target)
