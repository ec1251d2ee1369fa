"""The result of a publishing run, as a small JSON file the editor shows: `--status FILE`.

After "Publish" in the editor on the live site, the change goes through the site's GitHub or
GitLab job. Without this, the editor said "Published" even when that job then failed, and
the problems were only in the job's log. The jobs `localoffer init` writes pass --status to
`check` and `build`, then publish the file with the site at /admin/status.json, beside the
last site that built; the editor's page (builder/theme/admin/status.js) reads it and shows
"Published" or the numbered problems, in the same words as everywhere else.

The commit and the run's page come from the job's own environment (GitHub Actions and GitLab
CI set them); outside a job they are left out.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from gettext import ngettext
from pathlib import Path

from builder.errors import ContentError

PUBLISHED_PATH = "admin/status.json"  # where the jobs publish it, beside the editor


def _run() -> dict:
    """The commit and the job's page, from the CI's environment."""
    env = os.environ
    if env.get("GITHUB_SHA"):
        server, repo, run = env.get("GITHUB_SERVER_URL", "https://github.com"), env.get("GITHUB_REPOSITORY"), env.get("GITHUB_RUN_ID")
        return {"commit": env["GITHUB_SHA"], "run_url": f"{server}/{repo}/actions/runs/{run}" if repo and run else ""}
    if env.get("CI_COMMIT_SHA"):
        return {"commit": env["CI_COMMIT_SHA"], "run_url": env.get("CI_PIPELINE_URL", "")}
    return {"commit": "", "run_url": ""}


def status_record(problems: list[ContentError] = (), warnings: list[ContentError] = (), heading: str = "",
                  success: str = "", now: dt.datetime | None = None, where: str = "site") -> dict:
    """The record: "published" with the build's line, or "problems" with each numbered, in plain words.
    where: "preview" for `localoffer serve`'s own result, which publishes nothing."""
    now = now or dt.datetime.now(dt.timezone.utc)
    record = {"result": "problems" if problems else "published", "where": where, "time": now.isoformat(timespec="seconds"),
              **_run()}
    if problems:
        count = ngettext("%(num)d problem to fix", "%(num)d problems to fix", len(problems)) % {"num": len(problems)}
        record["summary"] = (f"Not published: {count}. The site still shows the last version that was published. "
                             "Fix each problem below and publish again." if where == "site" else
                             f"Your latest changes are not shown: {count}. The preview shows the last version "
                             "that built. Fix each problem below and save again.")
    else:
        record["summary"] = "Published. " + success if success else "Published."
    record["heading"] = heading
    record["problems"] = [_plain(number, error) for number, error in enumerate(problems, 1)]
    record["warnings"] = [_plain(number, warning) for number, warning in enumerate(warnings, 1)]
    return record


def _plain(number: int, error: ContentError) -> dict:
    return {"number": number, "file": error.path, "line": error.line, "problem": error.message, "how_to_fix": error.hint}


def write_status(path: Path | None, record: dict) -> None:
    """Write the record to path, replacing the last one; never hides the run's own result."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as problem:
        import click

        click.echo(f"The status could not be written to {path} ({problem.strerror}).", err=True)
