"""Facts about attachment files for the GOV.UK-style "PDF, 245 KB, 12 pages" line, and the
check that no attachment is empty or a video holding a location."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from builder.content.images import EMPTY, EMPTY_HINT, target_of
from builder.errors import ContentError
from builder.i18n import N_

# Where a page can name a file: a Markdown link or image, an HTML href or src, a front-matter file:.
_NAMED = re.compile(r"\]\(\s*<?([^)>\s]+)|(?:href|src)=[\"']([^\"']+)|(?:^\s*-?\s*|[{,]\s*)file:\s*[\"']?([^\"'#,}\s]+)")

# English message ids; the templates translate them (builder.i18n).
_TYPES = {
    ".pdf": "PDF", ".doc": N_("MS Word Document"), ".docx": N_("MS Word Document"),
    ".odt": N_("OpenDocument Text"), ".xls": N_("MS Excel Spreadsheet"), ".xlsx": N_("MS Excel Spreadsheet"),
    ".ods": N_("OpenDocument Spreadsheet"), ".csv": "CSV", ".txt": N_("Plain text"), ".rtf": N_("Rich Text Format"),
    ".ppt": N_("MS PowerPoint Presentation"), ".pptx": N_("MS PowerPoint Presentation"),
    ".png": N_("PNG image"), ".jpg": N_("JPEG image"), ".jpeg": N_("JPEG image"), ".gif": N_("GIF image"),
    ".svg": N_("SVG image"), ".zip": N_("ZIP file"), ".mp3": N_("MP3 audio"), ".mp4": N_("MP4 video"),
}


def file_type(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return _TYPES.get(suffix, suffix.lstrip(".").upper() + " file" if suffix else "File")


def human_size(size: int) -> str:
    """GOV.UK style sizes: 245 KB, 1.2 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def page_count(path: Path) -> int | None:
    """Pages in a PDF, or None when it is not a PDF or cannot be read (never fails a build)."""
    if path.suffix.lower() != ".pdf":
        return None
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        return len(PdfReader(path).pages)
    except Exception:  # a damaged PDF still gets published; it just lacks a page count
        return None


def empty_files(site_dir: Path, static_files, pages) -> list[ContentError]:
    """The files in content/ that must not be published as they are: each empty one (see
    _empty_files) and each video that holds the place it was recorded (file_metadata). One
    call, so the build stage that publishes files as they are checks both."""
    from builder.content.file_metadata import located_videos

    return _empty_files(site_dir, static_files, pages) + located_videos(site_dir, static_files)


def _empty_files(site_dir: Path, static_files, pages) -> list[ContentError]:
    """An error for each empty file in content/ (a PDF cut short by a failed copy or upload):
    at each line of a published page that links to it, or naming the file when no page does.
    A file a page shows as an image is left to the image stage, which says the same."""
    empty, root = set(), os.fspath(site_dir)
    for rel in static_files:
        try:
            if os.stat(os.path.join(root, rel)).st_size == 0:  # strings: this runs for every file
                empty.add(rel)
        except OSError:
            continue  # gone since it was found: the next build sees it as it is then
    empty -= {image.file for page in pages for image in page.images}
    if not empty:
        return []
    errors, linked = [], set()
    for page in sorted(pages, key=lambda page: page.source):
        for line, rel in _named_files(site_dir, page.source):
            if rel in empty:
                linked.add(rel)
                errors.append(ContentError(page.source, f'the file "{rel.removeprefix("content/")}" is empty (0 bytes): '
                                           "it was probably not copied or saved completely", line, EMPTY_HINT))
    errors += [ContentError(rel, EMPTY, None, EMPTY_HINT + ", or delete it") for rel in sorted(empty - linked)]
    return errors


def _named_files(site_dir: Path, source: str) -> list[tuple[int, str]]:
    """(line, site-relative file) for every local file the page's source names."""
    try:
        lines = (site_dir / source).read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return []
    found = []
    for number, line in enumerate(lines, 1):
        for match in _NAMED.finditer(line):
            value = next(group for group in match.groups() if group)
            if "://" not in value and not value.startswith(("/", "#", "mailto:")):
                found.append((number, target_of(source, value)))
    return found
