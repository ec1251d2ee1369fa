"""A small valid site, built once, and builds run in this process through the command line's
own wrapper: shared by tests/test_limits.py and tests/test_fuzz.py.

In-process because the fuzz test runs hundreds of builds: a new interpreter for each would
cost a second apiece. cli.guarded is what turns every problem into the numbered report
(exit 1) or "unexpected problem" (exit 2), so its exit code and text are what a user sees.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from builder import cli
from tests.conftest import LETTER, write_site

BASE_FILES: dict[str, str] = {
    "content/letters/2022-01-10-january.md": LETTER.format(title="January letter", date="2022-01-10"),
    "content/timeline/2019-01-revisit.md": "---\ntitle: The revisit\ndate: 2019-01\nevent: revisit\n---\n"
                                           "## What happened\n\nInspectors came back.\n",
    "content/updates/2022-02-01-february.md": "---\ntitle: February update\ndate: 2022-02-01\nsummary: What we did.\n"
                                              "tags: [review]\n---\nSee [the revisit](../timeline/2019-01-revisit.md).\n\n"
                                              "- one\n    - two\n\n> quoted\n",
    "content/updates/files/plan.txt": "The plan.\n",
    "content/pages/questions.md": "---\ntitle: Questions\nsummary: Answers.\n---\n## Why?\n\nBecause.\n",
}


def build_in_process(site: Path, use_cache: bool = True) -> tuple[int, str]:
    """(exit code, everything printed) of `localoffer build SITE -j 1`, run in this process."""
    printed = io.StringIO()
    code = 0
    with contextlib.redirect_stderr(printed), contextlib.redirect_stdout(printed):
        try:
            report = cli.run_build(site, None, False, 1, use_cache=use_cache)
            print(cli.summary_line(report))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
    return code, printed.getvalue()


def built_once(tmp_path_factory) -> Path:
    """The valid site, built (the first call of a session builds it; later ones reuse it)."""
    site = tmp_path_factory.getbasetemp() / "hostile-valid-site"
    if not (site / "output").is_dir():
        write_site(site, BASE_FILES)
        code, text = build_in_process(site)
        assert code == 0, text
    return site


def fresh_copy(tmp_path_factory, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(built_once(tmp_path_factory), site, symlinks=True)
    return site
