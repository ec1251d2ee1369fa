"""Find every source file of a site and sort it into pages and static files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from builder.content import limits
from builder.errors import ContentError

# Folder under content/ -> kind of page. Part of the content contract: extend, don't change.
KIND_FOLDERS = {
    "letters": "letter",
    "updates": "update",
    "news": "news",
    "timeline": "event",
    "pages": "page",
    "commitments": "commitment",
    "feedback": "feedback",
    "measures": "measure",
}
# NAME.easyread.md beside a page is its Easy Read version (builder.site.easyread).
EASY_READ_SUFFIX = ".easyread.md"
PAGE_KINDS = frozenset(KIND_FOLDERS.values()) | {"easyread"}
GLOSSARY_NAME = "glossary.yml"
_IGNORED = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class SourceFile:
    rel: str  # path relative to the site, with forward slashes: content/letters/x.md
    kind: str  # a page kind, "static" or "glossary"


def discover(site_dir: Path) -> tuple[list[SourceFile], list[ContentError]]:
    """Walk content/ in a stable order. Symlinks that lead out of the site are refused."""
    content = site_dir / "content"
    errors: list[ContentError] = []
    found: list[SourceFile] = []
    if not content.is_dir():
        return [], [ContentError("content", "the content folder is missing",
                                 hint=f"create a folder called content inside {site_dir}")]
    site_root = content.resolve()  # a link may only point at something inside content/

    # os.scandir and plain strings rather than os.walk and pathlib: on a site of 5,000 pages
    # this walk runs on every rebuild, and pathlib made it a third of a warm one.
    def walk(folder: str, rel: str, depth: int) -> None:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        folders = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if problems := limits.name_problems(f"{rel}/{name}", depth):
                errors.extend(problems)  # its published copies could not be written
                continue
            if entry.is_symlink():
                if _escapes(Path(entry.path), site_root, errors, site_dir) or _is_dir(entry):
                    continue  # a linked folder is never entered
            elif entry.is_dir():
                folders.append(entry)
                continue
            if name not in _IGNORED and not name.endswith("~"):
                found.append(SourceFile(f"{rel}/{name}", classify(f"{rel}/{name}")))
        for entry in folders:
            walk(entry.path, f"{rel}/{entry.name}", depth + 1)

    walk(str(content), "content", 1)
    return found, errors


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def classify(rel: str) -> str:
    parts = rel.split("/")
    if parts == ["content", GLOSSARY_NAME] or (len(parts) == 2 and _is_language_glossary(parts[1])):
        return "glossary"
    if len(parts) >= 3 and parts[-1].endswith(EASY_READ_SUFFIX) and parts[1] in KIND_FOLDERS:
        return "easyread"
    if len(parts) >= 3 and parts[-1].endswith(".md") and parts[1] in KIND_FOLDERS:
        return KIND_FOLDERS[parts[1]]  # sub-folders (e.g. updates/2024/) are for tidiness only
    if parts[-1].endswith(".md"):
        return "stray-markdown"
    if len(parts) == 3 and parts[1] == "measures" and parts[-1].lower().endswith(".csv"):
        return "measure-data"  # a measure's figures: read with it, published as its own download
    return "static"


def _is_language_glossary(name: str) -> bool:
    """glossary.cy.yml: the glossary of a site's pages in another language (never published)."""
    middle = name.removeprefix("glossary.").removesuffix(".yml")
    return name.startswith("glossary.") and name.endswith(".yml") and middle.replace("-", "").isalpha() and 2 <= len(middle) <= 12


def _escapes(path: Path, site_root: Path, errors: list[ContentError], site_dir: Path) -> bool:
    """True (and an error recorded) when a symlink points outside the content folder."""
    if not path.is_symlink():
        return False
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # a loop of links, or a link to nothing
        errors.append(ContentError(path.relative_to(site_dir).as_posix(),
                                   "is a shortcut (symlink) that leads nowhere or round in a circle", None,
                                   "delete the shortcut, and copy the file or folder it was meant to show into its place"))
        return True
    if target == site_root or site_root in target.parents:
        if path.is_dir() and (target == path.parent.resolve() or target in path.parent.resolve().parents):
            errors.append(ContentError(path.relative_to(site_dir).as_posix(),
                                       "is a shortcut (symlink) to a folder that contains it, which makes a loop", None,
                                       "delete the shortcut: the files it leads to are already in the content folder"))
            return True
        return False
    errors.append(ContentError(
        path.relative_to(site_dir).as_posix(),
        "is a shortcut (symlink) to something outside the content folder, so it was not published",
        hint="copy the file into the content folder instead of linking to it",
    ))
    return True


def stray_markdown(sources: list[SourceFile]) -> list[ContentError]:
    """Markdown outside the page folders would be published as plain text: a draft leak."""
    return [ContentError(s.rel, "is a Markdown file outside the folders the builder reads, so it would be published as plain text",
                         None, "move it into content/letters, updates, news, timeline, pages, commitments, feedback or measures")
            for s in sources if s.kind == "stray-markdown"]
