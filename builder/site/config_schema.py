"""The strict schema of site.toml (pydantic), imported only when site.toml must be checked."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator


class _Accessibility(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prepared: str = ""
    last_reviewed: str = ""
    tested_by: str = "the council's digital team"
    non_accessible: list[str] = []
    compliance: Literal["full", "partial", "none"] = "partial"


class _SiteSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = "SEND progress updates"
    base_url: str = "http://localhost:8000/"
    language: str = "en-GB"
    organisation: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    allow_raw_html: bool = False
    timeline_order: Literal["oldest", "newest"] = "oldest"
    per_page: int = 50
    default_glossary: bool = True
    default_glossary_leave_out: list[str] = []
    accessibility: _Accessibility = _Accessibility()

    @field_validator("base_url")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f'base_url "{value}" must start with https:// (it is used in feeds and the sitemap)')
        return value if value.endswith("/") else value + "/"

    @field_validator("per_page")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("per_page must be 1 or more")
        return value

    @field_validator("default_glossary_leave_out")
    @classmethod
    def _known_terms(cls, value: list[str]) -> list[str]:
        """A misspelt term would quietly leave nothing out, so name it."""
        import difflib

        from builder.content.glossary import all_default_terms
        from builder.errors import FieldProblem

        known = all_default_terms()
        by_lower = {term.lower(): term for term in known}
        for term in value:
            if term not in known:
                close = difflib.get_close_matches(term.lower(), list(by_lower), n=1, cutoff=0.6)
                raise FieldProblem(f'default_glossary_leave_out names "{term}", which is not in the default glossary.'
                                   + (f' Did you mean "{by_lower[close[0]]}"?' if close else ""),
                                   'write each term exactly as the "Words we use" page shows it, capital letters included, or remove it')
        return value
