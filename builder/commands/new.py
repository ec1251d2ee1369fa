"""`localoffer new KIND "Title"`: a new file with every field of its kind filled in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builder.errors import ContentError
from builder.content.discover import KIND_FOLDERS
from builder.content.slugs import slugify

# Fields every kind has, after its own summary and tags.
_OPTIONAL = """draft: true              # keeps it off the site while you write; change to false to publish
updated: {today}         # the date you last changed it, if it was published before
slug: {slug}             # the web address; delete this line to use the file name
attachments: []          # documents, for example: [{{title: "Action plan", file: files/plan.pdf}}]
template: ""             # leave empty for the normal layout, or name a template in templates/
aliases: []              # old addresses of this page, so old links still work: [/letters/old-name/]
"""
# Summary and tags for letters, updates, news and events; pages and commitments word their own.
_COMMON = """summary: "One sentence saying what this is about, in plain words."
tags: [independent-review]
"""

TEMPLATES = {
    "letter": """---
title: "{title}"
date: {today}
author: "Your Name"
role: "Your job title"
salutation: "Dear parents and carers"
next_update: {next_month}
{common}commitments: []          # commitments this reports on, for example [ehcp-timeliness]
---
Write the letter here, in short paragraphs. The greeting and signature are added for you.

## What we have done

## What happens next
""",
    "update": """---
title: "{title}"
date: {today}
{common}commitments: []          # commitments this reports on, for example [ehcp-timeliness]
---
Write the update here.

## What we have done

## What happens next
""",
    "news": """---
title: "{title}"
date: {today}
{common}commitments: []
---
Write the news here.
""",
    "event": """---
title: "{title}"
date: {month}                # YYYY-MM-DD, or YYYY-MM if only the month is known
event: inspection            # inspection, revisit, review, meeting, plan or report
by: [Ofsted, CQC]
outcome: "What was decided, in one line."
{common}commitments: []          # commitments this event reports on, for example [ehcp-timeliness]
---
Say what happened, who was there, and what it means for families.
""",
    "page": """---
title: "{title}"
summary: "One sentence saying what this page is for."
tags: []
questions: false         # true for questions and answers: each ## heading is a question that opens to show its answer
{optional}---
Write the page here. Use ## headings for each part: long pages get a contents list.
""",
    "feedback": """---
title: "{title}"
date: {today}
you_said: "What children, young people or families told us, in one or two sentences."
came_from: survey            # survey, forum, complaint, meeting, consultation, email or other
heard: {month}               # when we heard it: YYYY-MM-DD, or YYYY-MM if only the month is known
we_did: "What we did, are doing or will do about it."
status: planned              # planned, in progress or done
{common}commitments: []          # commitments this is about, for example [ehcp-timeliness]
---
Anything more families should know, such as how we will check the change worked. You can leave this empty.
""",
    "commitment": """---
title: "{title}"
source: {source}      # the file name (without .md) of the timeline event that raised it
summary: "What must improve, in plain words."
tags: []
measures: []             # measures that show its progress, for example [ehcp-20-weeks]
{optional}status:
  - date: {today}
    status: in progress      # not started, in progress, done or not met
    note: "What has happened so far."
