"""Validate raw front matter into immutable Page models.

The schema is strict: unknown fields are errors with a "did you mean", because a misspelt
`draft: true` that is silently ignored would publish a draft.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from builder.content import attachments as attachment_info
from builder.content.address import EASY_READ_PATH, page_address  # noqa: F401  EASY_READ_PATH: the editor's
from builder.content.dates import DateProblem, PartialDate, parse_date
from builder.errors import ContentError, FieldProblem
from builder.content.feedback import CHANNELS, FEEDBACK_STATUSES, Feedback
from builder.content.measures import BETTER as MEASURE_BETTER, UNITS as MEASURE_UNITS, read_measure
from builder.content.model import EVENT_TYPES, STATUSES, Attachment, Page, StatusEntry
from builder.content.read import RawSource
from builder.content.schema_errors import translate
from builder.content.slugs import slugify
from builder.site.redirects import normalise_alias, with_base

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _full_date(value: Any) -> PartialDate:
    try:
        return parse_date(value)
    except DateProblem:
        raise  # a ValueError that carries its own hint


def _month_date(value: Any) -> PartialDate:
    try:
        return parse_date(value, allow_month=True)
    except DateProblem:
        raise  # a ValueError that carries its own hint


def _as_list(value: Any) -> Any:
    # `tags: review` is a common slip for `tags: [review]`; accept it rather than fail.
    return [value] if isinstance(value, str) else value


FullDate = Annotated[PartialDate, BeforeValidator(_full_date)]
MonthDate = Annotated[PartialDate, BeforeValidator(_month_date)]
TextList = Annotated[list[str], BeforeValidator(_as_list)]


# Each field's description is the hint the browser editor shows under it (builder.render.admin
# generates the editor from these schemas), so write it for the person filling in the form.

class _AttachmentSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(description="What the document is, as readers will see it in the link. "
                                   "Do not add the file type or size: they are added for you.")
    file: str = Field(description="The document to download.")


class _StatusSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: MonthDate = Field(description="When this status was given: YYYY-MM-DD, or YYYY-MM if you only know the month.")
    status: Literal[STATUSES] = Field(description="The progress at that date.")  # type: ignore[valid-type]
    note: str = Field("", description="One sentence saying what the status is based on.")


class _Common(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    title: str = Field(description="The page's main heading. It is also its name in lists, search results and the browser tab.")
    summary: str = Field("", description="One plain sentence saying what the page is about. It is shown in lists, "
                                         "search results and feeds.")
    slug: str | None = Field(None, description="A different web address instead of the file name. "
                                               "Lower-case letters, digits and single hyphens only.")
    draft: bool = Field(False, description="Turn on to keep this page off the website until you are ready.")
    updated: FullDate | None = Field(None, description="The date you last made an important change "
                                                       "to a published page.")
    tags: TextList = Field([], description="Topics the page is about, separated by commas, "
                                           "for example: ehcp, independent-review.")
    attachments: list[_AttachmentSchema] = Field([], description="Documents readers can download. "
                                                                 "Put the important information on the page too.")
    template: str = Field("", description="For web designers only: show this page with a different template "
                                          "from the templates folder. Leave it empty.")
    aliases: TextList = Field([], description="Old web addresses of this page, after a rename, "
                                              "for example /letters/old-name/. Each one sends readers here.")

    @model_validator(mode="before")
    @classmethod
    def _blank_means_absent(cls, data: Any) -> Any:
        # A field cleared in the browser editor is saved as `field: ""`: for an optional field
        # that means "not given", not "an empty date". Required fields still report as missing.
        if isinstance(data, dict):
            required = {name for name, info in cls.model_fields.items() if info.is_required()}
            return {key: value for key, value in data.items()
                    if key in required or not (value is None or (isinstance(value, str) and not value.strip()))}
        return data

    @field_validator("title")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise FieldProblem("the title is empty", 'write a short title, like title: "Our progress in May 2022"')
        return value.strip()

    @field_validator("slug")
    @classmethod
    def _safe_slug(cls, value: str | None) -> str | None:
        if value is not None and not _SLUG.match(value):
            suggestion = slugify(value) or "our-progress-in-may"
            raise FieldProblem(f'slug "{value}" can only use lower-case letters, digits and single hyphens',
                               f"write it like slug: {suggestion}")
        return value

    @field_validator("aliases")
    @classmethod
    def _site_paths(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(normalise_alias(value) for value in values))


_COMMITMENTS_HINT = "The commitments this page reports on."


class _Dated(_Common):
    date: FullDate = Field(description="The publication date. A date in the future schedules the page for that day.")
    commitments: TextList = Field([], description=_COMMITMENTS_HINT)


class _PageSchema(_Common):
    questions: bool = Field(False, description=(
        "true makes the page a list of questions and answers: each ## heading is a question that "
        "readers open to see the answer written under it. It works without JavaScript."))


class _LetterSchema(_Dated):
    author: str = Field(description="Who signs the letter. The signature is added at the bottom for you.")
    role: str = Field("", description="Their job title, shown under their name.")
    # Empty: the theme writes "Dear parents and carers" in the page's language.
    salutation: str = Field("", description='The greeting. Leave it empty for '
                                            '"Dear parents and carers". A comma is added.')
    next_update: MonthDate | None = Field(None, description="When the next letter is expected, "
                                                            "as YYYY-MM or YYYY-MM-DD, for example 2025-07.")


class _EventSchema(_Common):
    date: MonthDate = Field(description="When it happened or is expected: YYYY-MM-DD, or YYYY-MM if you only "
                                        "know the month. A future date shows it as upcoming.")
    event: Literal[EVENT_TYPES] = Field(description="The type of event.")  # type: ignore[valid-type]
    by: TextList = Field([], description="Who carried it out or took part, separated by commas, "
                                         "for example: Ofsted, CQC.")
    outcome: str = Field("", description="What was decided or found, in one line.")
    commitments: TextList = Field([], description=_COMMITMENTS_HINT)


class _CommitmentSchema(_Common):
    source: str = Field(description="The timeline event that asked for this.")
    status: list[_StatusSchema] = Field([], description="The progress so far. To report progress, add an entry "
                                                        "and keep the old ones: they make the status history.")
    measures: TextList = Field([], description="The measures that show this commitment's progress: the file names "
                                               "of measures in content/measures, for example: ehcp-20-weeks.")


class _TargetSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float = Field(description="The figure the council aims for.")
    date: MonthDate | None = Field(None, description="When it aims to reach it: YYYY-MM or YYYY-MM-DD.")


class _SourceSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(description="Where the figures come from, for example: Department for Education, SEN2 data.")
    url: str = Field("", description="A link to where readers can check the figures.")


class _ValueSchema(BaseModel):
    # Extra fields and the values themselves are checked by builder.content.measures, which
    # knows each item's line; here only the shape, so the editor can offer the right form.
    model_config = ConfigDict(extra="allow")
    period: Any = Field(description="2024 (a year), 2024-Q3 (a quarter), 2024-05 (a month) or 2023/24 (an academic year).")
    value: Any = Field(description="The figure for that period, as a number: 63 or 46.4.")
    comparison: Any = Field(None, description="The comparison figure for that period, if there is one.")


class _MeasureSchema(_Common):
    what: str = Field(description="What the figure counts, in plain English, written so it reads before "
                                  '"was 63% in 2024": for example "The share of new EHC plans issued within 20 weeks".')
    unit: Literal[MEASURE_UNITS] = Field(description="What the figures are: percent, number, weeks or days.")  # type: ignore[valid-type]
    better: Literal[MEASURE_BETTER] = Field(description="Whether a higher or a lower figure is better.")  # type: ignore[valid-type]
    target: _TargetSchema | None = Field(None, description="The figure the council aims for, and by when.")
    source: _SourceSchema | None = Field(None, description="Where the figures come from.")
    comparison: str = Field("", description='What the comparison figures are, for example "England".')
    example: bool = Field(False, description="Turn on when some figures are made up to show how the page works: "
                                             "the page then says so.")
    values: list[_ValueSchema] = Field([], description="The figures: period, value and (optional) comparison. "
                                                       "Or save them as a CSV file with the same name beside this one.")


class _FeedbackSchema(_Dated):
    """A "you said, we did" entry (builder.content.feedback). Its date is when it is published."""

    you_said: str = Field(description="What children, young people or families told us, in one or two plain "
                                      "sentences, for example: Parents told us they did not know who to call.")
    came_from: Literal[CHANNELS] = Field(description="Where we heard it.")  # type: ignore[valid-type]
    heard: MonthDate = Field(description="When we heard it: YYYY-MM-DD, or YYYY-MM if you only know the month.")
    we_did: str = Field(description="What we did, are doing or will do about it, in one or two plain sentences.")
    status: Literal[FEEDBACK_STATUSES] = Field(  # type: ignore[valid-type]
        title="Status", description="done: we have done it. in progress: we have started. "
                                    "planned: we have agreed to do it but not started yet.")

    @field_validator("you_said", "we_did")
    @classmethod
    def _said_something(cls, value: str, info) -> str:
        if not value.strip():
            raise FieldProblem(f'"{info.field_name}" is empty', f"write one or two sentences, like {EXAMPLES[info.field_name]}")
        return value.strip()


class _EasyReadSchema(_Common):
    """An Easy Read version (NAME.easyread.md beside NAME.md): its date, author and the like
    are its standard version's, so it has only the fields every page has."""


