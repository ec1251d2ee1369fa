"""Search: a Pagefind index of the site's pages, so search works from any static host.

Pagefind is fed small documents made straight from the page model (title, kind, date and
the page's HTML) rather than the finished pages, which halves its work, and it runs in
the background while the templates render. Its result is kept in the build cache and
reused whenever nothing searchable changed.
"""

from __future__ import annotations

import html as html_lib
import shutil
import subprocess
import sys
from pathlib import Path

from builder.errors import ContentError
from builder.write import digest

FOLDER = "pagefind"


class SearchJob:
    """One Pagefind run over the searchable pages, started now and collected later."""

    def __init__(self, work_dir: Path, pages, html, language: str, base_path: str):
        self.work_dir = work_dir
        self.result_dir = work_dir / "result" / FOLDER
        self.stamp_file = work_dir / "result" / "stamp"
        entries = [(p.url, p.title, p.kind_label, p.date.display if p.date else "", html.sha(p.source)) for p in pages]
        self.stamp = digest(repr((sorted(entries), language)).encode())
        self.process = None
        if not pages:  # Pagefind refuses an empty site; the search page then says search is unavailable
            shutil.rmtree(work_dir / "result", ignore_errors=True)
            return
        if self._reusable():
            return
        source = work_dir / "source"
        shutil.rmtree(work_dir / "result", ignore_errors=True)
        shutil.rmtree(source, ignore_errors=True)
        lang = language.split("-")[0].lower()
        for page in pages:
            path = source / page.url.lstrip("/") / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            date = f'<p data-pagefind-meta="date">{page.date.display}</p>' if page.date else ""
            path.write_text(
                f'<!DOCTYPE html><html lang="{lang}"><head><title>{html_lib.escape(page.title)}</title></head>'
                f'<body><main data-pagefind-body><h1>{html_lib.escape(page.title)}</h1>'
                f'<p data-pagefind-meta="kind">{page.kind_label}</p>{date}'
                f'<p>{html_lib.escape(page.summary)}</p>{html[page.source]}</main></body></html>',
                encoding="utf-8")
        command = [sys.executable, "-m", "pagefind", "--site", str(source), "--output-path", str(self.result_dir),
                   "--force-language", lang, "--quiet"]
        try:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except OSError as problem:
            raise ContentError("pagefind", f"the search index could not be built ({problem})", None,
                               "reinstall with `pip install .` so the pagefind package is present") from None

    def _reusable(self) -> bool:
        try:
            return self.stamp_file.read_text() == self.stamp and self.result_dir.is_dir()
        except OSError:
            return False

    def files(self) -> dict[str, Path]:
        """Wait for Pagefind; return output-relative path -> file for every index file."""
        if self.process is not None:
            out, err = self.process.communicate(timeout=1800)
            if self.process.returncode != 0:
                detail = (err or out).strip().splitlines()[-1:] or ["no message"]
                raise ContentError("pagefind", f"the search index could not be built: {detail[0]}", None,
                                   "reinstall with `pip install .`, or report this with the message above")
            shutil.rmtree(self.work_dir / "source", ignore_errors=True)
            self.stamp_file.write_text(self.stamp)
            self.process = None
        if not self.result_dir.is_dir():
            return {}
        return {f"{FOLDER}/{p.relative_to(self.result_dir).as_posix()}": p
                for p in sorted(self.result_dir.rglob("*")) if p.is_file()}

    def cancel(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
