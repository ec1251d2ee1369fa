"""The browser editor's Easy Read collections (builder.render.admin): one per content folder,
holding that folder's NAME.easyread.md files (builder.site.easyread).

Decap names a new file from a template of its fields; an Easy Read file must be named like the
page it is a version of, so its file name is made from its slug field, which the form asks for
(the standard page's file name without .md) and which is the standard page's address too.
"""

from __future__ import annotations

from builder.content.discover import EASY_READ_SUFFIX, KIND_FOLDERS
from builder.content.model import SECTIONS

SLUG_HINT = ("The file name of the page this is the Easy Read version of, without .md, for example "
             "2022-07-01-open-letter. The Easy Read page is published at that page's address with easy-read/ after it.")
BODY_HINT = ("One idea in each row: put a picture on its own line, then one or two short sentences under it. "
             "Keep each sentence to 15 words or fewer, and describe every picture.")


def easy_read_collections(field) -> list[dict]:
    """field: builder.render.admin._field, which makes one form field from a schema field."""
    from builder.content.validate import EASY_READ_PATH, SCHEMAS  # pydantic: only when the editor is made

    model = SCHEMAS["easyread"]
    found = []
    for folder, kind in KIND_FOLDERS.items():
        fields = []
        for name, info in model.model_fields.items():
            made = field(name, info)
            if name == "slug":  # it names the file: see the module's docstring
                made.update(required=True, label="Page it is a version of", hint=SLUG_HINT)
            fields.append(made)
        fields.append({"name": "body", "label": "Text", "widget": "markdown", "required": False, "hint": BODY_HINT})
        section = SECTIONS[kind][0]
        found.append({
            "name": f"{folder}-easy-read", "label": f"Easy Read: {SECTIONS[kind][1] if kind != 'page' else 'Standing pages'}",
            "label_singular": "Easy Read page", "folder": f"content/{folder}",
            "extension": EASY_READ_SUFFIX.lstrip("."), "format": "frontmatter", "create": True,
            "slug": "{{fields.slug}}", "identifier_field": "title",
            "media_folder": "files", "public_folder": "files",
            "preview_path": (f"{section}/" if section else "") + "{{slug}}/" + EASY_READ_PATH,
            "summary": "{{title}}{{draft | ternary(' (draft)', '')}}", "sortable_fields": ["title"],
            "fields": fields,
        })
    return found
