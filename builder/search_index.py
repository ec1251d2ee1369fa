"""Search: a Pagefind index of the finished site, written into it before it is published.

Pagefind reads the built HTML (only the parts marked data-pagefind-body) and writes a
static index and its JavaScript into pagefind/, so search needs no server.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from builder.errors import ContentError

FOLDER = "pagefind"


def build_search_index(site: Path, language: str) -> list[str]:
    """Index the site folder; return the files Pagefind wrote, relative to the site."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", FOLDER,
               "--force-language", language.split("-")[0].lower(), "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as problem:
        raise ContentError("pagefind", f"the search index could not be built ({problem})", None,
                           "reinstall with `pip install .` so the pagefind package is present") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no message"]
        raise ContentError("pagefind", f"the search index could not be built: {detail[0]}", None,
                           "reinstall with `pip install .`, or report this with the message above")
    folder = site / FOLDER
    return sorted(p.relative_to(site).as_posix() for p in folder.rglob("*") if p.is_file())
