"""A seeded sequence of edits: after every one, the incremental build must equal a clean build.

The edits cover what comms officers and designers do: text, titles, links and headings,
new, deleted and renamed pages, drafts and future dates, tags and commitments, the
glossary, site.toml, attachments, an image pages show (same name, new bytes), and templates
(including one that reads the whole index).
Some edits break a page on purpose: then both builds must fail alike, and the published
output must stay as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from pathlib import Path

from builder.build import build
from builder.errors import BuildFailed
from tests.conftest import png_bytes, tree_bytes

STEPS = int(os.environ.get("LOCALOFFER_RANDOM_STEPS", "200"))
BILINGUAL_EXTRA = int(os.environ.get("LOCALOFFER_RANDOM_BILINGUAL_EDITS", "0"))  # after one edit of each kind
TODAY = dt.date(2025, 6, 1)
KIND_FOLDER = {"letter": "letters", "update": "updates", "news": "news"}


class Site:
    """The site as a model; only files whose text changed are written (so the build's
    size-and-time stamps see exactly the edits)."""

    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng, self.counter = root, rng, 0
        self.pages: dict[str, dict] = {}
        self.glossary = {"EHCP": "Education, Health and Care Plan", "SEND": "special educational needs and disabilities"}
        self.config = {"title": "Random site", "timeline_order": "oldest", "per_page": 2}
        self.templates: dict[str, str] = {}
        for n in range(3):
            self.pages[f"content/timeline/2019-0{n + 1}-event-{n}.md"] = dict(
                kind="event", title=f"Event {n}", date=f"2019-0{n + 1}", event="review", body="## Findings\n\nThey looked.\n")
        for kind in ("letter", "update", "news"):
            for n in range(2):
                self.add_page(kind)
        self.pages["content/commitments/plans.md"] = dict(kind="commitment", title="Plans on time",
                                                          source="2019-01-event-0", body="We promised.\n")
        self.pages["content/pages/faq.md"] = dict(kind="page", title="Questions", body="## Ask us\n\nWrite to us.\n")
        self.attachment = b"%PDF-1.4\n% a document\n"
        self.image = (0, 94, 165)  # the colour of content/updates/files/photo.png, which pages may show
        self.write()

    # --- the edits ------------------------------------------------------------------------

    def add_page(self, kind=None):
        kind = kind or self.rng.choice(list(KIND_FOLDER))
        self.counter += 1
        date = f"2020-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
        page = dict(kind=kind, title=f"{kind.title()} {self.counter}", date=date, summary=f"About {self.counter}.",
                    tags=self.rng.sample(["ehcp", "review", "plans"], self.rng.randint(0, 2)),
                    body=f"Some EHCP news number {self.counter}.\n\n## Section {self.counter}\n\nMore SEND text.\n")
        if kind == "letter":
            page["author"] = "Jo Example"
        self.pages[f"content/{KIND_FOLDER[kind]}/{date}-item-{self.counter}.md"] = page

    def articles(self):
        return [rel for rel, p in self.pages.items() if p["kind"] in KIND_FOLDER]

    def linked(self) -> set[str]:
        """Pages others link to, or that a commitment names: deleting or hiding them is an error."""
        found = {f"content/timeline/{p['source']}.md" for p in self.pages.values() if p["kind"] == "commitment"}
        for page in self.pages.values():
            found |= {target for target in page.get("links", ())}
        return found

    def edit(self, choice: str | None = None) -> str:
        rng, articles = self.rng, self.articles()
        unlinked = [rel for rel in articles if rel not in self.linked()]
        choice = choice or rng.choice(["body", "title", "summary", "link", "unlink", "heading", "draft", "future", "add",
                             "delete", "rename", "tags", "commitment", "glossary", "config", "attachment",
                             "image", "template", "index-template", "no-templates", "break"])
        page = self.pages[rng.choice(articles)]
        if choice == "body":
            page["body"] += f"\nAnother sentence {rng.randint(0, 999)}.\n"
        elif choice == "title":
            page["title"] = f"Retitled {rng.randint(0, 999)}"
        elif choice == "summary":
            page["summary"] = f"Summary {rng.randint(0, 999)}."
        elif choice == "link":
            target = rng.choice([rel for rel in self.pages if self.pages[rel].get("draft") is not True
                                 and not self.pages[rel].get("future")])
            page.setdefault("links", []).append(target)
        elif choice == "unlink" and page.get("links"):
            page["links"].pop()
        elif choice == "heading":
            page["body"] = page["body"].replace("## Section", "## Part", 1) if "## Section" in page["body"] \
                else page["body"].replace("## Part", "## Section", 1)
        elif choice == "draft" and unlinked:
            other = self.pages[rng.choice(unlinked)]
            other["draft"] = not other.get("draft", False)
        elif choice == "future" and unlinked:
            other = self.pages[rng.choice(unlinked)]
            other["future"] = not other.get("future", False)
        elif choice == "add":
            self.add_page()
        elif choice == "delete" and len(unlinked) > 2:
            del self.pages[rng.choice(unlinked)]
        elif choice == "rename" and unlinked:
            old = rng.choice(unlinked)
            self.counter += 1
            self.pages[old.replace(".md", f"-r{self.counter}.md")] = self.pages.pop(old)
        elif choice == "tags":
            page["tags"] = rng.sample(["ehcp", "review", "plans", "news"], rng.randint(0, 3))
        elif choice == "commitment":
            page["commitments"] = [] if page.get("commitments") else ["plans"]
        elif choice == "glossary":
            term = rng.choice(["EHCP", "SEND", "CQC"])
            if term in self.glossary and rng.random() < 0.3:
                del self.glossary[term]
            else:
                self.glossary[term] = f"Meaning {rng.randint(0, 99)}"
        elif choice == "config":
            key = rng.choice(["title", "timeline_order", "per_page"])
            self.config[key] = {"title": f"Site {rng.randint(0, 99)}", "timeline_order": rng.choice(["oldest", "newest"]),
                                "per_page": rng.randint(1, 4)}[key]
        elif choice == "attachment":
            self.attachment += b"% more\n"
            page["attach"] = True
        elif choice == "image":  # same name, new bytes (and size): its pages and sizes must follow
            self.image = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
            page["picture"] = True
        elif choice == "template":
            self.templates["base.html"] = _theme("base.html").replace("<body", f"<!-- {rng.randint(0, 999)} --><body", 1)
        elif choice == "index-template":
            self.templates["letter.html"] = (
                '{% extends "base.html" %}{% block content %}<h1>{{ page.title }}</h1>'
                "<p>{{ index.pages | length }} pages; latest {{ index.latest.title if index.latest else '' }}</p>"
                "{{ html | safe }}{% endblock %}")
        elif choice == "no-templates":
            self.templates = {}
        elif choice == "break":
            page["broken"] = not page.get("broken", False)
        self.write()
        return choice

    # --- files ----------------------------------------------------------------------------

    def files(self) -> dict:
        """Every file of the site: path -> text or bytes."""
        wanted = {"site.toml": _toml(self.config), "content/glossary.yml": "".join(
            f'{term}: "{meaning}"\n' for term, meaning in self.glossary.items())}
        wanted["content/updates/files/plan.pdf"] = self.attachment
        wanted["content/updates/files/photo.png"] = png_bytes(400 + sum(self.image), 300, self.image)
        for rel, page in self.pages.items():
            wanted[rel] = _markdown(rel, page)
        for name, text in self.templates.items():
            wanted[f"templates/{name}"] = text
        return wanted

    def write(self) -> None:
        wanted = self.files()
        for path in sorted(self.root.rglob("*"), reverse=True):
            rel = path.relative_to(self.root).as_posix()
            if rel.startswith((".cache", "output")) or rel in wanted:
                continue
            if not path.is_dir():
                path.unlink()
            elif not any(name.startswith(rel + "/") for name in wanted):
                path.rmdir()  # its files went first (the walk is in reverse order)
        for rel, data in wanted.items():
            path = self.root / rel
            data = data.encode() if isinstance(data, str) else data
            if not path.exists() or path.read_bytes() != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)


def _theme(name: str) -> str:
    from builder.render.templates import THEME_TEMPLATES

    return (THEME_TEMPLATES / name).read_text(encoding="utf-8")


def _toml(config: dict) -> str:
    return (f'title = "{config["title"]}"\nbase_url = "https://example.org/"\norganisation = "Test"\n'
            f'timeline_order = "{config["timeline_order"]}"\nper_page = {config["per_page"]}\n')


def _markdown(rel: str, page: dict) -> str:
    lines = ["---", f'title: "{page["title"]}"']
    date = page.get("date")
    if date and page.get("future"):
        date = "2099" + date[4:]
    if page.get("broken"):
        date = "31/02/2020"
    for key, value in (("date", date), ("event", page.get("event")), ("author", page.get("author")),
                       ("source", page.get("source")), ("summary", page.get("summary"))):
        if value:
            lines.append(f"{key}: {value}")
    if page.get("draft"):
        lines.append("draft: true")
    if page.get("tags"):
        lines.append(f"tags: [{', '.join(page['tags'])}]")
    if page.get("commitments"):
        lines.append(f"commitments: [{', '.join(page['commitments'])}]")
    if page.get("aliases"):
        lines.append(f"aliases: [{', '.join(page['aliases'])}]")
    lines += page.get("extra", ())  # front matter of the other kinds, written as it is
    if page.get("attach"):
        folder = rel.split("/")[1]
        lines.append(f'attachments: [{{title: "The plan", file: {"" if folder == "updates" else "../updates/"}files/plan.pdf}}]')
    lines.append("---")
    body = page["body"]
    if page.get("picture"):
        body += f"\n![A photo for {page['title']}]({os.path.relpath('content/updates/files/photo.png', os.path.dirname(rel))})\n"
    for target in page.get("links", ()):
        relative = os.path.relpath(target, os.path.dirname(rel))
        body += f"\nSee [{target.rsplit('/', 1)[-1]}]({relative}).\n"
    return "\n".join(lines) + "\n" + body


class BilingualSite(Site):
    """A site in English and Welsh (x.cy.md beside x.md) with a measure, "you said, we did"
    entries and Easy Read versions (x.easyread.md, x.cy.easyread.md). A Welsh page shares its
    original's fields (date, tags…) except its title and text, as a translation must."""

    EDITS = ("body", "title", "welsh-body", "welsh-title", "translate", "untranslate", "rename-welsh", "rename",
             "draft", "add", "delete", "alias", "measure-data", "feedback", "easyread", "welsh-easyread",
             "welsh-glossary", "config", "template")

    def __init__(self, root: Path, rng: random.Random):
        self.welsh: dict[str, dict] = {}  # original -> the Welsh title and text
        self.easy: dict[str, dict] = {}  # original -> its Easy Read text {"en": …, "cy": …}
        self.moving: tuple[str, str] | None = None  # a Welsh file renamed before its original
        self.figures = [["2022/23", 48], ["2023/24", 71]]
        self.welsh_glossary = {"CDU": "Cynllun datblygu unigol"}
        super().__init__(root, rng)  # its pages, then written once more below with the rest
        self.config["cy_title"] = "Safle ar hap"
        self.pages["content/measures/waits.md"] = dict(kind="measure", title="Plans on time", summary="How many.", extra=[
            'what: "The share of plans finished on time"', "unit: percent", "better: higher", "example: true",
            "updated: 2024-11-01"], body="Example figures.\n")
        self.pages["content/commitments/plans.md"]["extra"] = ["measures: [waits]"]
        self.pages["content/feedback/2020-06-01-meetings.md"] = dict(
            kind="feedback", title="Meetings", date="2020-06-01", summary="What parents said.", extra=[
                'you_said: "Meetings were arranged at short notice."', "came_from: survey", "heard: 2020-05",
                'we_did: "We give three weeks\' notice."', "status: done"], body="Thank you.\n")
        for rel in [rel for rel in self.pages if rel not in self.articles() and "/timeline/" not in rel] + self.articles()[:4]:
            self.welsh[rel] = {"title": f"Cymraeg {self.pages[rel]['title']}", "body": "Testun Cymraeg am CDU.\n"}
        for rel in self.pages:
            if rel.startswith("content/timeline/"):
                self.welsh[rel] = {"title": f"Digwyddiad {rel[-4]}", "body": "Fe wnaethon nhw edrych.\n"}
        letter = next(rel for rel in self.articles() if rel.startswith("content/letters/"))
        self.easy[letter] = {"en": "We wrote to you.\n", "cy": "Fe wnaethon ni ysgrifennu atoch.\n"}
        self.write()

    def files(self) -> dict:
        wanted = super().files()
        wanted["site.toml"] = (wanted["site.toml"] + 'languages = ["en-GB", "cy"]\n\n[translated.cy]\n'
                               f'title = "{self.config.get("cy_title", "Safle")}"\n')
        wanted["content/glossary.cy.yml"] = "".join(f'{term}: "{text}"\n' for term, text in self.welsh_glossary.items())
        wanted["content/measures/waits.csv"] = "period,value\n" + "".join(f"{p},{v}\n" for p, v in self.figures)
        for rel, words in self.welsh.items():
            welsh = {**self.pages[rel], **words, "aliases": ()}  # old addresses are kept on the original
            name = self.moving[1] if self.moving and self.moving[0] == rel else rel
            wanted[name.removesuffix(".md") + ".cy.md"] = _markdown(rel, welsh)
        for rel, text in self.easy.items():
            title = self.pages[rel]["title"]
            wanted[rel.removesuffix(".md") + ".easyread.md"] = _markdown(rel, {"title": f"{title}: Easy Read", "body": text["en"]})
            if "cy" in text and rel in self.welsh:
                wanted[rel.removesuffix(".md") + ".cy.easyread.md"] = _markdown(rel, {"title": "Hawdd ei Ddeall", "body": text["cy"]})
        return wanted

    def move(self, old: str, new: str) -> None:
        """An original and its versions get a new file name together."""
        self.pages[new] = self.pages.pop(old)
        for versions in (self.welsh, self.easy):
            if old in versions:
                versions[new] = versions.pop(old)

    def edit(self, choice: str | None = None) -> str:
        rng = self.rng
        if self.moving:  # the Welsh file was renamed first: now its original follows it
            self.move(*self.moving)
            self.moving = None
            self.write()
            return "rename-original"
        choice = choice or rng.choice(self.EDITS)
        articles = self.articles()
        unlinked = [rel for rel in articles if rel not in self.linked()]
        translated = [rel for rel in self.welsh if rel in articles]
        rel = rng.choice(articles)
        if choice == "template" and self.templates:
            # A site's own template may read the whole index, so while one is there every page is
            # rendered again on every build: it would hide a stale page, so it goes again.
            return super().edit("no-templates") and choice
        if choice in ("body", "title", "draft", "add", "template", "config"):
            return super().edit(choice)
        if choice == "welsh-body" and translated:
            self.welsh[rng.choice(translated)]["body"] += f"\nBrawddeg arall {rng.randint(0, 999)}.\n"
        elif choice == "welsh-title" and translated:
            self.welsh[rng.choice(translated)]["title"] = f"Teitl newydd {rng.randint(0, 999)}"
        elif choice == "translate" and (untranslated := [r for r in articles if r not in self.welsh]):
            self.welsh[rng.choice(untranslated)] = {"title": f"Cymraeg {rng.randint(0, 999)}", "body": "Testun.\n"}
        elif choice == "untranslate" and translated:
            del self.welsh[rng.choice(translated)]
        elif choice == "rename-welsh" and (movable := [r for r in translated if r in unlinked]):
            old = rng.choice(movable)  # the build fails (a translation without its original) until the next edit
            self.counter += 1
            self.moving = (old, old.replace(".md", f"-r{self.counter}.md"))
        elif choice == "rename" and unlinked:
            old = rng.choice(unlinked)
            self.counter += 1
            self.move(old, old.replace(".md", f"-r{self.counter}.md"))
        elif choice == "delete" and len(unlinked) > 2:
            old = rng.choice(unlinked)
            for versions in (self.pages, self.welsh, self.easy):
                versions.pop(old, None)
        elif choice == "alias":
            page = self.pages[rel]
            self.counter += 1
            page["aliases"] = () if page.get("aliases") else (f"/old-{self.counter}/",)
        elif choice == "measure-data":
            self.figures[rng.randrange(len(self.figures))][1] = rng.randint(0, 100)
        elif choice == "feedback":
            page = self.pages["content/feedback/2020-06-01-meetings.md"]
            page["extra"][-1] = f"status: {rng.choice(['done', 'in progress'])}"
            page["title"] = f"Meetings {rng.randint(0, 99)}"
        elif choice == "easyread":
            letter = rng.choice([r for r in articles if r.startswith("content/letters/")] or [None])
            if letter:
                self.easy.setdefault(letter, {"en": "We wrote.\n"})["en"] += "More words.\n"
        elif choice == "welsh-easyread" and self.easy:
            text = self.easy[rng.choice(sorted(self.easy))]
            text["cy"] = text.get("cy", "") + f"Geiriau {rng.randint(0, 99)}.\n"
        elif choice == "welsh-glossary":
            self.welsh_glossary["CDU"] = f"Ystyr {rng.randint(0, 99)}"
        self.write()
        return choice


