"""What each step of the build reads, as a key: the one place that decides what may be skipped.

A step is redone when its key differs from the one recorded by the last build (memo.py).
A key must hold every input the step's result depends on; when in doubt, put more in: a
key that is too wide only costs time, one that is too narrow publishes a stale page
(tests/test_incremental_random.py compares every incremental build with a clean one).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from pathlib import Path

from markupsafe import Markup

from builder import __version__
from builder.content.model import Page
from builder.hashing import digest
from builder.incremental.reads import answer


def fingerprint(config_text: str, glossary: dict[str, str], drafts: bool) -> str:
    """Inputs of every page's Markdown and validation: when they change, nothing is reused."""
    return digest(repr((__version__, config_text, sorted(glossary.items()), drafts)).encode())


def source_stamp(site_dir: Path | str, rel: str, files: tuple[str, ...] = ()) -> tuple | None:
    """A source file's size and time, and those of the files it uses (attachments, images)
    as recorded by its last reading. None when the source cannot be read now."""
    site_dir = os.fspath(site_dir)  # joined as strings: this runs for every page of every rebuild
    try:
        info = os.stat(site_dir + "/" + rel)
    except OSError:
        return None
    stamp = [(info.st_mtime_ns, info.st_size)]
    for other in files:
        try:
            found = os.stat(site_dir + "/" + other)
            stamp.append((other, found.st_mtime_ns, found.st_size))
        except OSError:
            stamp.append((other, None))
    return SourceStamp(stamp, (site_dir, (rel, *files)))


class SourceStamp(tuple):
    """A source_stamp that also equals one of the same sizes and bytes at other times.

    A fresh checkout (every CI run) gives every file the time of the checkout; compared by
    time alone, every page would be read and converted again. As git does for its index, a
    time that differs while the sizes agree is settled by the files' bytes. The digest is
    taken only when needed (such a comparison, or saving the record), and only while the
    files still have the stamp's size and time: otherwise it is unknown, and unknown is
    never equal, so a stamp is never matched with bytes it did not describe."""

    def __new__(cls, values, where=None, content=None):
        stamp = super().__new__(cls, values)
        stamp.where, stamp._content = where, content  # (site folder, files): where to read them again
        return stamp

    def content(self) -> str | None:
        if self._content is None and self.where is not None:
            self._content, self.where = self._digest(*self.where), None
        return self._content

    def _digest(self, site_dir: str, files: tuple[str, ...]) -> str | None:
        parts = []
        for rel, recorded in zip(files, self):
            try:
                info = os.stat(site_dir + "/" + rel)
                if (info.st_mtime_ns, info.st_size) != tuple(recorded[-2:]):
                    return None  # changed since the stamp was taken
                with open(site_dir + "/" + rel, "rb") as handle:
                    parts.append(digest(handle.read()))
            except OSError:
                parts.append(None)  # missing then and now (the stamp says None)
        return digest(repr(parts).encode())

    def __eq__(self, other) -> bool:
        if tuple.__eq__(self, other):
            return True
        if not isinstance(other, SourceStamp) or len(self) != len(other) or any(
                a[-1] != b[-1] or a[:-2] != b[:-2] for a, b in zip(self, other)):
            return False  # another size (or another file used): other bytes
        mine = self.content()
        return mine is not None and mine == other.content()

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:  # what equal stamps share: the files' names and sizes
        return hash(tuple((entry[:-2], entry[-1]) for entry in self))

    def __reduce__(self):
        # Saved with the digest of the bytes it describes (or None when they changed since).
        return SourceStamp, (tuple(self), None, self.content())


def link_key(page, raw_sha: str, links: tuple[str, ...], targets) -> tuple:
    """A page's resolved HTML depends on its Markdown HTML and on what each of its links
    points at now: the target's address and heading ids, or that it is a file, or nothing."""
    import posixpath

    signature = [raw_sha]
    folder = posixpath.dirname(page.source)
    for value in links:
        path = posixpath.normpath(posixpath.join(folder, value.partition("#")[0].split("?")[0]))
        target = targets.pages.get(path)
        signature.append((value, target.url if target else None,
                          tuple(h.id for h in target.headings) if target else None,
                          path in targets.static_files, path in targets.unpublished))
    return tuple(signature)


def template_keys(sources: dict[str, str], dependencies: dict[str, frozenset[str]]) -> dict[str, str]:
    """template name -> digest of its text and of every template it extends, includes or
    imports. What a template looks up in the site index is recorded as it renders (reads.py)."""
    return {name: digest("".join(sources.get(t, "") for t in sorted(closure)).encode())
            for name, closure in dependencies.items()}


