"""The numbered error report as Markdown, for `--report FILE`.

Publishing jobs show a Markdown file where a comms officer looks: GitHub's job summary
($GITHUB_STEP_SUMMARY) and a GitLab artifact linked from the merge request. The report is
added to the end of the file, so `check` and `build` can share one file (as they share
GitHub's job summary). The terminal report (builder.errors.format_errors) stays as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

from builder.errors import ContentError

# Characters that Markdown (and the HTML it allows) would read as formatting.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|!~])")


_ALIASES_LINE = re.compile(r"(aliases: \[[^\]]*\])")


def _plain(text: str) -> str:
    # A front-matter line to copy stays as written, in code format; the rest is escaped.
    return "".join(f"`{part}`" if _ALIASES_LINE.fullmatch(part) else _MARKDOWN.sub(r"\\\1", part)
                   for part in _ALIASES_LINE.split(text))


def _item(error: ContentError) -> str:
    where = f"`{error.path}`" + (f", line {error.line}" if error.line else "")
    text = f"{where}: {_plain(error.message)}"
    if error.hint:
        text += f"  \n   How to fix: {_plain(error.hint)}"
    return text


def markdown_report(heading: str, errors: list[ContentError] = (), warnings: list[ContentError] = (),
                    success: str = "") -> str:
    """heading: "The site was not built"; success: the line to show when nothing failed."""
    lines = []
    if errors:
        noun = "problem" if len(errors) == 1 else "problems"
        lines += [f"## {heading}: {len(errors)} {noun} to fix", ""]
        lines += [f"{number}. {_item(error)}" for number, error in enumerate(errors, 1)]
    elif success:
        lines += [f"## {_plain(success)}"]
    if warnings:
        noun = "warning" if len(warnings) == 1 else "warnings"
        lines += ["", f"### {len(warnings)} {noun} (the site can still be published)", ""]
        lines += [f"{number}. {_item(warning)}" for number, warning in enumerate(warnings, 1)]
    return "\n".join(lines) + "\n\n"


def add_report(path: Path | None, text: str) -> None:
    """Append to path (creating it). A report that cannot be written must not hide the result."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as problem:
        import click

        click.echo(f"The report could not be written to {path} ({problem.strerror}).", err=True)