SCHEMAS: dict[str, type[BaseModel]] = {
    "letter": _LetterSchema, "update": _Dated, "news": _Dated,
    "event": _EventSchema, "page": _PageSchema, "commitment": _CommitmentSchema, "measure": _MeasureSchema,
    "feedback": _FeedbackSchema,
    "easyread": _EasyReadSchema,
}

EXAMPLES = {
    "title": 'title: "Our progress in May 2022"',
    "date": "date: 2022-05-12",
    "author": 'author: "Ros Somerville"',
    "event": "event: inspection",
    "source": "source: 2019-01-revisit",
    "tags": "tags: [independent-review, ehcp]",
    "by": "by: [Ofsted, CQC]",
    "attachments": 'attachments: [{title: "Action plan", file: files/plan.pdf}]',
    "next_update": "next_update: 2022-07",
    "updated": "updated: 2022-06-01",
    "draft": "draft: true",
    "commitments": "commitments: [ehcp-timeliness]",
    "status": 'status: [{date: 2024-11-21, status: in progress, note: "…"}]',
    "aliases": "aliases: [/letters/old-name/]",
    "you_said": 'you_said: "Parents told us they did not know who to call about their child\'s plan."',
    "came_from": "came_from: survey",
    "heard": "heard: 2024-03",
    "we_did": 'we_did: "Every family now has the name and phone number of their case worker."',
    "unit": "unit: percent", "better": "better: higher", "what": 'what: "The share of new EHC plans issued within 20 weeks"',
    "measures": "measures: [ehcp-20-weeks]", "target": "target: {value: 80, date: 2026-03}",
}
# Where a field means something else in one kind: "you said, we did" has one status, not a history.
KIND_EXAMPLES = {"feedback": {"status": "status: done"}}


