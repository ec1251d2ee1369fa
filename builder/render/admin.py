"""The browser editor at /admin/: Decap CMS, configured from the builder's own content model.

`cms_config` turns the pydantic schemas in builder.content.validate (one per kind of page) into
Decap's config.yml: one collection per content folder, one form field per front-matter field,
with `required` exactly where the schema requires the field and the schema's own descriptions
as hints. A field added to a schema therefore appears in the editor without anyone editing this
file, and a test proves no field is left out.

The Decap script is shipped inside the package (builder/theme/admin/, pinned by
scripts/update-decap.sh) and loaded with its SRI hash, so /admin/ works on any static host,
offline, and never runs a script that was changed after it was pinned.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import typing
from pathlib import Path
from typing import Annotated, Literal

from builder.content.dates import PartialDate
from builder.content.discover import GLOSSARY_NAME, KIND_FOLDERS
from builder.content.glossary import LIST_KEY
from builder.content.model import DATED_KINDS, SECTIONS
from builder.render.admin_easyread import easy_read_collections
from builder.site.config import SiteConfig

ADMIN_DIR = Path(__file__).resolve().parent.parent / "theme" / "admin"
FOLDER = "admin"  # published at /admin/
MEDIA_FOLDER = "files"  # uploads go in a files folder next to the page, as the officers' guide advises

# Slugs: Decap's {{year}}-{{month}}-{{day}} read the date in UTC, so a letter dated 30 May
# written in British Summer Time would be named 2025-05-29-…; the date filter formats the
# field in the writer's own time zone instead.
FILE_NAMES = {"article": "{{fields.date | date('YYYY-MM-DD')}}-{{slug}}",
              "event": "{{fields.date | date('YYYY-MM')}}-{{slug}}",
              "plain": "{{slug}}"}
LABELS = {
    "by": "Who took part", "next_update": "Next letter expected", "source": "Asked for by (timeline event)",
    "event": "Type of event", "salutation": "Greeting", "role": "Job title", "updated": "Last important change",
    "slug": "Web address", "template": "Template (web designers only)", "draft": "Draft",
    "attachments": "Documents to download", "status": "Status history", "note": "Note",
    "commitments": "Commitments this reports on", "file": "File",
    "you_said": "You said", "came_from": "How we heard it", "heard": "When we heard it", "we_did": "We did",
}
# The order of the form: what every page needs first, settings for experts last.
ORDER = ("title", "date", "you_said", "came_from", "heard", "we_did",
         "event", "author", "role", "salutation", "next_update", "by", "outcome", "source",
         "status", "summary", "draft", "tags", "commitments", "attachments", "updated", "slug", "template")


def bundle() -> dict[str, str]:
    """The pinned Decap release: version, file name and SRI integrity (see update-decap.sh)."""
    return json.loads((ADMIN_DIR / "decap.json").read_text(encoding="utf-8"))


def integrity(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


# --- config.yml ----------------------------------------------------------------------------
# pydantic (through the schemas) and PyYAML are imported only when config.yml is made: an
# unchanged rebuild of a site without [editor] should not pay for them.

def cms_config(config: SiteConfig, *, proxy_url: str | None = None, site_url: str | None = None) -> dict:
    """Decap's configuration. With proxy_url (localoffer serve) it saves through the local
    backend at that address instead of the [editor] repository."""
    base = config.base_path
    result: dict = {"backend": _backend(config, proxy_url)}
    if proxy_url:
        result["local_backend"] = {"url": proxy_url}
    elif config.editor and config.editor.review:  # [editor] review = true: Draft, In review, Ready, then publish
        result["publish_mode"] = "editorial_workflow"
    result.update({
        "site_url": site_url or config.base_url, "display_url": site_url or config.base_url,
        "locale": "en", "show_preview_links": True, "search": True,
        "media_folder": f"content/{MEDIA_FOLDER}", "public_folder": f"{base}{MEDIA_FOLDER}",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [_collection(folder, kind) for folder, kind in KIND_FOLDERS.items()] + [_glossary()]
        + easy_read_collections(_field),
    })
    return result


def config_yaml(config: SiteConfig, **options) -> str:
    import yaml

    header = "# Made by localoffer from its content model: do not edit; it is rewritten by every build.\n"
    return header + yaml.safe_dump(cms_config(config, **options), sort_keys=False, allow_unicode=True, width=100)


def _backend(config: SiteConfig, proxy_url: str | None) -> dict:
    editor = config.editor
    if proxy_url:
        return {"name": "proxy", "proxy_url": proxy_url, "branch": editor.branch if editor else "main"}
    if editor is None:
        raise ValueError("the published editor needs an [editor] table in site.toml")
    found = {"name": editor.backend, "repo": editor.repo, "branch": editor.branch}
    if editor.backend == "gitlab":
        found.update(auth_type="pkce", app_id=editor.app_id)
    for key in ("base_url", "auth_endpoint", "api_root"):
        if getattr(editor, key):
            found[key] = getattr(editor, key)
    return found


def _collection(folder: str, kind: str) -> dict:
    from builder.content import validate as schema

    model = schema.SCHEMAS[kind]
    file_names = "article" if kind in DATED_KINDS else "event" if kind == "event" else "plain"
    section = SECTIONS[kind][0]
    fields = [_field(name, info) for name, info in _ordered(model.model_fields)]
    fields.append({"name": "body", "label": "Text", "widget": "markdown", "required": False,
                   "hint": "The text of the page. Start each section with a heading (Heading 2). "
                           "Do not repeat the title" + (", the greeting or the signature." if kind == "letter" else ".")})
    dated = "date" in model.model_fields
    found = {
        "name": folder, "label": SECTIONS[kind][1] if kind != "page" else "Standing pages",
        "label_singular": {"event": "Timeline event", "page": "Standing page", "news": "News item",
                           "update": "Progress update", "feedback": "You said, we did entry"}.get(kind, kind.capitalize()),
        "folder": f"content/{folder}", "extension": "md", "format": "frontmatter", "create": True,
        "slug": FILE_NAMES[file_names], "identifier_field": "title",
        "media_folder": MEDIA_FOLDER, "public_folder": MEDIA_FOLDER,
        "preview_path": f"{section}/{{{{slug}}}}/" if section else "{{slug}}/",
        "summary": ("{{fields.date}}: {{title}}" if dated else "{{title}}") + "{{draft | ternary(' (draft)', '')}}",
        "sortable_fields": (["date"] if dated else []) + ["title"],
        "view_filters": [{"label": "Drafts", "field": "draft", "pattern": True}],
        "fields": fields,
    }
    return found


def _ordered(fields: dict) -> list[tuple[str, object]]:
    rank = {name: n for n, name in enumerate(ORDER)}
    return sorted(fields.items(), key=lambda item: rank.get(item[0], len(ORDER)))


def _field(name: str, info) -> dict:
    """One form field from one pydantic FieldInfo."""
    # A schema's own title wins: "status" is a history on commitments but one value elsewhere.
    found = {"name": name, "label": info.title or LABELS.get(name, name.replace("_", " ").capitalize()),
             "required": info.is_required()}
    found.update(_widget(name, info))
    if info.description:
        found["hint"] = info.description
    return found


def _widget(name: str, info) -> dict:
    """The Decap widget for one schema field: from its name where the type cannot say what the
    value refers to (a commitment, an event, a file), otherwise from its type."""
    from pydantic import BaseModel

    from builder.content import validate as schema

    if name in ("commitments", "measures"):
        return {"widget": "relation", "collection": name, "value_field": "{{slug}}",
                "search_fields": ["title"], "display_fields": ["title"], "multiple": True}
    annotation, validators = _unwrap(info)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):  # a measure's target, source
        return {"widget": "object", "collapsed": False,
                "fields": [_field(sub, sub_info) for sub, sub_info in annotation.model_fields.items()]}
    if annotation is float:
        return {"widget": "number", "value_type": "float"}
    if name == "period":  # a measure's figure: its period, then numbers
        return {"widget": "string"}
    if name in ("value", "comparison") and annotation is typing.Any:
        return {"widget": "number", "value_type": "float"}
    if name == "source":
        return {"widget": "relation", "collection": "timeline", "value_field": "{{slug}}",
                "search_fields": ["title"], "display_fields": ["title"]}
    if name == "file":
        return {"widget": "file", "choose_url": False}
    if name == "slug":
        return {"widget": "string", "pattern": [schema._SLUG.pattern, "Use only lower-case letters, digits and single hyphens"]}
    if name in ("summary", "note", "you_said", "we_did"):
        return {"widget": "text"}
    if typing.get_origin(annotation) is Literal:
        return {"widget": "select", "options": list(typing.get_args(annotation))}
    if annotation is PartialDate and schema._full_date in validators:
        # A date input that saves YYYY-MM-DD, as the builder reads it.
        return {"widget": "datetime", "date_format": "YYYY-MM-DD", "time_format": False, "format": "YYYY-MM-DD"}
    if annotation is PartialDate:  # a month, or a full date
        return {"widget": "string", "pattern": [r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$",
                                                "Write it as YYYY-MM (for example 2025-05) or YYYY-MM-DD"]}
    if annotation is bool:
        return {"widget": "boolean", "default": info.default if isinstance(info.default, bool) else False}
    if typing.get_origin(annotation) is list:
        item = typing.get_args(annotation)[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            return {"widget": "list", "collapsed": False,
                    "fields": [_field(sub, sub_info) for sub, sub_info in item.model_fields.items()]}
        return {"widget": "list"}
    if annotation is str:
        return {"widget": "string"}
    raise TypeError(f"no editor widget for the field {name!r} ({annotation!r}): add one in builder/render/admin.py")


def _unwrap(info) -> tuple[object, set]:
    """The field's type without `| None`, and the functions of its BeforeValidators."""
    from pydantic import BeforeValidator

    annotation, metadata = info.annotation, list(info.metadata)
    args = typing.get_args(annotation)
    if type(None) in args:
        annotation = next(arg for arg in args if arg is not type(None))
        if typing.get_origin(annotation) is Annotated:
            metadata += list(annotation.__metadata__)
            annotation = typing.get_args(annotation)[0]
    return annotation, {m.func for m in metadata if isinstance(m, BeforeValidator)}


