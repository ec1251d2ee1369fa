"""`localoffer init DIR`: a new council's site, ready to write in and to publish.

It writes site.toml from four answers (title, organisation, web address, contact email),
a getting-started page and a glossary, one draft example of each kind (made by
`localoffer new`'s templates, so the two never differ), and the publishing jobs for GitHub
Pages and GitLab Pages with the requirements.txt they install the builder from. It never
writes into a folder that already holds anything.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from builder import __version__
from builder.commands.new import create
from builder.content.slugs import slugify
from builder.errors import ContentError

STARTER = Path(__file__).parent.parent / "starter"
# Starter file -> where it goes in the new site (dot-files are stored without their dot).
STARTER_FILES = {
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "publish.yml": ".github/workflows/publish.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
    "glossary.yml": "content/glossary.yml",
    "getting-started.md": "content/pages/getting-started.md",
}
DEFAULT_TITLE = "SEND progress updates"
DEFAULT_BASE_URL = "http://localhost:8000/"
# One example of each kind, in the order a new site needs them (the commitment names the event).
EXAMPLES = (("event", "Example timeline event"), ("letter", "Example letter to families"),
            ("update", "Example progress update"), ("news", "Example news item"),
            ("page", "Example standing page"), ("commitment", "Example commitment"))
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


@dataclass(frozen=True)
class SiteDetails:
    title: str = DEFAULT_TITLE
    organisation: str = ""
    base_url: str = DEFAULT_BASE_URL
    email: str = ""


# --- answers: each check takes what was typed and returns it tidied, or raises ValueError
#     with a sentence saying what to type instead (shown by the prompt, which asks again).

def check_title(value: str) -> str:
    text = " ".join(str(value).split())
    if not text:
        raise ValueError(f'the title cannot be empty: type a short name, like "{DEFAULT_TITLE}"')
    if len(text) > 80:
        raise ValueError(f"the title has {len(text)} characters: keep it under 80, as it is shown on every page")
    return text


def check_organisation(value: str) -> str:
    return " ".join(str(value).split())


def check_base_url(value: str) -> str:
    text = str(value).strip()
    if not text:
        return DEFAULT_BASE_URL
    if "://" not in text:
        text = "https://" + text  # "www.council.gov.uk/send/" is what people copy from a letterhead
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in text:
        raise ValueError(f'"{value}" is not a web address: type it like https://www.yourcouncil.gov.uk/send-progress/')
    if parts.query or parts.fragment:
        raise ValueError("type the site's address without anything from a ? or # onwards")
    return text if text.endswith("/") else text + "/"


def check_email(value: str) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:"):]
    if text and not _EMAIL.match(text):
        raise ValueError(f'"{value}" is not an email address: type it like send.team@yourcouncil.gov.uk')
    return text


# --- stricter at the terminal: an answer left empty there is a slip, not a choice (a job or a
#     script that gives no flag still gets the defaults, and says so).

def asked_organisation(value: str) -> str:
    text = check_organisation(value)
    if not text:
        raise ValueError("type who runs the site, such as the council's name: it is shown on every page")
    return text


def asked_base_url(value: str) -> str:
    if not str(value).strip():
        raise ValueError("type the address the site will have on the web, like https://www.yourcouncil.gov.uk/send-progress/ "
                         "(on GitHub Pages: https://NAME.github.io/REPOSITORY/); you can change it later in site.toml")
    text = check_base_url(value)
    host = (urlsplit(text).hostname or "").lower()
    if host in ("localhost", "0.0.0.0", "::1") or host.endswith(".localhost") or host.startswith("127."):
        raise ValueError(f'"{value}" is the preview on this computer, which families cannot open: type the address '
                         "the site will have on the web, like https://www.yourcouncil.gov.uk/send-progress/")
    return text


def asked_email(value: str) -> str:
    text = check_email(value)
    if not text:
        raise ValueError("type an email address families can write to, like send.team@yourcouncil.gov.uk: "
                         "it is shown on every page and in the accessibility statement")
    return text


# The check a question at the terminal uses, where it is stricter than the flag's.
ASKED = {"organisation": asked_organisation, "base_url": asked_base_url, "email": asked_email}


def can_ask() -> bool:
    """Questions only when a person is at a terminal: a job or a script must never wait."""
    return sys.stdin.isatty() and sys.stdout.isatty()


# --- the site ---------------------------------------------------------------------------------

def refuse_non_empty(folder: Path) -> None:
    """A new site goes only into an empty folder (a fresh Git clone's .git is allowed)."""
    if folder.exists() and not folder.is_dir():
        raise ContentError(str(folder), "is a file, not a folder", None,
                           "choose a new folder name, for example: localoffer init send-progress")
    present = sorted(p.name for p in folder.iterdir() if p.name != ".git") if folder.is_dir() else []
    if present:
        shown = ", ".join(present[:5]) + (f" and {len(present) - 5} more" if len(present) > 5 else "")
        raise ContentError(str(folder), f"is not empty (it holds {shown}), and init never changes files that are already there",
                           None, "choose a new folder name, for example: localoffer init send-progress")


def site_toml(details: SiteDetails, today: dt.date) -> str:
    quote = lambda text: json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML string
    text = f"""# Settings for the whole site. The builder's guide for IT teams (docs/it-teams.md, "site.toml") explains each one.

# The site's name: shown at the top of every page and in the browser tab.
title = {quote(details.title)}
# Who runs the site: shown in the header, the accessibility statement and the feeds.
organisation = {quote(details.organisation)}
# The address the site is published at, ending in /. Links, feeds and the sitemap use it,
# so change it here if the site moves (for GitHub Pages: https://NAME.github.io/REPOSITORY/).
base_url = {quote(details.base_url)}
# Where families can write to: shown in the footer and the accessibility statement.
contact_email = {quote(details.email)}
language = "en-GB"
# "oldest" shows the timeline from the first event; "newest" from the latest.
timeline_order = "oldest"
# The council's email bulletin sign-up page (GovDelivery, Mailchimp…), if it has one:
# the "Get updates" page offers it first, before the feeds.
email_updates = ""

# The "Complaints and independent advice" page links to these. `localoffer check` warns
# while the first two are empty.
[help]
# The council's page on how to complain.
complaints = ""
# The local SEND information, advice and support service (SENDIASS), and its name.
sendiass = ""
sendiass_name = ""

# The accessibility statement at /accessibility/ is made from these settings.
# Update them after each accessibility review.
[accessibility]
prepared = "{today.isoformat()}"
last_reviewed = "{today.isoformat()}"
tested_by = "a self-assessment by the site team"
compliance = "partial"
# Known problems, in plain words, one a line, like: "Some older PDF documents are not tagged."
non_accessible = []
"""
    tomllib.loads(text)  # never write a file the builder cannot read
    return text


def requirements_txt() -> str:
    return ("# The version of the localoffer builder that checks and builds this site.\n"
            "# The publishing jobs (.github/workflows/publish.yml and .gitlab-ci.yml) install\n"
            "# exactly this. To move to a newer builder, change the version number and commit.\n"
            "# To use the council's own copy instead, see the builder's docs/releasing.md.\n"
            f"{builder_requirement()}\n")


def builder_requirement() -> str:
    """The released version that made this site (localoffer==X.Y.Z), or this copy's own Git
    commit when it was installed from one (a council's own copy, reachable from its jobs)."""
    try:
        from importlib.metadata import PackageNotFoundError, distribution

        recorded = json.loads(distribution("localoffer").read_text("direct_url.json") or "{}")
    except (PackageNotFoundError, ValueError, OSError):
        recorded = {}
    vcs = recorded.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and vcs.get("commit_id") and recorded.get("url", "").startswith("https://"):
        return f"localoffer @ git+{recorded['url']}@{vcs['commit_id']}"
    return f"localoffer=={__version__}"


def init_site(folder: Path, details: SiteDetails, today: dt.date | None = None) -> list[Path]:
    """Write the new site into folder (made if missing); return the files written."""
    today = today or dt.date.today()
    refuse_non_empty(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = [_write(folder, "site.toml", site_toml(details, today)),
               _write(folder, "requirements.txt", requirements_txt())]
    for name, target in STARTER_FILES.items():
        written.append(_write(folder, target, (STARTER / name).read_text(encoding="utf-8")))
    event = slugify(EXAMPLES[0][1])  # the example event's slug (new.py writes it as slug:)
    for kind, title in EXAMPLES:
        written.append(create(folder, kind, title, today, source=event))
    return written


def _write(folder: Path, rel: str, text: str) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never replace a file
        handle.write(text)
    return path
