"""Every relative link in README.md, CHANGELOG.md and docs/*.md reaches a file of the repository,
and every #anchor a heading of its page (as GitHub and GitLab make heading anchors)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.conftest import ROOT

DOCS = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"(?<!!)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_INLINE_CODE = re.compile(r"`[^`]*`")


def _prose(text: str) -> list[str]:
    """The lines outside fenced code blocks, with inline code removed (examples are not links)."""
    lines, fenced = [], False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            lines.append("")
        else:
            lines.append("" if fenced else _INLINE_CODE.sub("", line))
    return lines


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: links and code marks dropped, lower case, punctuation
    removed, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    found, seen = set(), {}
    fenced = False
    for line in path.read_text(encoding="utf-8").split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced and (match := _HEADING.match(line)):
            base = anchor(match.group(2))
            count = seen.get(base, 0)
            found.add(base if count == 0 else f"{base}-{count}")  # repeated headings get -1, -2
            seen[base] = count + 1
    return found


def links(path: Path) -> list[tuple[int, str]]:
    return [(number, target) for number, line in enumerate(_prose(path.read_text(encoding="utf-8")), 1)
            for target in _LINK.findall(line)]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_and_anchor_resolves(doc):
    broken = []
    for number, target in links(doc):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            continue  # https:, mailto: and the like: not ours to check offline
        path, _, fragment = target.partition("#")
        goal = (doc.parent / unquote(path)).resolve() if path else doc
        if not goal.exists() or ROOT not in (goal, *goal.parents):
            broken.append(f"line {number}: {target} (no such file)")
        elif fragment and goal.suffix == ".md" and unquote(fragment) not in anchors(goal):
            broken.append(f"line {number}: {target} (no heading with that anchor in {goal.name})")
    assert not broken, f"{doc.relative_to(ROOT)} has broken links:\n" + "\n".join(broken)


def test_the_anchor_rule_matches_githubs():
    assert anchor("site.toml") == "sitetoml"
    assert anchor("`[editor]`: the editor on the published site") == "editor-the-editor-on-the-published-site"
    assert anchor("Publishing (deploying)") == "publishing-deploying"
    assert anchor("`localoffer init FOLDER`") == "localoffer-init-folder"
    assert anchor("Start here, on any laptop") == "start-here-on-any-laptop"


def test_the_checker_finds_a_broken_link_and_anchor(tmp_path):
    (tmp_path / "a.md").write_text("# A\n\n## Part one\n\n[ok](#part-one) [bad](#part-two) [gone](b.md)\n"
                                   "```\n[in code](nowhere.md)\n```\n", encoding="utf-8")
    assert anchors(tmp_path / "a.md") == {"a", "part-one"}
    assert [target for _, target in links(tmp_path / "a.md")] == ["#part-one", "#part-two", "b.md"]
