"""Validate raw front matter into immutable Page models.

The schema is strict: unknown fields are errors with a "did you mean", because a misspelt
`draft: true` that is silently ignored would publish a draft.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from builder.content import attachments as attachment_info
from builder.content.dates import DateProblem, PartialDate, parse_date
from builder.errors import ContentError, FieldProblem
from builder.content.model import EVENT_TYPES, SECTIONS, STATUSES, Attachment, Page, StatusEntry
from builder.content.read import RawSource
from builder.content.schema_errors import translate
from builder.content.slugs import slugify

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


class _AttachmentSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    file: str


class _StatusSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: MonthDate
    status: Literal[STATUSES]  # type: ignore[valid-type]
    note: str = ""


class _Common(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    title: str
    summary: str = ""
    slug: str | None = None
    draft: bool = False
    updated: FullDate | None = None
    tags: TextList = []
    attachments: list[_AttachmentSchema] = []
    template: str = ""

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


class _Dated(_Common):
    date: FullDate
    commitments: TextList = []


class _PageSchema(_Common):
    questions: bool = Field(False, description=(
        "true makes the page a list of questions and answers: each ## heading is a question that "
        "readers open to see the answer written under it. It works without JavaScript."))


class _LetterSchema(_Dated):
    author: str
    role: str = ""
    salutation: str = ""  # the theme writes "Dear parents and carers" in the site's language
    next_update: MonthDate | None = None


class _EventSchema(_Common):
    date: MonthDate
    event: Literal[EVENT_TYPES]  # type: ignore[valid-type]
    by: TextList = []
    outcome: str = ""
    commitments: TextList = []


class _CommitmentSchema(_Common):
    source: str
    status: list[_StatusSchema] = []


SCHEMAS: dict[str, type[BaseModel]] = {
    "letter": _LetterSchema, "update": _Dated, "news": _Dated,
    "event": _EventSchema, "page": _PageSchema, "commitment": _CommitmentSchema,
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
}


def url_for(kind: str, slug: str, base_path: str) -> str:
    section = SECTIONS[kind][0]
    return f"{base_path}{section}/{slug}/" if section else f"{base_path}{slug}/"


def validate(raw: RawSource, kind: str, site_dir: Path, base_path: str) -> Page:
    """Raise a list of ContentErrors (as ExceptionGroup-free list) via PageInvalid."""
    schema = SCHEMAS[kind]
    try:
        data = schema.model_validate(raw.meta)
    except ValidationError as problem:
        raise PageInvalid(translate(problem, raw.path, raw.line_of, list(schema.model_fields), EXAMPLES)) from None
    stem = PurePosixPath(raw.path).stem
    slug = data.slug or slugify(stem)
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
    if errors:
        raise PageInvalid(errors)
    fields: dict[str, Any] = dict(
        source=raw.path, kind=kind, slug=slug, url=url_for(kind, slug, base_path),
        title=data.title, body=raw.body, body_line=raw.body_line, summary=data.summary.strip(),
        draft=data.draft, updated=data.updated, tags=tuple(dict.fromkeys(slugify(t) for t in data.tags if slugify(t))),
        attachments=tuple(files), template=data.template, field_lines=raw.field_lines,
    )
    if isinstance(data, (_Dated, _EventSchema)):
        fields.update(date=data.date, commitments=tuple(data.commitments))
    if isinstance(data, _PageSchema):
        fields.update(questions=data.questions)
    if isinstance(data, _LetterSchema):
        fields.update(author=data.author, role=data.role, salutation=data.salutation, next_update=data.next_update)
    if isinstance(data, _EventSchema):
        fields.update(event=data.event, by=tuple(data.by), outcome=data.outcome)
    if isinstance(data, _CommitmentSchema):
        fields.update(raised_by=data.source,
                      status=tuple(StatusEntry(s.date, s.status, s.note) for s in data.status))
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
