"""Web-address slugs from titles and file names."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str) -> str:
    """"Café update – May" -> "cafe-update-may"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
