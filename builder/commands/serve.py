"""Development server: build, serve with live reload, rebuild on every save.

The operating system tells us when a file is saved (watchfiles: inotify on Linux, FSEvents
on macOS), so nothing walks the tree. Saves that arrive together make one rebuild, and
saves that arrive during a rebuild make the next one, so the last save always shows. When
a rebuild finishes, every open tab is told to reload through the livereload protocol
(livereload's own livereload.js and websocket), straight away: livereload's own polling
and its 3-second throttle are not used, because they dropped saves.

A saved page is shown first on its own (builder/render/preview.py: the fast path, as Hugo's
server does), then the full build follows and the tabs reload again only if it changed
more than that page.

A content error never stops the server. The last good site stays in output/ (a failed
build does not touch it), and every page is served with the numbered error report on top,
until the next good build removes it.
"""

from __future__ import annotations

import html
import threading
from pathlib import Path

import click

from builder.errors import BuildFailed, ContentError, format_errors

WATCHED = ("content", "templates", "site.toml")
IDLE_MS = 1500


class Rebuilder:
    """Runs the incremental build with the record of the last one kept in memory, and
    remembers the last failure for the pages to show."""

    def __init__(self, site_dir: Path, output: Path, drafts: bool, base_url: str | None = None):
        from builder.incremental.memo import Memo

        self.site_dir, self.output, self.drafts, self.base_url = site_dir, output, drafts, base_url
        # The record of the last build stays in memory; it is written to disk when idle.
        self.memo = Memo(site_dir / ".cache" / "localoffer", save_every_build=False)
        self.errors: tuple[ContentError, ...] = ()
        self.builds = 0
        self.search_behind = False
        self.changed = False  # the last build wrote or removed a file
        self.changed_pages: frozenset = frozenset()  # the HTML files it wrote or removed
        self.preview = None  # the last build's builder.render.preview.Preview
        self._markdown: dict = {}  # language -> (what it was made for, a MarkdownRenderer)
        self._lock = threading.Lock()

    def run(self, search_now: bool = True) -> bool:
        """Build; True when it succeeded. search_now=False: see builder.build.build."""
        from builder.build import build
        from builder.commands.messages import say_waiting, summary_line

        with self._lock:
            try:
                report = build(self.site_dir, self.output, drafts=self.drafts, base_url=self.base_url, memo=self.memo,
                               on_wait=say_waiting, search_now=search_now)
            except BuildFailed as failure:
                self.errors = failure.errors
            except ContentError as problem:
                self.errors = (problem,)
            except Exception as problem:  # a bug in the builder: say so, keep serving
                self.errors = (ContentError("(the builder)", f"hit an unexpected problem ({type(problem).__name__}: {problem})",
                                            None, "save the file again; if this stays, run `localoffer build --debug` and report it"),)
            else:
                self.errors = ()
                self.builds += 1
                self.search_behind = report.search_behind
                self.changed = bool(report.written or report.removed)
                self.changed_pages = frozenset(path for path in report.changed if path.endswith(".html"))
                self.preview = report.preview
                click.echo(summary_line(report))
                return True
            click.echo(format_errors(self.errors), err=True)
            click.echo("Still showing the last good version of the site.", err=True)
            return False

    def status(self) -> dict:
        """The last build's result, as the editor shows it (/admin/status.json)."""
        from builder.commands.status import status_record

        if self.errors:
            return status_record(list(self.errors), heading="Your latest changes are not shown", where="preview")
        return status_record(success="The preview shows your latest changes.", where="preview")

    def watch(self, stop: threading.Event, after_build) -> None:
        """Rebuild after each group of saves until stop is set; after_build() each time.

        Pages come first, so the open tabs show a save at once. Work that can wait (the
        search index catching up, writing the build record to disk) is done once nothing
        has been saved for IDLE_MS, so it never delays the next save."""
        import watchfiles

        paths = [self.site_dir / name for name in WATCHED if (self.site_dir / name).exists()]
        # step: a group of saves ends after 30 ms without another (an editor's save is a few
        # writes within a millisecond or two); changes made while a build runs are queued by
        # the watcher and start the next build.
        try:
            live = False
            for changes in watchfiles.watch(*paths, step=30, debounce=1600, stop_event=stop, raise_interrupt=False,
                                            rust_timeout=IDLE_MS, yield_on_timeout=True):
                if changes or not live:
                    shown = self.show_saved(changes) if live else None
                    if shown:
                        after_build()
                    # The first answer means the watcher is live: a save made after the first
                    # build but before the watcher was listening is built now, not lost.
                    built = self.run(search_now=False)
                    if shown and built and self.only_shown(shown):
                        pass  # the tabs already show everything this build changed
                    elif changes or not built or self.changed:  # a failure shows its panel in every tab
                        after_build()
                    live = True
                elif self.search_behind:
                    self.run()
                else:
                    self.save_record()
        finally:
            self.save_record()

    def save_record(self) -> None:
        """Write the build record, as a build would: under the site's build lock."""
        from builder.publish.lock import build_lock

        with self._lock, build_lock(self.memo.root):
            self.memo.save()

    def show_saved(self, changes) -> dict[str, bytes] | None:
        """The fast path: render and publish just the saved pages, when nothing else can have
        changed; {output path: bytes} of what was published, or None."""
        import watchfiles

        from builder.render.preview import publish_saved, render_saved

        site = self.site_dir.resolve()
        if self.errors or self.preview is None or not changes:
            return None  # an error panel stays until a full build succeeds
        rels = []
        for change, path in changes:
            path = Path(path)
            # Some editors save by writing a new file over the old: "added", for a page we know.
            if change == watchfiles.Change.deleted or path.suffix != ".md" or site / "content" not in path.parents:
                return None
            rels.append(path.relative_to(site).as_posix())
        with self._lock:
            try:
                made = render_saved(self.preview, rels, self._markdown_for)
                if made:
                    publish_saved(self.output, made)
            except Exception:  # anything unexpected: the full build decides and reports
                return None
        return made

    def only_shown(self, shown: dict[str, bytes]) -> bool:
        """The last build changed no page but those shown, and left them as shown."""
        if self.changed_pages - set(shown):
            return False
        try:
            return all((self.output / path).read_bytes() == data for path, data in shown.items())
        except OSError:
            return False

    def _markdown_for(self, language: str, glossary: dict):
        from builder.content.markdown_render import MarkdownRenderer

        made_for, renderer = self._markdown.get(language, (None, None))
        wanted = (tuple(glossary.items()), self.preview.allow_raw_html, self.preview.base_path)
        if made_for != wanted:  # first use, or the glossary or site.toml changed
            renderer = MarkdownRenderer(glossary, self.preview.allow_raw_html, self.site_dir, self.preview.base_path)
            self._markdown[language] = (wanted, renderer)
        return renderer


