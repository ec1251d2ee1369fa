"""Facts about attachment files for the GOV.UK-style "PDF, 245 KB, 12 pages" line."""

from __future__ import annotations

import logging
from pathlib import Path

_TYPES = {
    ".pdf": "PDF", ".doc": "MS Word Document", ".docx": "MS Word Document",
    ".odt": "OpenDocument Text", ".xls": "MS Excel Spreadsheet", ".xlsx": "MS Excel Spreadsheet",
    ".ods": "OpenDocument Spreadsheet", ".csv": "CSV", ".txt": "Plain text", ".rtf": "Rich Text Format",
    ".ppt": "MS PowerPoint Presentation", ".pptx": "MS PowerPoint Presentation",
    ".png": "PNG image", ".jpg": "JPEG image", ".jpeg": "JPEG image", ".gif": "GIF image",
    ".svg": "SVG image", ".zip": "ZIP file", ".mp3": "MP3 audio", ".mp4": "MP4 video",
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
