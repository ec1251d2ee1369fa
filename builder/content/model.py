"""The immutable page model every later stage works from."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from builder.content.dates import PartialDate
from builder.content.feedback import Feedback
from builder.hashing import digest
from builder.i18n import N_

# Kinds in the order sections appear in navigation.
SECTIONS = {
    "update": ("updates", "Progress updates"),
    "letter": ("letters", "Letters to families"),
    "news": ("news", "News"),
    "event": ("timeline", "Timeline"),
    "commitment": ("commitments", "Commitments"),
    "feedback": ("you-said-we-did", "You said, we did"),
    "measure": ("measures", "Measures"),
    "page": ("", "Pages"),
    "easyread": ("easy-read", "Easy Read"),  # at its standard version's address + easy-read/
}
# Kinds that are dated articles: scheduled when dated in the future, listed in feeds.
ARTICLE_KINDS = ("letter", "update", "news")
# Kinds with a publication date: scheduled when dated in the future, placed on the timeline
# and in the feed of everything new.
DATED_KINDS = ARTICLE_KINDS + ("feedback",)
EVENT_TYPES = ("inspection", "revisit", "review", "meeting", "plan", "report")
# Labels are English message ids, translated where they are shown (builder.i18n).
EVENT_LABELS = {
    "inspection": N_("Inspection"), "revisit": N_("Revisit"), "review": N_("Review"),
    "meeting": N_("Meeting"), "plan": N_("Plan"), "report": N_("Report"),
}
STATUSES = ("not started", "in progress", "done", "not met")
STATUS_LABELS = {"not started": N_("Not started"), "in progress": N_("In progress"),
                 "done": N_("Done"), "not met": N_("Not met")}
KIND_LABELS = {"letter": N_("Letter"), "update": N_("Update"), "news": N_("News"), "event": N_("Event"),
               "page": N_("Page"), "commitment": N_("Commitment"), "feedback": N_("You said, we did"),
               "easyread": N_("Easy Read"), "measure": N_("Measure")}


@dataclass(frozen=True)
class Attachment:
    title: str
    file: str  # path relative to the site: content/updates/files/x.pdf
    url: str
    file_type: str  # "PDF", "Word document", …
    size: int  # bytes
    pages: int | None = None


@dataclass(frozen=True)
class PageImage:
    """An image the page's Markdown shows, as the Markdown stage found it (builder.content.images)."""

    src: str  # as written in the Markdown: files/chart.png
    file: str  # path relative to the site: content/updates/files/chart.png
    digest: str = ""  # of the file's bytes and the image settings; names the published sizes
    width: int = 0  # upright (after the photo's orientation is applied), of the largest size published
    height: int = 0
    kind: str = ""  # "photo" (JPEG fallback), "graphic" (PNG fallback), "animated", "svg"
    problem: str = ""  # why it cannot be published, reported with the page's file and line
    hint: str = ""


@dataclass(frozen=True)
class StatusEntry:
    date: PartialDate
    status: str
    note: str = ""


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Page:
    source: str  # site-relative path of the Markdown file
    kind: str
    slug: str
    url: str  # site path, always starting and ending with "/"
    title: str
    body: str = field(repr=False, compare=False)
    body_line: int = 0
    date: PartialDate | None = None
    summary: str = ""
    draft: bool = False
    updated: PartialDate | None = None
    tags: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    commitments: tuple[str, ...] = ()
    template: str = ""
    language: str = ""  # the language it is written in (site.toml's language or one of its languages)
    aliases: tuple[str, ...] = ()  # old site paths (with base_url's path) that redirect here
    # standing pages
    questions: bool = False  # each ## section is a question that opens to show its answer
    # letters
    author: str = ""
    role: str = ""
    salutation: str = ""
    next_update: PartialDate | None = None
    # events
    event: str = ""
    by: tuple[str, ...] = ()
    outcome: str = ""
    # commitments
    raised_by: str = ""  # slug of the timeline event
    status: tuple[StatusEntry, ...] = ()
    # "you said, we did" entries (builder.content.feedback)
    feedback: Feedback | None = None
    measures: tuple[str, ...] = ()  # slugs of the measures that show its progress
    # measures (builder.content.measures.Measure): what it counts and its figures
    measure: object = None
    # where each front-matter field was written, for error messages
    field_lines: tuple[tuple[str, int], ...] = field(default=(), repr=False, compare=False)
    # filled by the Markdown stage (its HTML is kept apart, in the build cache: builder.incremental.store)
    headings: tuple[Heading, ...] = ()
    images: tuple[PageImage, ...] = ()

    def line_of(self, name: str) -> int | None:
        return dict(self.field_lines).get(name)

    @property
    def output_path(self) -> str:
        return self.url.strip("/") + "/index.html" if self.url != "/" else "index.html"

    @cached_property  # the site index sorts 5,000 pages several times on every rebuild
    def sort_key(self) -> tuple:
        return (self.date.sort_key() if self.date else (0, 0, 0), self.slug)

    @cached_property
    def card_token(self) -> str:
        """A digest of what a card or link shows of the page: lists compare these to know
        when they must be rendered again. Kept with the page, so it is made once per reading."""
        return digest(repr((self.url, self.title, self.summary, self.date, self.kind, self.event, self.tags,
                            self.commitments, self.status, self.feedback, self.measures, self.measure)).encode())

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def current_status(self) -> StatusEntry | None:
        return max(self.status, key=lambda s: s.date.sort_key()) if self.status else None
