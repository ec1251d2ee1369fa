"""The Jinja environment: the site's own templates over the default theme's, the helpers
templates may call, and rendering one planned Output to text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta as jinja_meta

from builder.content.attachments import human_size
from builder.content.dates import parse_date
from builder.content.model import EVENT_LABELS, Page
from builder.errors import ContentError, did_you_mean
from builder.site.index import SiteIndex

THEME_TEMPLATES = Path(__file__).parent.parent / "theme" / "templates"
THEME_STATIC = Path(__file__).parent.parent / "theme" / "static"


def nav_items(base: str) -> list[dict]:
    return [
        {"key": "home", "url": base, "label": "Home", "description": ""},
        {"key": "timeline", "url": f"{base}timeline/", "label": "Timeline",
         "description": "Every inspection, review and meeting, and what followed."},
        {"key": "updates", "url": f"{base}updates/", "label": "Progress updates",
         "description": "What has been done, and what is next."},
        {"key": "letters", "url": f"{base}letters/", "label": "Letters",
         "description": "Open letters to parents and carers."},
        {"key": "news", "url": f"{base}news/", "label": "News", "description": "Press releases."},
        {"key": "commitments", "url": f"{base}commitments/", "label": "Commitments",
         "description": "Each thing inspectors asked to improve, and its progress."},
    ]


def tag_label(tag: str, glossary: dict[str, str] | None = None) -> str:
    """ehcp-reviews -> "EHCP reviews": words that are glossary terms keep their capitals."""
    terms = {term.lower(): term for term in (glossary or {})}
    words = [terms.get(word, word) for word in tag.split("-")]
    if words and words[0] == words[0].lower():
        words[0] = words[0].capitalize()
    return " ".join(words)


def status_text(commitment: Page) -> str:
    current = commitment.current_status
    if current is None:
        return "Status not yet published"
    return f"{current.status.capitalize()} (as of {current.date.display})"


def _govdate(value: Any) -> str:
    try:
        return parse_date(value, allow_month=True).display
    except ValueError:
        return str(value)


class TemplateRenderer:
    """A Jinja environment over the site's own templates, then the default theme's."""

    def __init__(self, site_dir: Path, index: SiteIndex, glossary: dict[str, str], compiled: Path | None = None):
        """compiled: a folder where compiled templates are kept between builds (keyed by the
        template's text, so an edited template is always compiled again)."""
        site_templates = site_dir / "templates"
        loaders = [jinja2.FileSystemLoader(str(site_templates))] if site_templates.is_dir() else []
        loaders.append(jinja2.FileSystemLoader(str(THEME_TEMPLATES)))
        self.site_templates = site_templates
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders), autoescape=True, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            auto_reload=False,  # templates cannot change during one build; skip a stat per page
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
        )
        config = index.config
        events = {p.slug: p for p in index.kind("event")}
        self.env.filters.update(filesize=human_size, govdate=_govdate)
        self.env.globals.update(
            site=config, index=index, glossary=glossary, base=config.base_path,
            nav=nav_items(config.base_path), event_label=lambda e: EVENT_LABELS.get(e, e.capitalize()),
            tag_label=lambda tag: tag_label(tag, glossary), status_text=status_text, event_by_slug=events.get,
            absolute=lambda path: config.base_url.rstrip("/") + "/" + path.lstrip("/"),
            breadcrumbs=[], description="", section="", page_title="",
        )

    def template_sources(self) -> dict[str, str]:
        """name -> text of every template the site can use (site's own override the theme's)."""
        found = {}
        for name in self.env.list_templates(extensions=["html", "xml", "txt"]):
            source, _, _ = self.env.loader.get_source(self.env, name)
            found[name] = source
        return found

    def dependencies(self) -> dict[str, frozenset[str]]:
        """name -> every template it extends, includes or imports, found statically, transitively."""
        sources = self.template_sources()
        direct = {}
        for name, source in sources.items():
            try:
                refs = jinja_meta.find_referenced_templates(self.env.parse(source))
                direct[name] = {r for r in refs if r}
            except jinja2.TemplateSyntaxError:
                direct[name] = set()
        closed = {}
        for name in direct:
            seen, todo = {name}, [name]
            while todo:
                for ref in direct.get(todo.pop(), ()):
                    if ref not in seen:
                        seen.add(ref)
                        todo.append(ref)
            closed[name] = frozenset(seen)
        return closed

    def render(self, output: Output) -> str:
        context = dict(output.context)
        context.setdefault("path", "/" + output.path.removesuffix("index.html"))
        try:
            return self.env.get_template(output.template).render(context)
        except jinja2.TemplateSyntaxError as problem:
            raise ContentError(self._rel(problem.filename, problem.name), f"template error: {problem.message}",
                               problem.lineno, "check the {% %} and {{ }} tags on that line") from None
        except jinja2.UndefinedError as problem:
            raise ContentError(f"templates/{output.template}", f"template uses something that does not exist: {problem.message}",
                               None, "check the variable names used in the template") from None
        except jinja2.TemplateNotFound as problem:
            raise ContentError(f"templates/{output.template}", f'template "{problem.name}" was not found.'
                               + did_you_mean(problem.name, self.env.list_templates()),
                               None, "check the template's name") from None

    def unknown_templates(self, pages: list[Page]) -> list[ContentError]:
        """Pages whose template: field names a template that does not exist."""
        names = self.env.list_templates(extensions=["html"])
        return [ContentError(p.source, f'there is no template called "{p.template}".' + did_you_mean(p.template, names),
                             p.line_of("template"), "remove the template: field to use the normal one, or check its name in templates/")
                for p in pages if p.template and p.template not in names]

    def _rel(self, filename: str | None, name: str | None) -> str:
        if filename and filename.startswith(str(self.site_templates)):
            return "templates/" + Path(filename).relative_to(self.site_templates).as_posix()
        return f"templates/{name}" if name else "templates"


def static_files(site_dir: Path, sources) -> dict[str, Path]:
    """Output path -> file for everything published as it is: the theme's assets, then the
    site's own files under content/ (which win, so content/assets/style.css replaces the theme's)."""
    files = {f"assets/{item.name}": item for item in sorted(THEME_STATIC.iterdir())}
    files.update({s.rel.removeprefix("content/"): site_dir / s.rel for s in sources if s.kind == "static"})
    return files
