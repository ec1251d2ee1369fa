"""The example site's links to its questions page point at the question they are about."""

from __future__ import annotations

import re

from tests.conftest import ROOT

LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]*faq\.md[^)\s]*)\)")


def test_links_about_complaints_or_help_go_to_their_question():
    found = []
    for path in sorted((ROOT / "content").rglob("*.md")):
        for text, target in LINK.findall(path.read_text(encoding="utf-8")):
            if re.search(r"complain|help", text, re.I):
                found.append((path.name, text, target))
    assert found
    assert all("#" in target for _, _, target in found), [f for f in found if "#" not in f[2]]
