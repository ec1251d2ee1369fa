"""What each step of the build reads, as a key: the one place that decides what may be skipped.

A step is redone when its key differs from the one recorded by the last build (memo.py).
A key must hold every input the step's result depends on; when in doubt, put more in: a
key that is too wide only costs time, one that is too narrow publishes a stale page
(tests/test_incremental_random.py compares every incremental build with a clean one).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from builder import __version__
from builder.hashing import digest


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


def template_keys(sources: dict[str, str], dependencies: dict[str, frozenset[str]], site_templates: Path,
                  site_wide) -> dict[str, str]:
    """template name -> digest of its text and of every template it extends, includes or
    imports. A site's own template that reads `index` depends on every page: site_wide()
    digests them all, and is called only when such a template exists."""
    keys, every_page = {}, None
    for name, closure in dependencies.items():
        text = "".join(sources.get(t, "") for t in sorted(closure))
        if any((site_templates / t).is_file() and "index" in sources.get(t, "") for t in closure):
            every_page = every_page or site_wide()
            text += every_page
        keys[name] = digest(text.encode())
    return keys


def output_key(template_key: str, output_key_values: tuple) -> tuple:
    """An HTML page's key: its template's key and what the page shows (Output.key). Kept as
    the values themselves, not a digest of them: they are short digests already, and
    comparing them costs less than digesting 5,000 keys again on every rebuild."""
    return (template_key, output_key_values)


def file_key(output_key_values: tuple) -> str:
    """A whole-site file's key (sitemap, calendar, feeds): a digest, as it holds a line for
    every page and the record would otherwise keep them all."""
    return digest(repr(output_key_values).encode())


def chart_key(spec) -> str:
    """A measure's chart (builder.render.charts): what it shows (the spec holds every figure,
    label and size), the drawing code's version and matplotlib's, which draws it."""
    from builder.render.charts import VERSION

    return digest(repr((VERSION, _matplotlib_version(), spec)).encode())


@functools.lru_cache(maxsize=1)
def _matplotlib_version() -> str:
    from importlib.metadata import version  # reads its metadata, without importing it

    return version("matplotlib")
