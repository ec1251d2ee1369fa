"""The build, top to bottom: discover -> read -> validate -> Markdown -> index -> render -> write.

Read this file to follow a build. Each stage lives in its own module; this one only moves
data between them, decides what the cache lets it skip, and spreads the per-file work over
a process pool.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import multiprocessing
import os
import posixpath
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from builder import __version__
from builder.incremental.cache import Cache, SourceEntry, State
from builder.site.config import SiteConfig, load_config
from builder.content.discover import SourceFile, discover
from builder.errors import BuildFailed, ContentError, did_you_mean
from builder.content.glossary import parse_glossary
from builder.site.links import LinkTargets, resolve
from builder.content.model import Page
from builder.content.read import read_source
from builder.render.search import SearchJob
from builder.render.outputs import RESERVED, Output, plan_outputs
from builder.render.templates import TemplateRenderer
from builder.site.index import build_index, select
from builder.content.slugs import slugify
from builder.publish import files as publish

# Markdown, the sanitiser, pydantic and icalendar are imported only when a source changed
# (see _load_pages and _render_and_write): an unchanged rebuild should not pay for them.

CACHE_FOLDER = Path(".cache") / "localoffer"


@dataclass(frozen=True)
class BuildReport:
    pages: int  # HTML pages in the site
    rendered: int  # outputs rendered this time
    written: int  # files whose bytes were written (the rest were unchanged)
    removed: int  # stale files no longer in the output
    seconds: float
    next_scheduled: object = None
    output: Path | None = None


class CacheDamaged(Exception):
    """Something the cache's state promised is missing: start again without the cache."""


def build(site_dir: Path, output: Path | None = None, *, drafts: bool = False, jobs: int | None = None,
          today: dt.date | None = None, write: bool = True, use_cache: bool = True,
          base_url: str | None = None) -> BuildReport:
    """base_url replaces site.toml's, as the dev server does to serve a sub-folder site at /."""
    try:
        return _build(site_dir, output, drafts, jobs, today, write, use_cache, base_url, fresh=False)
    except CacheDamaged:
        return _build(site_dir, output, drafts, jobs, today, write, use_cache, base_url, fresh=True)


def _build(site_dir, output, drafts, jobs, today, write, use_cache, base_url, fresh) -> BuildReport:
    started = time.perf_counter()
    site_dir = Path(site_dir).resolve()
    output = Path(output).resolve() if output else site_dir / "output"
    today = today or dt.date.today()
    jobs = jobs or os.cpu_count() or 1

    _check_output_folder(site_dir, output)
    publish.finish_interrupted(site_dir / CACHE_FOLDER)
    config = load_config(site_dir, site_dir / CACHE_FOLDER if use_cache and write else None)
    if base_url:
        config = dataclasses.replace(config, base_url=base_url, raw=config.raw + f"\n# served at {base_url}")
    sources, errors = discover(site_dir)
    glossary = _load_glossary(site_dir, sources, errors)
    cache = Cache(site_dir / CACHE_FOLDER, enabled=use_cache and write)
    if fresh:
        cache.clear()
    state = cache.load(_fingerprint(config, glossary, drafts))
    before = (dict(state.resolved), dict(state.outputs), state.templates)

    # Read, validate and convert Markdown: per file, in parallel, skipping files the cache knows.
    page_sources = [s for s in sources if s.kind not in ("static", "glossary", "stray-markdown")]
    errors += [ContentError(s.rel, "is a Markdown file outside the folders the builder reads, so it would be published as plain text",
                            None, "move it into content/letters, updates, news, timeline, pages or commitments")
               for s in sources if s.kind == "stray-markdown"]
    entries, raw_html = _load_pages(site_dir, page_sources, config, glossary, state, cache, jobs, errors)
    pages = [entries[s.rel].page for s in page_sources if s.rel in entries]
    broken = frozenset(s.rel for s in page_sources if s.rel not in entries)
    errors += _missing_alt(entries, site_dir)
    errors += _duplicate_urls(pages, config)

    published, held = select(pages, today, drafts)
    scheduled = [p for p in pages if p.source in held and not p.draft]
    static_files = frozenset(s.rel for s in sources if s.kind == "static")
    targets = LinkTargets({p.source: p for p in published}, held, static_files, config.base_path, broken)
    html_shas, fresh_html = _resolve_links(published, entries, raw_html, targets, state, cache, site_dir, errors)
    raw_html.clear()
    if write:
        cache.flush()  # to disk now: the parent keeps less in memory while the pools run

    broken_slugs = frozenset(slugify(Path(rel).stem) for rel in broken)
    index, index_errors = build_index(published, config, today, held, scheduled, broken_slugs)
    errors += index_errors
    renderer = TemplateRenderer(site_dir, index, glossary, cache_dir=cache.root / "locale" if cache.enabled else None)
    errors += _unknown_templates(published, renderer)
    if errors:
        raise BuildFailed(errors)

    html = _HtmlStore(cache, html_shas, fresh_html)
    outputs = plan_outputs(index, glossary, html, {rel: entry.token for rel, entry in entries.items()},
                           renderer.translations)
    # Pagefind indexes in the background while the templates render.
    search = SearchJob(cache.root / "search", index.pages, html, config.language, jobs) if write else None
    try:
        report = _render_and_write(site_dir, output, outputs, renderer, index, html, sources, state, cache,
                                   jobs, write, started, search)
    finally:
        if search:
            search.cancel()
    if write and _state_changed(state, entries, before):
        state.sources = entries
        cache.save(state)
        cache.prune(cache.RAW, {entry.raw_sha for entry in entries.values()})
        cache.prune(cache.HTML, {known[2] for known in state.resolved.values()})
        cache.close()
    return dataclasses.replace(report, next_scheduled=index.next_scheduled, output=output)


