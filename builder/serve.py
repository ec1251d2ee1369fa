"""Development server: build, serve with live reload, rebuild on change.

A content error never stops the server: it is printed, and the last good site stays up
(a failed build does not touch the output folder). Rebuilds are incremental, and a burst
of saves is gathered into one rebuild by a short quiet period.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import click

from builder.errors import BuildFailed, ContentError, format_errors

QUIET_SECONDS = 0.3


class Rebuilder:
    """Runs the incremental build; several calls close together make one build."""

    def __init__(self, site_dir: Path, output: Path, drafts: bool, base_url: str | None = None):
        self.site_dir, self.output, self.drafts, self.base_url = site_dir, output, drafts, base_url
        self._lock = threading.Lock()
        self._last_request = 0.0
        self.builds = 0

    def request(self) -> bool:
        """Called by the watcher on each change. Returns True when a build was run."""
        self._last_request = time.monotonic()
        time.sleep(QUIET_SECONDS)
        if time.monotonic() - self._last_request < QUIET_SECONDS:
            return False  # a later change is waiting; it will build
        return self.run()

    def run(self) -> bool:
        from builder.build import build
        from builder.cli import summary_line

        with self._lock:
            try:
                report = build(self.site_dir, self.output, drafts=self.drafts, base_url=self.base_url)
            except BuildFailed as failure:
                click.echo(format_errors(failure.errors), err=True)
                click.echo("Still showing the last good version of the site.", err=True)
                return False
            except ContentError as problem:
                click.echo(format_errors([problem]), err=True)
                return False
            self.builds += 1
            click.echo(summary_line(report))
            return True


def serve(site_dir: Path, output: Path | None, host: str, port: int, drafts: bool) -> None:
    from livereload import Server

    output = output or site_dir / "output"
    from builder.config import load_config

    # A site published under a sub-folder (base_url https://council.example/send/) has links
    # starting /send/; like `hugo server`, point them at the local server instead.
    local = None
    try:
        if load_config(site_dir).base_path != "/":
            local = f"http://{host}:{port}/"
            click.echo(f"Previewing with base_url {local}: run `localoffer build` before publishing output/.")
    except BuildFailed:
        pass  # the first build reports it
    rebuilder = Rebuilder(site_dir, output, drafts, local)
    rebuilder.run()
    output.mkdir(parents=True, exist_ok=True)
    server = Server()
    for watched in ("content", "templates", "site.toml"):
        if (site_dir / watched).exists():
            server.watch(str(site_dir / watched), rebuilder.request)
    click.echo(f"Serving {output} at http://{host}:{port}/ (press Ctrl+C to stop)")
    server.serve(root=str(output), host=host, port=port, open_url_delay=None, restart_delay=0,
                 default_filename="index.html")
