"""The lines a build says at the terminal, shared by `localoffer build` (cli.py) and
`localoffer serve` (commands/serve.py), so neither imports the other."""

from __future__ import annotations

import click


def say_waiting(line: str) -> None:
    """Tell the user why this build waits for (or takes over from) another: builder/publish/lock.py."""
    click.echo(line, err=True)


def summary_line(report) -> str:
    noun = "page" if report.pages == 1 else "pages"
    line = (f"Built {report.pages} {noun} in {report.seconds:.2f} s "
            f"({report.rendered} rendered, {report.written} files written, {report.removed} removed)")
    if report.next_scheduled:
        line += f"; next scheduled publication: {report.next_scheduled.display}"
    return line + "."