def _check_output_folder(site_dir: Path, output: Path) -> None:
    """The output folder is replaced whole by every build, so it must never hold sources."""
    problem = None
    scratch = site_dir / CACHE_FOLDER / "check"  # where `localoffer check` builds
    if output == scratch:
        return
    if output == site_dir or output in site_dir.parents:
        problem = "is the site folder itself, or a folder containing it"
    elif any(folder == output or folder in output.parents
             for folder in (site_dir / "content", site_dir / "templates", site_dir / ".cache")):
        problem = "is inside the site's content, templates or cache folder"
    elif output.is_dir() and ((output / "site.toml").exists() or (output / "content").is_dir()):
        problem = "holds another site (it has a site.toml or content folder)"
    if problem:
        raise BuildFailed([ContentError(
            "--output", f"the output folder {output} {problem}; every build replaces that folder completely",
            None, "choose an empty folder of its own, such as the default output/ inside the site folder")])


def _state_changed(state: State, entries: dict, before: tuple) -> bool:
    """Saving the cache costs as much as an unchanged rebuild: skip it when nothing moved."""
    if entries.keys() != state.sources.keys() or any(entries[k] is not state.sources[k] for k in entries):
        return True
    return (state.resolved, state.outputs, state.templates) != before


# --- read, validate, Markdown -------------------------------------------------------------

def _load_glossary(site_dir: Path, sources: list[SourceFile], errors: list[ContentError]) -> dict[str, str]:
    for source in sources:
        if source.kind == "glossary":
            try:
                return parse_glossary(source.rel, (site_dir / source.rel).read_bytes())
            except ContentError as problem:
                errors.append(problem)
    return {}


def _fingerprint(config: SiteConfig, glossary: dict[str, str], drafts: bool) -> str:
    """Anything that changes how every page is parsed: when it changes, start from nothing."""
    text = repr((__version__, config.raw, sorted(glossary.items()), drafts))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _stamp(site_dir: Path, rel: str, page: Page | None = None) -> tuple:
    info = os.stat(site_dir / rel)
    stamp = [(info.st_mtime_ns, info.st_size)]
    for attachment in (page.attachments if page else ()):
        try:
            other = os.stat(site_dir / attachment.file)
            stamp.append((attachment.file, other.st_mtime_ns, other.st_size))
        except OSError:
            stamp.append((attachment.file, None))
    return tuple(stamp)


