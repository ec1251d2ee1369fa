"""Deterministic benchmark corpus: N realistic SEND progress updates.

Each page is generated from its own seeded RNG (SEED and the page number), so
page 42 is the same text in every corpus size: the 1000-page corpus is the
first 1000 pages of the 5000-page one, and any page can be regenerated on its
own (which is how run.py undoes its one-page edit).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

# Bump when the generated text changes, so stale corpora are rebuilt.
GENERATOR_VERSION = 1
SEED = 20261123
STAMP_NAME = ".corpus-stamp"

SITE_TOML = """\
title = "Benchmark SEND progress"
base_url = "https://send.example.org/"
"""

GLOSSARY_YML = """\
EHCP: Education, Health and Care Plan
SEND: special educational needs and disabilities
SENCO: special educational needs coordinator
CQC: Care Quality Commission
PCF: Parent Carer Forum
"""

# (words for the title and headings, what the work is about, tag)
TOPICS = [
    ("EHCP timeliness", "finishing Education, Health and Care needs assessments within 20 weeks", "ehcp"),
    ("annual reviews", "holding annual reviews on time and acting on what they find", "ehcp"),
    ("home to school transport", "arranging home to school transport before the start of term", "transport"),
    ("speech and language therapy", "cutting waiting times for speech and language therapy", "therapies"),
    ("specialist school places", "creating more specialist school places close to home", "sufficiency"),
    ("preparing for adulthood", "helping young people prepare for work, college and independent living", "adulthood"),
    ("alternative provision", "improving the quality of alternative provision", "inclusion"),
    ("communication with families", "keeping families told about what is happening with their child's plan", "communication"),
    ("mainstream inclusion", "helping mainstream schools include children with SEND", "inclusion"),
    ("the neurodevelopmental pathway", "shortening waits for autism and ADHD assessments", "health"),
]
EXTRA_TAGS = ["ehcp", "transport", "therapies", "sufficiency", "adulthood", "inclusion", "communication", "health"]

SUBJECTS = [
    "The SEND service", "Our casework team", "The Parent Carer Forum", "Headteachers and SENCOs",
    "The local area partnership board", "Health colleagues in the integrated care board",
    "Educational psychologists", "The transport team", "Our family support officers", "The inclusion team",
]
VERBS = [
    "have reviewed", "have started work on", "continued to improve", "agreed a new plan for",
    "met families to talk about", "published new guidance on", "checked progress on",
    "brought in extra staff for", "carried out an audit of", "set clear targets for",
]
OBJECTS = [
    "the quality of new plans", "the way we answer emails and phone calls",
    "support for children waiting for a school place", "training for teaching assistants",
    "the local offer website", "short breaks for disabled children",
    "the process for asking for a needs assessment", "the backlog of overdue reviews",
    "how we share information with health services", "support for children who are not in school",
]
TIMES = [
    "since our last update", "this month", "over the summer term", "in the last six weeks",
    "during the spring term", "over the past quarter", "since the revisit", "before the end of term",
]
REASONS = [
    "so that families get answers sooner", "because parents told us this was their biggest worry",
    "so that fewer children are left without a school place",
    "to make sure every plan reflects what the child needs", "so that schools know who to contact",
    "because the inspectors said this needed to improve",
    "so that young people have a say in their own plans", "to cut the time families spend chasing us",
]
CONCERNS = [
    "it was hard to find out who was dealing with their request", "our letters used too much jargon",
    "nobody told them when a deadline was going to be missed",
    "transport arrangements changed without warning", "waiting lists were not explained clearly",
    "they had to repeat their child's story to every new worker",
]
RESPONSES = [
    "rewritten our letters in plain English", "given every family a named contact",
    "started sending a message when a deadline is at risk",
    "agreed to give ten days' notice of any change", "added waiting times to the local offer website",
    "set up a single record that every worker can see",
]
CLOSERS = [
    "We know there is more to do.", "Some families are still waiting longer than they should, and we are sorry.",
    "We will report these figures again in our next update.", "Parents and carers helped us design this work.",
    "If you have a question about your child's plan, please contact your named caseworker.",
    "The figures below show where we are now.", "We will check that the changes are working before we say they are done.",
]
ACTIONS = [
    "recruited {a} more caseworkers", "cleared {b} overdue annual reviews", "ran {a} drop-in sessions for parents",
    "trained {b} SENCOs in writing outcomes", "opened {a} new specialist places", "published a new guide to transport",
    "answered {b} enquiries within five working days", "held {a} coffee mornings with the Parent Carer Forum",
    "visited {a} schools to look at their SEND support", "moved {b} families to a named contact",
]
MEASURES = [
    ("New EHCPs issued within 20 weeks", "%"), ("Annual reviews completed on time", "%"),
    ("Children waiting more than 18 weeks for therapy", ""), ("Complaints answered within 20 working days", "%"),
    ("Children without a school place", ""), ("Transport applications settled before term", "%"),
]
HEADINGS = [
    ("What we have done", "Progress since our last update"),
    ("The figures", "Where we are now"),
    ("What families told us", "What you said"),
    ("What happens next", "Our next steps"),
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
# All dates well in the past, spread over 15 years.
FIRST_DAY = dt.date(2010, 1, 1)
LAST_DAY = dt.date(2025, 6, 30)
TARGET_WORDS = 600


def page_name(i: int) -> str:
    return f"update-{i:05d}.md"


def _lower_first(text: str) -> str:
    # "The SEND service" -> "the SEND service", but keep acronyms like "SEND".
    return text[0].lower() + text[1:] if not text[:2].isupper() else text


def _sentence(rng: random.Random, topic: str) -> str:
    forms = [
        lambda: f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TIMES)}, "
                f"{rng.choice(REASONS)}.",
        lambda: f"{rng.choice(TIMES).capitalize()}, {_lower_first(rng.choice(SUBJECTS))} "
                f"{rng.choice(VERBS)} {topic}.",
        lambda: f"Out of {rng.randint(120, 900)} requests {rng.choice(TIMES)}, {rng.randint(40, 110)} were "
                f"finished late, compared with {rng.randint(60, 160)} the time before.",
        lambda: f"Families told us that {rng.choice(CONCERNS)}, so we have {rng.choice(RESPONSES)}.",
        lambda: f"{rng.choice(SUBJECTS)} will meet again {rng.choice(['next month', 'in the autumn', 'after half term'])} "
                f"to check that {rng.choice(OBJECTS)} is getting better.",
        lambda: rng.choice(CLOSERS),
    ]
    return rng.choice(forms)()


def _paragraph(rng: random.Random, topic: str, sentences: int = 4) -> str:
    return " ".join(_sentence(rng, topic) for _ in range(sentences))


def _bullets(rng: random.Random) -> str:
    items = rng.sample(ACTIONS, 5)
    return "\n".join("- We " + item.format(a=rng.randint(2, 12), b=rng.randint(20, 400)) + "."
                     for item in items)


def _table(rng: random.Random) -> str:
    rows = ["| Measure | Last update | This update |", "| --- | ---: | ---: |"]
    for label, unit in rng.sample(MEASURES, 4):
        before = rng.randint(20, 90) if unit else rng.randint(50, 400)
        after = before + rng.randint(-8, 15) if unit else max(0, before - rng.randint(-20, 60))
        rows.append(f"| {label} | {before}{unit} | {min(after, 100) if unit else after}{unit} |")
    return "\n".join(rows)


def _link_target(rng: random.Random, i: int) -> int:
    # Always an earlier page, so the target exists in every corpus size;
    # page 1 links forward to page 2 (corpus sizes are always >= 2).
    return rng.randint(1, i - 1) if i > 1 else 2


def _front_matter(rng: random.Random, i: int, topic: str, tag: str) -> tuple[str, dt.date]:
    day = FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
    tags = sorted({tag, *rng.sample(EXTRA_TAGS, rng.randint(0, 2))})
    # Plain YAML scalars without ": " so every peer's front-matter reader agrees.
    lines = [
        "---",
        f"title: Update on {topic}, {MONTHS[day.month - 1]} {day.year}",
        f"date: {day.isoformat()}",
        f"summary: What we have done on {topic} {rng.choice(TIMES)}, the latest figures and what happens next.",
        f"tags: [{', '.join(tags)}]",
        "---",
    ]
    return "\n".join(lines), day


def update_text(i: int) -> str:
    """The full Markdown source of update number i (1-based)."""
    rng = random.Random(SEED * 1_000_003 + i)
    topic, about, tag = rng.choice(TOPICS)
    front, _ = _front_matter(rng, i, topic, tag)
    done, figures, heard, nxt = (rng.choice(pair) for pair in HEADINGS)
    link = f"You can read our [previous update]({page_name(_link_target(rng, i))}) for the earlier figures."
    blocks = [
        f"This update is about {about}. " + _paragraph(rng, topic, 3),
        f"## {done}", _paragraph(rng, topic), _paragraph(rng, topic, 3), _bullets(rng),
        f"## {figures}",
        f"There are now {rng.randint(3000, 9000)} children and young people with an EHCP in the county. "
        + _paragraph(rng, topic, 2),
        _table(rng),
        f"## {heard}", _paragraph(rng, topic) + " " + link,
        f"## {nxt}", _paragraph(rng, topic),
    ]
    # Pad with paragraphs until the body is about TARGET_WORDS long.
    while len(" ".join(blocks).split()) < TARGET_WORDS - 15:
        blocks.append(_paragraph(rng, topic, 3))
    return front + "\n\n" + "\n\n".join(blocks) + "\n"


def write_update(site: Path, i: int) -> Path:
    path = site / "content" / "updates" / page_name(i)
    path.write_text(update_text(i), encoding="utf-8")
    return path


def _stamp(n: int) -> str:
    return f"generator={GENERATOR_VERSION} seed={SEED} pages={n}\n"


def ensure_corpus(site: Path, n: int) -> bool:
    """Create the n-page site at `site` unless an identical one is there.

    Returns True when it (re)generated the corpus.
    """
    if n < 2:
        raise ValueError("need at least 2 pages (pages link to each other)")
    stamp = site / STAMP_NAME
    if stamp.is_file() and stamp.read_text() == _stamp(n):
        return False
    if site.exists():
        shutil.rmtree(site)
    (site / "content" / "updates").mkdir(parents=True)
    (site / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    (site / "content" / "glossary.yml").write_text(GLOSSARY_YML, encoding="utf-8")
    for i in range(1, n + 1):
        write_update(site, i)
    # Written last: an interrupted generation leaves no stamp and is redone.
    stamp.write_text(_stamp(n))
    return True
