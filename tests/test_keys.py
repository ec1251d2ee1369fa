"""builder/incremental/keys.py: keys made from what a step reads, never chosen field by field."""

from __future__ import annotations

import dataclasses

from builder.content.model import Page
from builder.hashing import digest
from builder.incremental.keys import search_key


class _Html:
    def __init__(self, shas: dict):
        self.shas = shas

    def sha(self, source: str) -> str:
        return self.shas[source]


def _page(**fields) -> Page:
    return Page(source="content/pages/help.md", kind="page", slug="help", url="/help/", title="Help", body="",
                **fields)


def _token(page: Page) -> str:
    return digest(repr(page).encode())


def test_a_search_document_key_changes_with_any_field_of_its_page_not_only_its_card():
    page = _page()
    other = dataclasses.replace(page, template="wide.html")  # not on the card: card_token is the same
    assert other.card_token == page.card_token
    html = _Html({page.source: "sha-1"})
    key = lambda p: search_key({p.source: _token(p)}, html, "en")(p)  # noqa: E731
    assert key(page) != key(other)


def test_a_search_document_key_changes_with_its_html_and_its_language():
    page = _page()
    tokens = {page.source: _token(page)}
    first = search_key(tokens, _Html({page.source: "sha-1"}), "en")(page)
    assert first == search_key(tokens, _Html({page.source: "sha-1"}), "en")(page)
    assert first != search_key(tokens, _Html({page.source: "sha-2"}), "en")(page)
    assert first != search_key(tokens, _Html({page.source: "sha-1"}), "cy")(page)