def _load_pages(site_dir, page_sources, config, glossary, state: State, cache: Cache, jobs, errors):
    entries: dict[str, SourceEntry] = {}
    raw_html: dict[str, str] = {}
    todo = []
    for source in page_sources:
        known = state.sources.get(source.rel)
        try:
            if known and known.stamp == _stamp(site_dir, source.rel, known.page):
                entries[source.rel] = known
                continue
        except OSError:
            pass
        todo.append(source)
    work = [(source.rel, source.kind) for source in todo]
    if work:
        _init_worker(str(site_dir), config.base_path, glossary, config.allow_raw_html, work)
    for (rel, _), result in zip(work, _parallel(_process_source, len(work), jobs)):
        if isinstance(result, list):
            errors.extend(result)
            continue
        page, rendered_html, links, no_alt = result
        raw_sha = publish.digest(rendered_html.encode())
        cache.put_text(cache.RAW, raw_sha, rendered_html)
        raw_html[raw_sha] = rendered_html
        stored = dataclasses.replace(page, body="")
        entries[rel] = SourceEntry(_stamp(site_dir, rel, page), stored, raw_sha, links, no_alt,
                                   publish.digest(repr(stored).encode()))
    return entries, raw_html


# What the pool's workers read: set in the parent before the pool forks, so workers inherit
# it (the Markdown instance is costly to build, and is built once) and nothing is pickled.
_WORKER: dict = {}


def _init_worker(site_dir: str, base_path: str, glossary: dict, allow_raw: bool, work: list) -> None:
    # Imported here, in the parent, so forked workers inherit the modules (pydantic's schema
    # building is slow) instead of each importing them again.
    import builder.content.validate  # noqa: F401
    from builder.content.markdown_render import MarkdownRenderer

    _WORKER.update(site_dir=Path(site_dir), base_path=base_path, work=work,
                   markdown=MarkdownRenderer(glossary, allow_raw))


def _process_source(position: int):
    from builder.content.markdown_render import local_links
    from builder.content.validate import PageInvalid, validate

    rel, kind = _WORKER["work"][position]
    try:
        raw = read_source(_WORKER["site_dir"], rel)
        page = validate(raw, kind, _WORKER["site_dir"], _WORKER["base_path"])
    except ContentError as problem:
        return [problem]
    except PageInvalid as problem:
        return problem.errors
    except OSError as problem:
        return [ContentError(rel, f"cannot be read ({problem.strerror})", None, "check the file is not open elsewhere")]
    rendered = _WORKER["markdown"].render(page.body, questions=page.questions)
    page = dataclasses.replace(page, headings=rendered.headings)
    return page, rendered.html, tuple(local_links(rendered.html)), rendered.images_without_alt