def file_key(values) -> str:
    """A whole-site file's key (sitemap, calendar, feeds): a digest, as it holds a line for
    every page and the record would otherwise keep them all."""
    return digest(repr(values).encode())


def chart_key(spec) -> str:
    """A measure's chart (builder.render.charts): what it shows (the spec holds every figure,
    label and size), the drawing code's version and matplotlib's, which draws it."""
    from builder.render.charts import VERSION

    return digest(repr((VERSION, _matplotlib_version(), spec)).encode())


@functools.lru_cache(maxsize=1)
def _matplotlib_version() -> str:
    from importlib.metadata import version  # reads its metadata, without importing it

    return version("matplotlib")


class Values:
    """A comparable stand-in for any value a step was given (a template's context, a
    machine file's arguments), made by walking it: pages stand in by a token, page HTML by
    its digest, the site's config (already in every key, through fingerprint()) by nothing.

    page_token(page) -> its token. Templates' pages stand in by their card token (a template
    that reads more of a page records it: reads.py); code that is not a template may read
    anything of a page, so its pages stand in by their full token."""

    def __init__(self, page_token):
        self._page_token = page_token
        self._by_type = {str: _same, Markup: _same, int: _same, float: _same, bool: _same, type(None): _same,
                         dt.date: _same, tuple: self._sequence, list: self._sequence, dict: self._mapping,
                         Page: self._page, frozenset: self._set, set: self._set}

    def __call__(self, value):
        walk = self._by_type.get(type(value))
        return walk(value) if walk is not None else self._other(value)

    def _page(self, page):
        return ("page", self._page_token(page))

    def _sequence(self, values):
        return tuple(self(value) for value in values)

    def _mapping(self, values):
        return tuple((self(key), self(value)) for key, value in values.items())

    def _set(self, values):
        return tuple(sorted((self(value) for value in values), key=repr))

    def _other(self, value):
        kind = type(value)
        if kind.__name__ == "SiteConfig":  # in every key already, and the same for every output
            return "config"
        if hasattr(value, "html_sha"):  # a page's HTML (builder.render.plan.common.LazyHtml)
            return ("html", value.html_sha())
        if dataclasses.is_dataclass(value):
            return (kind.__qualname__,) + tuple(self(getattr(value, f.name)) for f in dataclasses.fields(value))
        if callable(value):  # a function of its arguments: the arguments are walked beside it
            return ("function", getattr(value, "__module__", ""), getattr(value, "__qualname__", repr(kind)))
        return (kind.__qualname__, repr(value))


def _same(value):
    return value


class RenderKeys:
    """The keys of one language's rendered outputs: what the render step reads of each.

    static(output): its template (and what that includes), the theme, and its context walked
    (Values). replay(reads): the answers the site index gives now to the questions the last
    rendering of that output asked of it (reads.py), and the full token of each page it showed
    beyond its card. An output is rendered again when either differs from the record."""

    def __init__(self, index, tokens: dict[str, str], template_keys: dict[str, str], theme_key):
        self._index, self._tokens = index, tokens
        self._templates, self._theme = template_keys, theme_key
        self._card = Values(lambda page: page.card_token)
        self._answers: dict = {}  # query -> its answer's stand-in, asked once per build

    def static(self, output) -> tuple:
        return (self._templates.get(output.template, output.template), self._theme, self._card(output.context))

    def replay(self, reads: tuple) -> tuple:
        queries, shown = reads
        return (tuple(self._answer(query) for query in queries),
                tuple(self._tokens.get(source) for source in shown))

    def _answer(self, query: tuple):
        found = self._answers.get(query)
        if found is None:  # one digest per question: the record keeps it beside every output that asked
            found = self._answers[query] = digest(repr(self._card(answer(self._index, query))).encode())
        return found


def search_key(tokens: dict[str, str], html, language: str):
    """page -> the key of its search document (builder.render.search.search_documents): all
    that function reads, the page (by its full token), its HTML (by digest) and the
    language's words (its catalogue)."""
    from builder.i18n import catalogue_digest

    values = Values(lambda page: tokens.get(page.source) or digest(repr(page).encode()))
    words = catalogue_digest(language)
    return lambda page: file_key((values(page), html.sha(page.source), language, words))


def machine_key(make, args: tuple, tokens: dict[str, str]) -> str:
    """A machine-readable file's key: the function that makes it and everything it is given,
    pages by their full token (builder.render.feeds)."""
    values = Values(lambda page: tokens.get(page.source) or digest(repr(page).encode()))
    return file_key((values(make), values(args)))
