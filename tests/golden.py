"""Golden structure of the fixture site: what each built page says and how it is built.

Compared structurally (titles, headings, landmarks, links, dates), not byte for byte, so
a change of whitespace or CSS class does not fail it but a lost heading or link does.
Run `make golden` (python -m tests.golden --update) after an intended change.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "tests" / "fixtures" / "sites" / "full"
GOLDEN = ROOT / "tests" / "golden" / "full.json"
TODAY = dt.date(2025, 6, 1)


def structure(folder: Path) -> dict:
    pages = {}
    for path in sorted(folder.rglob("*.html")):
        rel = path.relative_to(folder).as_posix()
        if rel.startswith("pagefind/"):
            continue
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        main = doc.find("main")
        pages[rel] = {
            "title": doc.title.text.strip(),
            "headings": [f"{h.name} {h.get_text(' ', strip=True)}" for h in main.find_all(["h1", "h2", "h3", "h4"])],
            "landmarks": [t.name + (f"[{t.get('aria-label')}]" if t.get("aria-label") else "")
                          for t in doc.find_all(["header", "nav", "main", "footer"])],
            "links": [a.get("href") for a in main.find_all("a")],
            "times": [t.get("datetime") for t in main.find_all("time")],
        }
    # A fingerprinted asset name changes with every edit of the CSS or JS: compare its shape only.
    files = sorted(re.sub(r"^(assets/[^/]+)\.[0-9a-f]{8}(\.[a-z]+)$", r"\1.DIGEST\2", p.relative_to(folder).as_posix())
                   for p in folder.rglob("*")
                   if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/"))
    return {"files": files, "pages": pages}


def build_structure() -> dict:
    from builder.build import build

    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        build(SITE, out, use_cache=False, jobs=1, today=TODAY)
        return structure(out)


if __name__ == "__main__":
    if "--update" in sys.argv:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(build_structure(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {GOLDEN.relative_to(ROOT)}")