def _parallel(function, count: int, jobs: int) -> list:
    """[function(0), …, function(count - 1)], in a fork pool when there is enough work to pay
    for it. function reads its inputs from module state the caller set before the fork."""
    if jobs <= 1 or count < 64 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(position) for position in range(count)]
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        return pool.map(function, range(count), chunksize=max(8, count // (jobs * 8)))


def _missing_alt(entries: dict[str, SourceEntry], site_dir: Path) -> list[ContentError]:
    found = []
    for rel, entry in entries.items():
        for src in entry.images_without_alt:
            line = _find_line(site_dir, rel, src)
            found.append(ContentError(rel, f'the image "{src}" has no text alternative', line,
                                      "describe what the image shows between the square brackets: ![A chart of …](" + src + ")"))
    return found


def _find_line(site_dir: Path, rel: str, needle: str) -> int | None:
    try:
        lines = (site_dir / rel).read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return None
    return next((n for n, line in enumerate(lines, 1) if needle and needle in line), None)


def _duplicate_urls(pages: list[Page], config: SiteConfig) -> list[ContentError]:
    errors = []
    seen: dict[str, Page] = {}
    builtin = {f"{config.base_path}{name}/" for name in RESERVED}
    for page in sorted(pages, key=lambda p: p.source):
        if page.url in builtin:
            errors.append(ContentError(page.source, f"its web address {page.url} is used by a page the site makes itself",
                                       None, "rename the file or add a different slug: field"))
        elif page.url in seen:
            first = seen[page.url]
            errors.append(ContentError(page.source, f"has the same web address ({page.url}) as {first.source}", None,
                                       "give one of them a different file name or slug: field"))
        else:
            seen[page.url] = page
    return errors


def _unknown_templates(pages: list[Page], renderer: TemplateRenderer) -> list[ContentError]:
    names = renderer.env.list_templates(extensions=["html"])
    return [ContentError(p.source, f'there is no template called "{p.template}".' + did_you_mean(p.template, names),
                         p.line_of("template"), "remove the template: field to use the normal one, or check its name in templates/")
            for p in pages if p.template and p.template not in names]


# --- links ---------------------------------------------------------------------------------

def _resolve_links(published, entries, raw_html, targets, state: State, cache: Cache, site_dir, errors):
    """Rewrite each page's links; reuse last build's result when its links resolve the same."""
    html_shas: dict[str, str] = {}
    fresh: dict[str, str] = {}
    resolved_state = {}
    for page in published:
        entry = entries[page.source]
        known = state.resolved.get(page.source)
        signature = _link_signature(page, entry, targets)
        if known and known[0] == entry.raw_sha and signature == known[1]:
            html_shas[page.source] = known[2]
            resolved_state[page.source] = known
            continue
        text = raw_html.get(entry.raw_sha) or cache.get_text(cache.RAW, entry.raw_sha)
        if text is None:
            raise CacheDamaged(page.source)
        text, problems = resolve(page, text, targets, body=lambda: page.body or _read_body(site_dir, page))
        errors.extend(problems)
        sha = publish.digest(text.encode())
        cache.put_text(cache.HTML, sha, text)
        fresh[sha] = text
        html_shas[page.source] = sha
        resolved_state[page.source] = (entry.raw_sha, signature, sha)
    state.resolved = resolved_state
    return html_shas, fresh


def _link_signature(page: Page, entry: SourceEntry, targets: LinkTargets) -> tuple:
    """What this page's links point at now: the target's URL and heading ids, or nothing."""
    signature = []
    folder = posixpath.dirname(page.source)
    for value in entry.links:
        path = posixpath.normpath(posixpath.join(folder, value.partition("#")[0].split("?")[0]))
        target = targets.pages.get(path)
        signature.append((value, target.url if target else None,
                          tuple(h.id for h in target.headings) if target else None, path in targets.static_files))
    return tuple(signature)


def _read_body(site_dir: Path, page: Page) -> str:
    try:
        return read_source(site_dir, page.source).body
    except (ContentError, OSError):
        return ""


class _HtmlStore:
    """Page HTML by source path, read from the cache only for the pages that need it."""

    def __init__(self, cache: Cache, shas: dict[str, str], fresh: dict[str, str]):
        self.cache, self.shas, self.fresh = cache, shas, fresh

    def __getitem__(self, source: str) -> str:
        sha = self.shas[source]
        text = self.fresh.get(sha)
        if text is None:
            text = self.cache.get_text(self.cache.HTML, sha)
            if text is None:
                raise CacheDamaged(source)
            self.fresh[sha] = text
        return text

    def get(self, source: str, default: str = "") -> str:
        return self[source] if source in self.shas else default

    def sha(self, source: str) -> str:
        return self.shas[source]


# --- render and write ----------------------------------------------------------------------

def _render_and_write(site_dir, output, outputs: list[Output], renderer, index, html, sources, state: State,
                      cache: Cache, jobs, write, started, search: SearchJob | None) -> BuildReport:
    sources_by_name = renderer.template_sources()
    all_templates = publish.digest(repr(sorted(sources_by_name.items())).encode())
    if state.templates[0] == all_templates:
        deps = state.templates[1]  # parsing every template again would cost more than the check
    else:
        deps = renderer.dependencies()
        state.templates = (all_templates, deps)
    template_digest = {name: publish.digest("".join(sources_by_name.get(t, "") for t in sorted(closure)).encode())
                       for name, closure in deps.items()}
    watches_site = {name for name, closure in deps.items()
                    if any(_uses_index(renderer, t, sources_by_name) for t in closure)}
    site_wide = (publish.digest(repr(sorted(html.shas.items())).encode() + repr(index.pages).encode())
                 if watches_site else "")

    # One walk of the output instead of a stat per file: what is there now.
    present = set(publish.files_under(output)) if write and output.is_dir() else set()
    plan: dict[str, tuple[str, object]] = {}  # path -> (key digest, Output or bytes)
    to_render = []
    for item in outputs:
        key = repr((item.template, template_digest.get(item.template, item.template), item.key,
                    site_wide if item.template in watches_site else "", renderer.theme_key))
        key_digest = publish.digest(key.encode())
        known = state.outputs.get(item.path)
        if known and known[0] == key_digest and item.path in present:
            plan[item.path] = (key_digest, None)
        else:
            to_render.append((item, key_digest))

    # Rendered pages go straight into the staging folder (workers write them), so thousands
    # of pages are never held in memory at once.
    cache_root = cache.root if cache.enabled else site_dir / CACHE_FOLDER
    staging = publish.staging_dir(output, cache_root) if write else None
    if staging:
        publish.prepare(staging)
    rendered = _render_all(to_render, renderer, jobs, staging)
    digests: dict[str, str] = {}
    for (item, key_digest), result in zip(to_render, rendered):
        if isinstance(result, ContentError):
            raise BuildFailed([result])
        digests[item.path] = result
        plan[item.path] = (key_digest, None)
    html_paths = [o.path for o in outputs]
    from builder.render.feeds import machine_outputs

    for path, key, make in machine_outputs(index, html, html_paths, renderer.translations):
        key_digest = publish.digest(repr(key).encode())
        known = state.outputs.get(path)
        if known and known[0] == key_digest and path in present:
            plan[path] = (key_digest, None)
            continue
        data = make().encode("utf-8")
        if staging:
            publish.put(staging, path, data)
        digests[path] = publish.digest(data)
        plan[path] = (key_digest, None)
    files = renderer.assets.files()  # the theme's CSS, JS and icons, under fingerprinted names
    # The site's own files win, so content/assets/style.css replaces the theme's stylesheet.
    files.update({s.rel.removeprefix("content/"): site_dir / s.rel for s in sources if s.kind == "static"})
    if search:
        files.update(search.files())
    for path in files:
        plan[path] = ("", None)
    pages_count = len(outputs)
    if not write:
        return BuildReport(pages_count, len(to_render), 0, 0, time.perf_counter() - started)

    new_outputs: dict[str, tuple[str, str]] = {}
    changed: list[str] = []
    unchanged_staged: list[str] = []  # re-rendered, but to the same bytes
    for path, digest in digests.items():
        new_outputs[path] = (plan[path][0], digest)
        if state.outputs.get(path, ("", ""))[1] != digest or path not in present:
            changed.append(path)
        else:
            unchanged_staged.append(path)
    for path, source in files.items():
        stat = os.stat(source)
        digest = f"file:{stat.st_mtime_ns}:{stat.st_size}"
        new_outputs[path] = ("", digest)
        if state.outputs.get(path, ("", ""))[1] != digest or path not in present:
            changed.append(path)
    for path in plan:
        if path not in new_outputs:
            new_outputs[path] = state.outputs[path]
    removed = sorted(set(state.outputs) - set(new_outputs))

    if not output.exists() or not state.outputs or len(changed) + len(removed) > len(new_outputs) // 2:
        # Many changes: stage a complete new site and swap it in at once.
        for path in new_outputs:
            if path in digests:
                continue  # rendered into staging already
            if path in files and path in changed:
                publish.put_file(staging, path, files[path])
            elif not (output.exists() and publish.carry_over(staging, output, path)):
                if path not in files:
                    raise CacheDamaged(path)  # the cache promised a file the old output does not have
                publish.put_file(staging, path, files[path])
        publish.swap(staging, output)
    elif changed or removed:
        # A few changes: stage just those, then apply them through a journal (see write.py).
        # The output must end up exactly as a full build would leave it, so files put there
        # by hand go too.
        removed += [rel for rel in present if rel not in new_outputs and rel not in removed]
        for path in unchanged_staged:
            (staging / path).unlink()
        for path in changed:
            if path in files:
                publish.put_file(staging, path, files[path])
        publish.apply_journal(publish.write_journal(cache_root, staging, output, changed, removed))
    else:
        shutil.rmtree(staging, ignore_errors=True)
    state.outputs = new_outputs
    return BuildReport(pages_count, len(to_render), len(changed), len(removed), time.perf_counter() - started)


def _uses_index(renderer: TemplateRenderer, name: str, sources: dict[str, str]) -> bool:
    """A site's own template that reads the whole-site index depends on every page."""
    own = renderer.site_templates / name
    return own.is_file() and "index" in sources.get(name, "")


def _render_all(to_render: list, renderer: TemplateRenderer, jobs: int, staging: Path | None) -> list:
    """Render each output into staging (when given); return its digest, or a ContentError."""
    _RENDER.update(renderer=renderer, staging=staging, items=[item for item, _ in to_render])
    return _parallel(_render_one, len(to_render), jobs)


_RENDER: dict = {}  # what the render workers read, set before they fork (see _parallel)


def _render_one(position: int):
    item = _RENDER["items"][position]
    try:
        data = _RENDER["renderer"].render(item).encode("utf-8")
    except ContentError as problem:
        return problem
    if _RENDER["staging"] is not None:
        publish.put(_RENDER["staging"], item.path, data)
    return publish.digest(data)