def _glossary() -> dict:
    return {"name": "glossary", "label": "Words we use (glossary)", "editor": {"preview": False},
            "files": [{"name": "glossary", "label": "Words we use", "file": f"content/{GLOSSARY_NAME}",
                       "format": "yml", "fields": [{
                           "name": LIST_KEY, "label": "Terms", "widget": "list", "required": False,
                           "summary": "{{fields.term}}: {{fields.meaning}}",
                           "hint": "Short forms used on the site and what they stand for. Each is explained "
                                   "the first time it appears on a page, and listed on the Words we use page.",
                           "fields": [
                               {"name": "term", "label": "Term", "widget": "string",
                                "hint": "Exactly as it is written in the text, for example EHCP."},
                               {"name": "meaning", "label": "What it means", "widget": "string",
                                "hint": "For example: Education, Health and Care Plan."}]}]}]}


# --- the page and its files ----------------------------------------------------------------

def admin_page(config: SiteConfig) -> str:
    """/admin/index.html: no inline script or style, so it works under a strict
    Content-Security-Policy; the noscript text says what to do without JavaScript."""
    pinned = bundle()
    preview = (ADMIN_DIR / "preview.js").read_bytes()
    status = (ADMIN_DIR / "status.js").read_bytes()  # the last publishing run's result (commands/status.py)
    collections = (ADMIN_DIR / "collections.js").read_bytes()  # Easy Read files only in their own collections
    title = html.escape(f"Editor: {config.title}")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{title}</title>