---
Explain what was asked for and what the council has promised to do.
""",
}


TEMPLATES["measure"] = """---
title: "{title}"
what: "What the figure counts, so it reads before 'was 63% in 2024'"
unit: percent            # percent, number, weeks or days
better: higher           # higher or lower: which way is better
comparison: England      # what the comparison figures are; delete if you have none
example: false           # true if any figures are made up: the page then says so
target: {{value: 80, date: {next_month}}}   # the figure aimed for, and by when
source: {{name: "Where the figures come from", url: ""}}
summary: "Why this figure matters to families, in one sentence."
tags: []
values:                  # or save them as a CSV file of the same name beside this one
  - {{period: {last_year}, value: 50, comparison: 50}}
  - {{period: {year}, value: 60, comparison: 50}}
{optional}---
Say why this figure matters, and what the council is doing to improve it. See docs/measures.md.
"""


def fill(kind: str, title: str, today: dt.date, source: str, optional: bool = True) -> str:
    """The text `new` writes for a kind. placeholders.py reads the same text (without the
    optional lines) for the example values a writer must replace, so the two cannot drift."""
    slug = slugify(title)
    following = (today.replace(day=1) + dt.timedelta(days=32)).strftime("%Y-%m")
    extra = _OPTIONAL.format(today=today.isoformat(), slug=slug) if optional else ""
    return TEMPLATES[kind].format(
        title=title.replace('"', "'"), today=today.isoformat(), month=today.strftime("%Y-%m"), next_month=following,
        slug=slug, year=today.year, last_year=today.year - 1, common=_COMMON + extra, optional=extra, source=source)


def create(site_dir: Path, kind: str, title: str, today: dt.date | None = None,
           source: str = "2019-01-revisit") -> Path:
    """source: for a commitment, the slug of the timeline event that raised it."""
    today = today or dt.date.today()
    slug = slugify(title)
    if not slug:
        raise ContentError("(new file)", f'cannot make a file name from the title "{title}"', None,
                           "use a title with some letters or digits in it")
    # The kind's content folder, which is not always its web address (feedback/ -> /you-said-we-did/).
    folder = site_dir / "content" / next(name for name, its in KIND_FOLDERS.items() if its == kind)
    prefix = "" if kind in ("page", "commitment", "measure") else (today.strftime("%Y-%m") if kind == "event" else today.isoformat()) + "-"
    path = folder / f"{prefix}{slug}.md"
    if path.exists():
        raise ContentError(path.relative_to(site_dir).as_posix(), "already exists", None,
                           "choose a different title, or edit the existing file")
    text = fill(kind, title, today, source)
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


EASY_READ = """---
title: "{title}"
summary: "One short sentence saying what this page is about."
draft: true              # keeps it off the site while you write; change to false to publish
{slug}---
<!-- Easy Read: one idea in each row, with a picture beside it. For each row, put a picture on
its own line, a blank line, then one or two short sentences. Keep each sentence to 15 words or
fewer, and describe every picture between the square brackets, for example:

![A parent talking to a teacher](files/talking.png)

We talked to 200 families.

`localoffer check` tells you about long sentences and pictures that are not described. -->
Write the first idea here, in a short sentence.
"""


def create_easy_read(site_dir: Path, page: str) -> Path:
    """Start the Easy Read version of a page (content/letters/x.md -> content/letters/x.easyread.md),
    with its title and, when it sets one, its slug: the two share an address."""
    from builder.content.discover import KIND_FOLDERS, classify
    from builder.content.read import read_source
    from builder.site.easyread import easy_read_of

    site_dir = Path(site_dir).resolve()
    given = Path(page)  # from here, or from the site's folder
    target = next((c.resolve() for c in (given, site_dir / given) if c.is_file()), given.resolve())
    try:
        rel = target.relative_to(site_dir).as_posix()
    except ValueError:
        rel = target.as_posix()
    if classify(rel) not in KIND_FOLDERS.values() or not target.is_file():
        raise ContentError(page, "is not a page of this site", None,
                           "give the page's file, for example content/letters/2022-07-01-open-letter.md")
    meta = read_source(site_dir, rel).meta
    path = site_dir / easy_read_of(rel)
    if path.exists():
        raise ContentError(path.relative_to(site_dir).as_posix(), "already exists", None,
                           "edit the existing Easy Read file")
    title = str(meta.get("title") or "").replace('"', "'")
    slug = f"slug: {meta['slug']}           # the same address as the page it is a version of\n" if meta.get("slug") else ""
    path.write_text(EASY_READ.format(title=title, slug=slug), encoding="utf-8")
    return path
