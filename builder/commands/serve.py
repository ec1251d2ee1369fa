"""Development server: build, serve with live reload, rebuild on change.

A content error never stops the server: it is printed, and the last good site stays up
(a failed build does not touch the output folder). Rebuilds are incremental, and a burst
of saves is gathered into one rebuild by a short quiet period.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import click

from builder.errors import BuildFailed, ContentError, format_errors

QUIET_SECONDS = 0.3


WATCHED = ("content", "templates", "site.toml")


class Rebuilder:
    """Runs the incremental build; a burst of saves makes one build."""

    def __init__(self, site_dir: Path, output: Path, drafts: bool, base_url: str | None = None):
        self.site_dir, self.output, self.drafts, self.base_url = site_dir, output, drafts, base_url
        self._lock = threading.Lock()
        self._built_snapshot = None
        self.builds = 0

    def snapshot(self) -> tuple:
        """Every watched file with its size and time: changes whenever anything is saved."""
        found = []
        for name in WATCHED:
            root = self.site_dir / name
            if root.is_file():
                info = root.stat()
                found.append((name, info.st_mtime_ns, info.st_size))
            for folder, _, files in os.walk(root):
                for file in files:
                    try:
                        info = os.stat(os.path.join(folder, file))
                    except OSError:
                        continue
                    found.append((os.path.join(folder, file), info.st_mtime_ns, info.st_size))
        return tuple(sorted(found))

    def request(self) -> bool:
        """Called by the watcher on a change. Waits until saving has stopped for a moment,
        then builds once; later calls for the same burst find nothing new and do nothing."""
        current = self.snapshot()
        while True:
            time.sleep(QUIET_SECONDS)
            later = self.snapshot()
            if later == current:
                break
            current = later
        if current == self._built_snapshot:
            return False
        return self.run(current)

    def run(self, snapshot: tuple | None = None) -> bool:
        from builder.build import build
        from builder.cli import summary_line

        snapshot = snapshot if snapshot is not None else self.snapshot()
        with self._lock:
            self._built_snapshot = snapshot
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
    from builder.site.config import load_config

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
    for watched in WATCHED:
        if (site_dir / watched).exists():
            server.watch(str(site_dir / watched), rebuilder.request)
    click.echo(f"Serving {output} at http://{host}:{port}/ (press Ctrl+C to stop)")
    server.serve(root=str(output), host=host, port=port, open_url_delay=None, restart_delay=0,
                 default_filename="index.html")
