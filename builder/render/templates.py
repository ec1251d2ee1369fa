"""The Jinja environment: the site's own templates over the default theme's, the helpers
templates may call, and rendering one planned Output to text."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta as jinja_meta
from markupsafe import Markup

from builder.content.attachments import human_size
from builder.content.dates import parse_date
from builder.content.feedback import LABELS as FEEDBACK_LABELS
from builder.content.model import EVENT_LABELS, KIND_LABELS, STATUS_LABELS, Page
from builder.errors import ContentError, did_you_mean
from builder.incremental.reads import CARD_FIELDS, Reads, Recorder, RecordingIndex
from builder.i18n import LOCALE_DIR, catalogue_digest, format_date, load_translations
from builder.render.assets import theme_assets
from builder.render.search_words import plural_words
from builder.site.topics import topic_html
from builder.render.measures import install as install_measures
from builder.render.plan.common import Output
from builder.site.index import SiteIndex


THEME_TEMPLATES = Path(__file__).parent.parent / "theme" / "templates"


def nav_items(base: str, gettext=lambda text: text) -> list[dict]:
    _ = gettext
    return [
        {"key": "home", "url": base, "label": _("Home"), "description": ""},
        {"key": "timeline", "url": f"{base}timeline/", "label": _("Timeline"),
         "description": _("Every inspection, review and meeting, and what followed.")},
        {"key": "updates", "url": f"{base}updates/", "label": _("Progress updates"),
         "description": _("What has been done, and what is next.")},
        {"key": "letters", "url": f"{base}letters/", "label": _("Letters"),
         "description": _("Open letters to parents and carers.")},
        {"key": "news", "url": f"{base}news/", "label": _("News"), "description": _("Press releases.")},
        {"key": "commitments", "url": f"{base}commitments/", "label": _("Commitments"),
         "description": _("Each thing inspectors asked to improve, and its progress.")},
        # Only on a site with measures (base.html and home.html skip an item whose kind has no page).
        {"key": "measures", "url": f"{base}measures/", "label": _("Is it getting better?"), "kind": "measure",
         "description": _("Measures: the figures that show whether support is improving.")},
        {"key": "you-said-we-did", "url": f"{base}you-said-we-did/", "label": _("You said, we did"),
         "description": _("What families told us, and what we did about it.")},
    ]


def status_text(commitment: Page, gettext=lambda text: text, language: str = "en-GB") -> str:
    _ = gettext
    current = commitment.current_status
    if current is None:
        return _("Status not yet published")
    return _("%(status)s (as of %(date)s)") % {"status": _(STATUS_LABELS[current.status]),
                                                "date": format_date(current.date, language)}


def file_size(size: int, translations) -> str:
    """GOV.UK style, in the page's language: 245 KB, 1.2 MB, 300 bytes."""
    if size < 1024:
        return translations.ngettext("%(num)d byte", "%(num)d bytes", size) % {"num": size}
    return human_size(size)  # KB and MB are written the same way in English and Welsh


def template_gettext(translations) -> Any:
    """The gettext templates call, as jinja2.ext.i18n's newstyle one behaves (the translation
    is a format string, its variables escaped when autoescaping), for a quarter of the time:
    that one is reached through the `_` alias, which looks it up in the context and calls it
    through the context, and then calls the catalogue through the context too. A message
    without variables gives the same Markup every time, so it is made once per renderer."""
    @functools.lru_cache(maxsize=None)
    def fixed(message: str) -> Markup:
        return Markup(translations.gettext(message)) % {}

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
        if not context.eval_ctx.autoescape:
            return translations.gettext(message) % variables
        return Markup(translations.gettext(message)) % variables if variables else fixed(message)

    return gettext


def _govdate(value: Any, language: str = "en-GB") -> str:
    try:
        return format_date(parse_date(value, allow_month=True), language)
    except ValueError:
        return str(value)


class RecordingEnvironment(jinja2.Environment):
    """A Jinja environment that tells its recorder which fields of a page a template reads
    (builder.incremental.reads): a template reads everything through these two methods."""

    def __init__(self, recorder: Recorder, **options: Any):
        super().__init__(**options)
        self.recorder = recorder

    def getattr(self, obj: Any, attribute: str) -> Any:
        if obj.__class__ is Page:  # Recorder.page_field, written out: this runs for every field shown
            reads = self.recorder.reads
            if reads is not None and attribute not in CARD_FIELDS:
                reads.shown.add(obj.source)
        try:  # Jinja's own first step, here to spare the common case a call (templates do this a lot)
            return getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if obj.__class__ is Page and isinstance(argument, str):
            self.recorder.page_field(obj, argument)
        return super().getitem(obj, argument)