def validate(raw: RawSource, kind: str, site_dir: Path, base_path: str, language: str = "", prefix: str = "") -> Page:
    """Raise a list of ContentErrors (as ExceptionGroup-free list) via PageInvalid.
    language: the page's language; prefix: its folder under base_path ("cy/" for a Welsh
    translation, whose file name carries ".cy" before ".md": not part of its address)."""
    schema = SCHEMAS[kind]
    try:
        data = schema.model_validate(raw.meta)
    except ValidationError as problem:
        raise PageInvalid(translate(problem, raw.path, raw.line_of, list(schema.model_fields),
                                    {**EXAMPLES, **KIND_EXAMPLES.get(kind, {})})) from None
    slug, url, stem = page_address(raw.path, kind, base_path, language, prefix, data.slug)
    errors: list[ContentError] = []
    if not slug:
        errors.append(ContentError(raw.path, f'cannot make a web address from the file name "{stem}"', None,
                                   "rename the file using letters and digits, or add a slug: field"))
    files = []
    for index, item in enumerate(data.attachments):
        try:
            files.append(_attachment(raw, item, site_dir, base_path))
        except ContentError as problem:
            errors.append(problem)
    if isinstance(data, _FeedbackSchema) and data.heard.first_day > data.date.first_day:
        # Published before it was heard: almost always the two dates swapped, or a typing slip.
        errors.append(ContentError(raw.path, f"heard ({data.heard.display}) is after the entry's date ({data.date.display})",
                                   raw.line_of("heard"), "heard is when families told us; date is when this entry "
                                   "is published, on or after that day"))
    if errors:
        raise PageInvalid(errors)
    fields: dict[str, Any] = dict(
        source=raw.path, kind=kind, slug=slug, url=url, language=language,
        title=data.title, body=raw.body, body_line=raw.body_line, summary=data.summary.strip(),
        draft=data.draft, updated=data.updated, tags=tuple(dict.fromkeys(slugify(t) for t in data.tags if slugify(t))),
        attachments=tuple(files), template=data.template, field_lines=raw.field_lines,
        aliases=tuple(dict.fromkeys(with_base(alias, base_path) for alias in data.aliases)),
    )
    if isinstance(data, (_Dated, _EventSchema)):
        fields.update(date=data.date, commitments=tuple(data.commitments))
    if isinstance(data, _PageSchema):
        fields.update(questions=data.questions)
    if isinstance(data, _LetterSchema):
        fields.update(author=data.author, role=data.role, salutation=data.salutation, next_update=data.next_update)
    if isinstance(data, _EventSchema):
        fields.update(event=data.event, by=tuple(data.by), outcome=data.outcome)
    if isinstance(data, _FeedbackSchema):
        fields.update(feedback=Feedback(data.you_said, data.came_from, data.heard, data.we_did, data.status))
    if isinstance(data, _CommitmentSchema):
        fields.update(raised_by=data.source, measures=tuple(dict.fromkeys(data.measures)),
                      status=tuple(StatusEntry(s.date, s.status, s.note) for s in data.status))
    if isinstance(data, _MeasureSchema):
        measure, errors = read_measure(site_dir, raw.path, data, raw.line_of, f".{language}" if prefix else "")
        if errors:
            raise PageInvalid(errors)
        fields.update(measure=measure)
    return Page(**fields)


class PageInvalid(Exception):
    def __init__(self, errors: list[ContentError]):
        super().__init__(errors)
        self.errors = errors


def _attachment(raw: RawSource, item: _AttachmentSchema, site_dir: Path, base_path: str) -> Attachment:
    line = raw.line_of("attachments")
    folder = PurePosixPath(raw.path).parent
    content = (site_dir / "content").resolve()
    target = (site_dir / folder / item.file).resolve()
    if content not in target.parents:
        raise ContentError(raw.path, f'attachment "{item.file}" is outside the content folder', line,
                           "put the file inside content/ (for example next to this page) and give its path from here")
    if not target.is_file():
        raise ContentError(raw.path, f'attachment "{item.file}" was not found', line,
                           f"check the spelling, or add the file at {(folder / item.file).as_posix()}")
    rel = target.relative_to(site_dir.resolve()).as_posix()
    return Attachment(
        title=item.title, file=rel, url=base_path + rel.removeprefix("content/"),
        file_type=attachment_info.file_type(target.name), size=target.stat().st_size,
        pages=attachment_info.page_count(target),
    )
