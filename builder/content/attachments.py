"""Facts about attachment files for the GOV.UK-style "PDF, 245 KB, 12 pages" line."""

from __future__ import annotations

import logging
from pathlib import Path

from builder.i18n import N_

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