def error_panel(errors) -> str:
    """The numbered error report as a panel at the top of every page (dev server only)."""
    items = "".join(
        f"<li><strong>{html.escape(e.path)}{f', line {e.line}' if e.line else ''}</strong>: {html.escape(e.message)}"
        + (f"<br>How to fix: {html.escape(e.hint)}" if e.hint else "") + "</li>" for e in errors)
    noun = "problem" if len(errors) == 1 else "problems"
    return (
        '<section id="localoffer-build-errors" role="alert" tabindex="0" aria-labelledby="localoffer-build-errors-title" '
        'style="margin:0;padding:1rem 1.25rem;background:#fff;color:#0b0c0c;border:5px solid #d4351c;'
        'font:1.1875rem/1.5 system-ui,sans-serif;position:relative;z-index:1000">'
        f'<h2 id="localoffer-build-errors-title" style="margin:0 0 .5rem;font-size:1.5rem">'
        f"Your latest changes are not shown: {len(errors)} {noun} to fix</h2>"
        "<p style=\"margin:0 0 .5rem\">This is the last good version of the page. Fix the file below and save it "
        "again: this message goes away by itself when the site builds.</p>"
        f'<ol style="margin:0;padding-left:1.5rem">{items}</ol></section>' + _TO_PANEL
    )


# After a reload the browser puts the page back where it was scrolled to, which leaves the panel
# out of sight: bring it into view and focus it (it is first on the page), once the browser has
# done its own restoring. Inline because it goes only into pages the preview serves.
_TO_PANEL = (
    "<script>(function(){var p=document.getElementById('localoffer-build-errors');if(!p)return;"
    "if('scrollRestoration' in history)history.scrollRestoration='manual';"
    "function show(){p.scrollIntoView({block:'start'});p.focus({preventScroll:true});}"
    "show();window.addEventListener('load',function(){setTimeout(show,0);});})();</script>"
)


def serve(site_dir: Path, output: Path | None, host: str, port: int, drafts: bool, extra_handlers=()) -> None:
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado import ioloop

    from builder.commands.serve_files import site_handler
    from builder.site.config import load_config

    from builder.commands.ports import NoFreePort, choose_port

    try:
        port, notice = choose_port(port, host)  # before the build: the preview's links name the port
    except NoFreePort as problem:
        raise SystemExit(str(problem)) from None
    if notice:
        click.echo(notice, err=True)
    output = output or site_dir / "output"
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

    from builder.commands.editor_server import editor_handlers, editor_notice

    extra_handlers = (*editor_handlers(site_dir, host, port, rebuilder.status), *extra_handlers)  # the editor at /admin/

    class _Server(Server):
        def get_web_handlers(self, script):
            return [*extra_handlers, site_handler(output, lambda: rebuilder.errors and error_panel(rebuilder.errors))]

    server = _Server()
    try:
        server.application(port, host, live_css=False)  # listens; livereload's own watcher is never started
    except OSError as problem:  # taken in the moment since choose_port looked
        raise SystemExit(f"Port {port} was taken just now ({problem.strerror}). Run the command again, or "
                         f"choose another port with --port, for example: --port {port + 1}") from None
    loop = ioloop.IOLoop.current()
    stop = threading.Event()
    watcher = threading.Thread(target=rebuilder.watch, daemon=True,
                               args=(stop, lambda: loop.add_callback(LiveReloadHandler.reload_waiters, "*")))
    watcher.start()
    click.echo(f"Serving {output} at http://{host}:{port}/ (press Ctrl+C to stop)")
    click.echo(editor_notice(host, port))
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        watcher.join(timeout=5)