<link rel="cms-config-url" type="text/yaml" href="config.yml">
</head>
<body>
<noscript>
<h1>{title}</h1>
<p>The editor needs JavaScript, which is turned off in this browser. Turn it on and reload
this page, or edit the files in the site's content folder as the builder's guide for comms officers (docs/comms-officers.md) explains.</p>
</noscript>
<script src="{pinned['file']}" integrity="{pinned['integrity']}" crossorigin="anonymous"></script>
<script src="collections.js" integrity="{integrity(collections)}" crossorigin="anonymous"></script>
<script src="preview.js" integrity="{integrity(preview)}" crossorigin="anonymous"></script>
<script src="status.js" integrity="{integrity(status)}" crossorigin="anonymous"></script>
</body>
</html>
"""


def static_files() -> dict[str, Path]:
    """The editor's fixed files: the pinned script, its licences and the preview script."""
    pinned = bundle()
    names = [pinned["file"], pinned["file"] + ".LICENSE.txt", "LICENSE-decap-cms.txt", "preview.js", "status.js",
             "collections.js"]
    return {f"{FOLDER}/{name}": ADMIN_DIR / name for name in names}


def admin_files(config: SiteConfig, work_dir: Path) -> dict[str, Path]:
    """Output path -> file for /admin/, or nothing when site.toml has no [editor] table (the
    published site then has no editor; `localoffer serve` still offers the local one).
    The generated files are written into work_dir (the build cache) only when they change."""
    if config.editor is None:
        return {}
    found = static_files()
    for name, text in (("index.html", admin_page(config)), ("config.yml", config_yaml(config))):
        path = work_dir / name
        data = text.encode("utf-8")
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        found[f"{FOLDER}/{name}"] = path
    return found
