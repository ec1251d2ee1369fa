"""The strict schema of site.toml (pydantic), imported only when site.toml must be checked."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from builder.errors import FieldProblem


class _Accessibility(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prepared: str = ""
    last_reviewed: str = ""
    tested_by: str = "the council's digital team"
    non_accessible: list[str] = []
    compliance: Literal["full", "partial", "none"] = "partial"


class _Editor(BaseModel):
    """[editor]: where the browser editor on the published site saves (see builder.render.admin)."""
    model_config = ConfigDict(extra="forbid")
    backend: Literal["github", "gitlab"]
    repo: str
    branch: str = "main"
    base_url: str = ""  # the sign-in (OAuth) service for GitHub
    auth_endpoint: str = ""
    app_id: str = ""  # GitLab: the application ID of the site's OAuth application
    api_root: str = ""  # a self-hosted GitLab or GitHub Enterprise
    review: bool = False  # Decap's editorial workflow: a change is approved before it is published

    @field_validator("repo")
    @classmethod
    def _owner_and_name(cls, value: str) -> str:
        value = value.strip().strip("/")
        if not re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+", value):
            raise FieldProblem(f'[editor] repo "{value}" must be the repository\'s owner and name, like council-web/send-progress',
                               "copy it from the repository's web address: https://github.com/OWNER/NAME")
        return value

    @field_validator("branch")
    @classmethod
    def _branch(cls, value: str) -> str:
        if not value.strip() or any(c in value for c in " ~^:?*[\\"):
            raise FieldProblem(f'[editor] branch "{value}" is not a branch name', 'write the branch the site is built from, like branch = "main"')
        return value.strip()

    @field_validator("base_url", "api_root")
    @classmethod
    def _https(cls, value: str) -> str:
        if value and not value.startswith("https://"):
            raise FieldProblem(f'[editor] address "{value}" must start with https://',
                               "sign-in details must travel encrypted: use the https:// address of the service")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _gitlab_needs_app(self) -> "_Editor":
        if self.backend == "gitlab" and not self.app_id:
            raise FieldProblem('[editor] with backend = "gitlab" needs app_id',
                               "create an OAuth application in GitLab (docs/it-teams.md: The editor on the published site) and copy its Application ID into app_id")
        if self.backend == "github" and self.app_id:
            raise FieldProblem("[editor] app_id is only used with GitLab",
                               'remove app_id; GitHub sign-in uses base_url (the sign-in service\'s address) instead')
        return self


def _web_address(value: str, name: str) -> str:
    value = value.strip()
    if value and not value.startswith(("https://", "http://")):
        raise FieldProblem(f'{name} "{value}" is not a web address',
                           "copy the whole address from the browser, starting with https://")
    return value


class _Help(BaseModel):
    """[help]: where families can complain and get independent advice (builder/render/help_page.py)."""
    model_config = ConfigDict(extra="forbid")
    complaints: str = ""  # the council's page about complaining about SEND support
    sendiass: str = ""  # the local SEND information, advice and support service
    sendiass_name: str = ""  # its name, such as "Suffolk SENDIASS"

    @field_validator("complaints", "sendiass")
    @classmethod
    def _address(cls, value: str, info) -> str:
        return _web_address(value, f"[help] {info.field_name}")


class _Translated(BaseModel):
    """[translated.cy]: the site's name and the council's in another of its languages."""
    model_config = ConfigDict(extra="forbid")
    title: str = ""
    organisation: str = ""
    non_accessible: list[str] = []  # [accessibility] non_accessible, in this language
    topics: dict[str, str] = {}  # [topics], in this language


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
    languages: list[str] | None = None  # bilingual sites: the default language first
    translated: dict[str, _Translated] = {}
    topics: dict[str, str] = {}  # a topic's label, by its tag: nhs-england = "NHS England"
    email_updates: str = ""  # the council's email bulletin sign-up page (GovDelivery, Mailchimp…)
    help: _Help = _Help()
    accessibility: _Accessibility = _Accessibility()
    editor: _Editor | None = None

    @field_validator("base_url")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f'base_url "{value}" must start with https:// (it is used in feeds and the sitemap)')
        return value if value.endswith("/") else value + "/"

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str] | None) -> list[str] | None:
        """Each language needs the theme's words in it (a catalogue), or its pages would mix languages."""
        if value is None:
            return None
        from builder.i18n import available_languages, catalogue_path

        if not value:
            raise FieldProblem("languages is empty", 'list the site\'s languages, the main one first: languages = ["en-GB", "cy"], '
                               "or remove the line for a site in one language")
        seen = set()
        for language in value:
            if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
                raise FieldProblem(f'languages names "{language}", which is not a language code',
                                   'write language codes like "en-GB" (English) or "cy" (Welsh)')
            if language.lower() in seen:
                raise FieldProblem(f'languages names "{language}" twice', "list each language once")
            seen.add(language.lower())
            if catalogue_path(language) is None:
                raise FieldProblem(f'languages names "{language}", but the theme has no words in that language. '
                                   f"The languages it has are: {', '.join(available_languages())}",
                                   "use one of those, or add a catalogue for the language first "
                                   "(docs/it-teams.md: How to add another language)")
        return value

    @model_validator(mode="after")
    def _first_language_is_the_language(self) -> "_SiteSchema":
        """`languages` replaces `language`; both may be written only if they agree."""
        if self.languages and "language" in self.model_fields_set and self.language != self.languages[0]:
            raise FieldProblem(f'language is "{self.language}" but languages starts with "{self.languages[0]}"',
                               "remove the language line: with languages, the first one listed is the site's main language")
        others = (self.languages or [])[1:]
        for language in self.translated:
            if language not in others:
                raise FieldProblem(f'[translated.{language}] is not one of the site\'s other languages ({", ".join(others) or "none"})',
                                   f'check its name, or add "{language}" to languages')
        return self

    @field_validator("email_updates")
    @classmethod
    def _sign_up_address(cls, value: str) -> str:
        return _web_address(value, "email_updates")

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
