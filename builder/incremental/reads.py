"""What one rendering read, recorded as it reads it, in the spirit of Lektor's dependency
records and Salsa's tracked queries.

Templates reach the site index (the `index` global, and the helpers that look pages up in
it) through a RecordingIndex, which notes each lookup: `index.kind("measure")`,
`index.reports.get(slug)`, `index.latest`. And the template environment notes each page
whose fields beyond its card (title, address, summary, date…) a template reads. The build
keeps both with the output (builder.incremental.keys): next time, it asks the same questions
of the new index, and renders the output again only when an answer differs.

Nothing here is module-level state: a Recorder belongs to one template environment, and
holds the Reads of the one rendering in progress (a forked worker has its own copy).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# What a page's card_token (builder.content.model) covers, and what is made from only that:
# a template that reads no other field of a page is shown the same while its card is the same.
CARD_FIELDS = frozenset({"url", "title", "summary", "date", "kind", "event", "tags", "commitments", "status",
                         "feedback", "measures", "measure", "current_status", "kind_label"})


@dataclass
class Reads:
    """The lookups of one rendering: index questions, and pages shown beyond their card."""

    queries: set = field(default_factory=set)
    shown: set = field(default_factory=set)

    def frozen(self) -> tuple:
        """A plain value, to send back from a worker and keep in the record."""
        return tuple(sorted(self.queries, key=repr)), tuple(sorted(self.shown))


class Recorder:
    """Holds the Reads of the rendering in progress, or None when nothing is recording."""

    def __init__(self):
        self.reads: Reads | None = None

    def page_field(self, page, name: str) -> None:
        if self.reads is not None and name not in CARD_FIELDS:
            self.reads.shown.add(page.source)

    def query(self, query: tuple) -> None:
        if self.reads is not None:
            self.reads.queries.add(query)


class RecordingIndex:
    """The site index as templates see it: every lookup is noted in the recorder."""

    def __init__(self, index, recorder: Recorder):
        self._index, self._recorder = index, recorder

    def kind(self, kind: str):
        self._recorder.query(("call", "kind", (kind,)))
        return self._index.kind(kind)

    def commitment(self, slug: str):
        self._recorder.query(("call", "commitment", (slug,)))
        return self._index.commitment(slug)

    @property
    def latest(self):
        self._recorder.query(("attr", "latest"))
        return self._index.latest

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self._index, name)
        if isinstance(value, dict):
            return RecordingMapping(name, value, self._recorder)
        self._recorder.query(("attr", name))
        return value


class RecordingMapping:
    """One of the index's mappings (reports, raised, tags, neighbours…): a lookup by key is
    noted as that key only; anything that sees the whole mapping notes all of it."""

    def __init__(self, name: str, mapping: dict, recorder: Recorder):
        self._name, self._mapping, self._recorder = name, mapping, recorder

    def get(self, key, default=None):
        self._recorder.query(("item", self._name, key))
        return self._mapping.get(key, default)

    def __getitem__(self, key):
        self._recorder.query(("item", self._name, key))
        return self._mapping[key]

    def __contains__(self, key) -> bool:
        self._recorder.query(("item", self._name, key))
        return key in self._mapping

    def _whole(self) -> dict:
        self._recorder.query(("attr", self._name))
        return self._mapping

    def items(self):
        return self._whole().items()

    def keys(self):
        return self._whole().keys()

    def values(self):
        return self._whole().values()

    def __iter__(self):
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def __bool__(self) -> bool:
        return bool(self._whole())


_MISSING = ("missing",)


def answer(index, query: tuple):
    """What the index answers to a recorded query now."""
    how, name, *rest = query
    if how == "call":
        return getattr(index, name)(*rest[0])
    value = getattr(index, name)
    return value if how == "attr" else value.get(rest[0], _MISSING)