class TemplateRenderer:
    """A Jinja environment over the site's own templates, then the default theme's."""

    def __init__(self, site_dir: Path, index: SiteIndex, glossary: dict[str, str], compiled: Path | None = None, *,
                 language: str | None = None, locale_dir: Path = LOCALE_DIR, cache_dir: Path | None = None,
                 root: str | None = None):
        """compiled: a folder where compiled templates are kept between builds (keyed by the
        template's text, so an edited template is always compiled again).
        language: the catalogue and date format to use; site.toml's `language` by default.
        cache_dir: where the compiled catalogue may be kept between builds.
        root: the path of the whole site, where the theme's files are (index.config's base
        path by default; a language's pages on a bilingual site live in a folder under it)."""
        site_templates = site_dir / "templates"
        loaders = [jinja2.FileSystemLoader(str(site_templates))] if site_templates.is_dir() else []
        loaders.append(jinja2.FileSystemLoader(str(THEME_TEMPLATES)))
        self.site_templates = site_templates
        self.recorder = Recorder()
        self.env = RecordingEnvironment(self.recorder,
            loader=jinja2.ChoiceLoader(loaders), autoescape=True, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            auto_reload=False,  # templates cannot change during one build; skip a stat per page
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
            extensions=["jinja2.ext.i18n"],
        )
        config = index.config
        index = RecordingIndex(index, self.recorder)  # what templates look up is recorded
        root = root or config.base_path
        self.language = language = language or config.language
        self.translations = load_translations(language, locale_dir, cache_dir)
        # {% trans %} blocks are written across lines; trimmed joins them as one sentence.
        self.env.policies["ext.i18n.trimmed"] = True
        self.env.install_gettext_translations(self.translations, newstyle=True)
        # `_` and {% trans %} are called about 15 times on every page, mostly with the same words.
        self.env.globals["_"] = self.env.globals["gettext"] = template_gettext(self.translations)
        _ = self.translations.gettext
        self.assets = theme_assets(site_dir)
        # What every page shows besides its template and content: the catalogue's words and the
        # theme's fingerprinted file names. The build cache renders again when it changes.
        self.theme_key = (catalogue_digest(language, locale_dir), tuple(sorted(self.assets.paths.items())))
        self.env.filters.update(filesize=lambda size: file_size(size, self.translations), govdate=lambda value: _govdate(value, language),
                                localdate=lambda d: format_date(d, language))
        # Helpers given a page read only what is on its card (reads.CARD_FIELDS); anything they
        # look up goes through `index`, so the build cache records it.
        self.env.globals.update(
            site=config, index=index, glossary=glossary, base=config.base_path, language=language,
            nav=nav_items(config.base_path, _),
            event_label=lambda e: _(EVENT_LABELS[e]) if e in EVENT_LABELS else e.capitalize(),
            kind_label=lambda kind: _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind.capitalize(),
            status_label=lambda status: _(STATUS_LABELS[status]) if status in STATUS_LABELS else status.capitalize(),
            # A topic's label, in a <span lang> when it is not in the page's language.
            tag_label=functools.partial(topic_html, config=config, language=language, glossary=glossary),
            event_by_slug=lambda slug: next((p for p in index.kind("event") if p.slug == slug), None),
            status_text=lambda commitment: status_text(commitment, _, language),
            feedback_label=lambda which, value: _(FEEDBACK_LABELS[which][value]),
            absolute=lambda path: config.base_url.rstrip("/") + "/" + path.lstrip("/"),
            asset=lambda name: self.assets.url(root, name), root=root,
            alternates=(), language_switch=(),  # bilingual sites: builder/render/languages.py
            breadcrumbs=[], description="", section="", page_title="",
            plural_words=functools.partial(plural_words, self.translations),  # search.js's counts
        )
        install_measures(self.env, index, {}, self.translations, language)  # charts: build.add_charts

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

    def render_recorded(self, output: Output) -> tuple[str, tuple]:
        """The output's text, and what rendering it read of the site (builder.incremental.reads)."""
        self.recorder.reads = Reads()
        try:
            return self.render(output), self.recorder.reads.frozen()
        finally:
            self.recorder.reads = None

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


def static_files(site_dir: Path, sources, assets) -> dict[str, Path]:
    """Output path -> file for everything published as it is: the theme's assets (under
    fingerprinted names), then the site's own files under content/."""
    files = assets.files()
    files.update({s.rel.removeprefix("content/"): site_dir / s.rel for s in sources if s.kind == "static"})
    return files