def _build(site: Path, out: Path, **options):
    try:
        build(site, out, jobs=1, today=TODAY, **options)
        return None
    except BuildFailed as failure:
        return str(failure)


def test_two_hundred_random_edits_each_build_equals_a_clean_build(tmp_path):
    done = _run(Site(tmp_path / "site", random.Random(20261123)), tmp_path, STEPS)
    if STEPS >= 100:  # the sequence reached every kind of edit that matters most
        assert {"body", "rename", "delete", "template", "glossary", "config", "attachment", "image", "draft"} <= set(done)


def test_random_edits_of_a_bilingual_site_each_build_equals_a_clean_build(tmp_path):
    """Every bilingual edit once, in a seeded order, two at a time (a bilingual clean build is
    slow): a Welsh file renamed before its original is a step alone, whose build fails, and the
    next step moves the original after it."""
    rng = random.Random(20261203)
    site = BilingualSite(tmp_path / "site", rng)
    edits = rng.sample(BilingualSite.EDITS, len(BilingualSite.EDITS)) + [None] * BILINGUAL_EXTRA
    edits.remove("rename-welsh")
    steps = [edits[n:n + 2] for n in range(0, len(edits), 2)]
    steps.insert(rng.randrange(len(steps)), ["rename-welsh"])
    steps.insert(steps.index(["rename-welsh"]) + 1, [])  # whatever the model does next: the original follows
    steps.insert(steps.index(next(step for step in steps if "template" in step)) + 1, ["template"])  # and back
    done = _run(site, tmp_path, len(steps), iter(steps))
    assert set(BilingualSite.EDITS) | {"rename-original"} <= set(done)


def _run(site: Site, tmp_path: Path, steps: int, plan=None) -> list[str]:
    """plan: the edits of each step (a list of choices, None for one at random); by default
    one edit at random per step."""
    out = tmp_path / "out"
    assert _build(site.root, out) is None
    done: list[str] = []
    for step in range(steps):
        done += [site.edit(choice) for choice in next(plan) or [None]] if plan else [site.edit()]
        before = tree_bytes(out)
        failed = _build(site.root, out)
        clean_site = tmp_path / f"clean-{step}"
        shutil.copytree(site.root, clean_site, ignore=shutil.ignore_patterns(".cache", "output"))
        clean_failed = _build(clean_site, tmp_path / f"clean-out-{step}", use_cache=False)
        assert failed == clean_failed, f"step {step} ({done[-5:]}): incremental and clean builds disagree"
        if failed:
            assert tree_bytes(out) == before, f"step {step}: a failed build changed the output"
        else:
            assert tree_bytes(out) == tree_bytes(tmp_path / f"clean-out-{step}"), \
                f"step {step}: after {done[-5:]} the incremental build differs from a clean one"
        shutil.rmtree(clean_site)
        shutil.rmtree(tmp_path / f"clean-out-{step}", ignore_errors=True)
    return done
