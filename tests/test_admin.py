"""/admin/: the Decap CMS config generated from the content schemas, the page, and [editor]."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
import yaml
from bs4 import BeautifulSoup

from builder.build import build
from builder.content.discover import KIND_FOLDERS
from builder.content.model import EVENT_TYPES, STATUSES
from builder.content.validate import SCHEMAS
from builder.errors import BuildFailed
from builder.render import admin
from builder.site.config import load_config
from tests.conftest import LETTER, MINIMAL_CONFIG

EDITOR = MINIMAL_CONFIG + '\n[editor]\nbackend = "github"\nrepo = "council-web/send-progress"\nbase_url = "https://auth.example.org"\n'
GITLAB = MINIMAL_CONFIG + '\n[editor]\nbackend = "gitlab"\nrepo = "council/web/send"\napp_id = "abc123"\nbranch = "live"\n'


@pytest.fixture
def config(make_site):
    return load_config(make_site({}, EDITOR))


def _collections(config, **options):
    # Through YAML and back, as Decap reads it.
    return {c["name"]: c for c in yaml.safe_load(admin.config_yaml(config, **options))["collections"]}


def _fields(fields, prefix=""):
    found = {}
    for field in fields:
        found[prefix + field["name"]] = field
        found.update(_fields(field.get("fields", []), prefix + field["name"] + "."))
    return found


def _schema_fields(model, prefix=""):
    found = {}
    for name, info in model.model_fields.items():
        found[prefix + name] = info.is_required()
        item = (getattr(info.annotation, "__args__", None) or [None])[0]
        if isinstance(item, type) and hasattr(item, "model_fields"):
            found.update(_schema_fields(item, prefix + name + "."))
    return found


def test_every_schema_field_of_every_kind_is_in_the_editor_with_its_required_flag(config):
    collections = _collections(config)
    for folder, kind in KIND_FOLDERS.items():
        fields = _fields(collections[folder]["fields"])
        expected = _schema_fields(SCHEMAS[kind])
        assert {"attachments.title", "attachments.file"} <= set(expected)  # nested models are walked
        for name, required in expected.items():
            assert name in fields, f"{folder}: the field {name} is missing from the editor"
            assert fields[name]["required"] is required, f"{folder}.{name}: required should be {required}"
            assert fields[name]["label"] and fields[name].get("hint"), f"{folder}.{name} has no label or hint"
        assert set(fields) - set(expected) == {"body"}, f"{folder}: fields the builder does not know"


def test_collections_match_the_content_folders_and_file_names(config):
    collections = _collections(config)
    easy_read = [f"{folder}-easy-read" for folder in KIND_FOLDERS]  # builder/render/admin_easyread.py
    assert list(collections) == list(KIND_FOLDERS) + ["glossary"] + easy_read
    for folder in KIND_FOLDERS:
        assert collections[folder]["folder"] == f"content/{folder}"
        assert collections[folder]["create"] is True and collections[folder]["extension"] == "md"
    for folder in ("letters", "updates", "news"):
        assert collections[folder]["slug"] == "{{fields.date | date('YYYY-MM-DD')}}-{{slug}}"
    assert collections["timeline"]["slug"] == "{{fields.date | date('YYYY-MM')}}-{{slug}}"
    assert collections["pages"]["slug"] == collections["commitments"]["slug"] == "{{slug}}"
    assert collections["pages"]["preview_path"] == "{{slug}}/"
    assert collections["letters"]["preview_path"] == "letters/{{slug}}/"


def test_widgets_fit_the_fields(config):
    letters = _fields(_collections(config)["letters"]["fields"])
    timeline = _fields(_collections(config)["timeline"]["fields"])
    commitments = _fields(_collections(config)["commitments"]["fields"])
    assert letters["date"]["widget"] == "datetime" and letters["date"]["format"] == "YYYY-MM-DD"
    assert letters["date"]["time_format"] is False
    assert letters["next_update"]["widget"] == "string"  # a month: 2025-07
    pattern = letters["next_update"]["pattern"][0]
    assert all(re.match(pattern, ok) for ok in ("2025-07", "2025-07-31"))
    assert not any(re.match(pattern, bad) for bad in ("2025-13", "07/2025", "2025-7"))
    assert timeline["date"]["widget"] == "string" and timeline["date"]["pattern"][0] == pattern
    assert timeline["event"] == {**timeline["event"], "widget": "select", "options": list(EVENT_TYPES)}
    assert commitments["status.status"]["options"] == list(STATUSES)
    assert letters["tags"]["widget"] == "list" and timeline["by"]["widget"] == "list"
    assert letters["commitments"]["widget"] == "relation" and letters["commitments"]["collection"] == "commitments"
    assert letters["commitments"]["multiple"] is True and letters["commitments"]["value_field"] == "{{slug}}"
    assert commitments["source"]["widget"] == "relation" and commitments["source"]["collection"] == "timeline"
    assert letters["attachments.file"]["widget"] == "file"
    assert letters["draft"]["widget"] == "boolean"
    assert letters["body"]["widget"] == "markdown"


def test_the_glossary_is_edited_as_a_list_of_terms(config):
    glossary = _collections(config)["glossary"]["files"][0]
    assert glossary["file"] == "content/glossary.yml"
    terms = glossary["fields"][0]
    assert terms["name"] == "terms" and [f["name"] for f in terms["fields"]] == ["term", "meaning"]


def test_backends(make_site, config):
    assert yaml.safe_load(admin.config_yaml(config))["backend"] == {
        "name": "github", "repo": "council-web/send-progress", "branch": "main", "base_url": "https://auth.example.org"}
    gitlab = load_config(make_site({}, GITLAB, name="gitlab"))
    assert admin.cms_config(gitlab)["backend"] == {"name": "gitlab", "repo": "council/web/send", "branch": "live",
                                                  "auth_type": "pkce", "app_id": "abc123"}
    local = admin.cms_config(config, proxy_url="http://127.0.0.1:8123/api/v1", site_url="http://127.0.0.1:8123/")
    assert local["backend"]["name"] == "proxy" and local["local_backend"] == {"url": "http://127.0.0.1:8123/api/v1"}
    assert local["site_url"] == "http://127.0.0.1:8123/"
    no_editor = load_config(make_site({}, name="plain"))
    assert admin.cms_config(no_editor, proxy_url="http://127.0.0.1:1/api/v1")["backend"]["branch"] == "main"


def test_review_turns_on_decaps_editorial_workflow_for_the_published_editor_only(make_site, config):
    assert "publish_mode" not in admin.cms_config(config)  # saving publishes, as before
    reviewed = load_config(make_site({}, EDITOR + "review = true\n", name="reviewed"))
    assert yaml.safe_load(admin.config_yaml(reviewed))["publish_mode"] == "editorial_workflow"
    gitlab = load_config(make_site({}, GITLAB + "review = true\n", name="gitlab-reviewed"))
    assert admin.cms_config(gitlab)["publish_mode"] == "editorial_workflow"
    # The preview's local backend saves files straight into content/: there is nothing to review there.
    assert "publish_mode" not in admin.cms_config(reviewed, proxy_url="http://127.0.0.1:8123/api/v1")


@pytest.mark.parametrize("table, message", [
    ('backend = "bitbucket"\nrepo = "a/b"', '"editor → backend" cannot be "bitbucket"'),
    ('backend = "github"', '"editor → repo" is missing'),
    ('backend = "github"\nrepo = "send-progress"', "owner and name"),
    ('backend = "github"\nrepo = "a/b"\nbase_url = "http://auth.example.org"', "must start with https://"),
    ('backend = "gitlab"\nrepo = "a/b"', "needs app_id"),
    ('backend = "github"\nrepo = "a/b"\nbranch = "my branch"', "is not a branch name"),
    ('backend = "github"\nrepo = "a/b"\nrepository = "a/b"', 'unknown field "editor → repository"'),
    ('backend = "github"\nrepo = "a/b"\nreview = "yes please"', "editor → review"),
])
def test_editor_table_mistakes_are_explained(make_site, table, message):
    site = make_site({}, MINIMAL_CONFIG + "\n[editor]\n" + table + "\n")
    with pytest.raises(BuildFailed) as failure:
        load_config(site)
    problems = failure.value.errors
    assert any(message in p.message for p in problems), [p.message for p in problems]
    assert all(p.hint for p in problems)


def test_build_writes_the_editor_only_with_an_editor_table(make_site, tmp_path):
    files = {"content/letters/2020-01-01-hello.md": LETTER.format(title="Hello", date="2020-01-01")}
    plain = make_site(files, name="plain")
    build(plain, jobs=1)
    assert not (plain / "output/admin").exists()

    site = make_site(files, EDITOR, name="edited")
    build(site, jobs=1)
    out = site / "output/admin"
    pinned = admin.bundle()
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["index.html", "config.yml", "preview.js", "status.js", "collections.js", pinned["file"],
         pinned["file"] + ".LICENSE.txt", "LICENSE-decap-cms.txt"])
    assert yaml.safe_load((out / "config.yml").read_text())["backend"]["repo"] == "council-web/send-progress"
    soup = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    assert soup.html["lang"] == "en" and soup.title.string == "Editor: Test site"
    assert "JavaScript" in soup.noscript.get_text()
    scripts = soup.find_all("script")
    assert all(s.get("src") and not s.string for s in scripts), "no inline scripts (Content-Security-Policy)"
    for script in scripts:  # every script carries the SRI hash of the file the build published
        data = (out / script["src"]).read_bytes()
        assert script["integrity"] == "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
    assert scripts[0]["src"] == pinned["file"] and f"decap-cms-{pinned['version']}" in pinned["file"]


def test_pinned_bundle_matches_its_recorded_hash():
    pinned = admin.bundle()
    data = (admin.ADMIN_DIR / pinned["file"]).read_bytes()
    assert pinned["integrity"] == admin.integrity(data)
    assert f'"decap-cms {pinned["version"]}"' in data[-4000:].decode()  # the bundle names its own version
    assert "MIT License" in (admin.ADMIN_DIR / "LICENSE-decap-cms.txt").read_text()


def test_a_page_cannot_take_the_editors_address(make_site):
    site = make_site({"content/pages/admin.md": "---\ntitle: Admin\n---\nHi\n"})
    with pytest.raises(BuildFailed) as failure:
        build(site, jobs=1)
    assert "used by a page the site makes itself" in str(failure.value.errors[0])


# Decap lists in a folder collection every file whose name ends with "." + its extension (the
# pinned bundle's rule), so "x.easyread.md" would be listed in "letters" (extension md) as well
# as in "letters-easy-read". builder/theme/admin/collections.js wraps the backend Decap creates
# so the ordinary collections leave Easy Read files out. Run in Node with a backend that lists
# by Decap's rule, for every folder collection of the generated config.
_NODE_HARNESS = r"""
const fs = require("fs");
const [script, configJson] = process.argv.slice(2);
const collections = JSON.parse(fs.readFileSync(configJson, "utf8"));
const files = [...new Set(collections.flatMap(c => [`${c.folder}/a.md`, `${c.folder}/a.easyread.md`, `${c.folder}/b.md`]))];
const CURSOR = Symbol("cursor");
const decapLists = (folder, extension) => {  // as the pinned bundle: path ends with "." + extension
  const list = files.filter(p => p.startsWith(folder + "/") && p.endsWith("." + extension)).map(p => ({file: {path: p}, data: ""}));
  list[CURSOR] = {folder};
  return list;
};
const registry = {github: {init: () => ({
  entriesByFolder: async (folder, extension) => decapLists(folder, extension),
  allEntriesByFolder: async (folder, extension) => decapLists(folder, extension),
  traverseCursor: async (cursor) => ({entries: decapLists(cursor.meta.get("folder"), cursor.meta.get("extension")), cursor}),
})}};
global.window = {CMS: {getBackend: name => registry[name]}};
eval(fs.readFileSync(script, "utf8"));
(async () => {
  const backend = registry.github.init();
  const out = {};
  for (const c of collections) {
    const listed = await backend.entriesByFolder(c.folder, c.extension, 1);
    const all = await backend.allEntriesByFolder(c.folder, c.extension, 1);
    const meta = new Map([["folder", c.folder], ["extension", c.extension]]);
    const paged = await backend.traverseCursor({meta}, "next");
    out[c.name] = {listed: listed.map(e => e.file.path), cursor: listed[CURSOR] !== undefined,
                   all: all.map(e => e.file.path), paged: paged.entries.map(e => e.file.path)};
  }
  console.log(JSON.stringify(out));
})();
"""


def test_easy_read_files_are_listed_only_in_their_own_collections(config, tmp_path):
    import json
    import shutil
    import subprocess

    node = shutil.which("node")
    assert node, "Node.js is needed for this test (it comes with the test tools: bash scripts/setup-test-env.sh)"
    folders = [c for c in _collections(config).values() if "folder" in c]
    (tmp_path / "collections.json").write_text(json.dumps(folders))
    (tmp_path / "harness.js").write_text(_NODE_HARNESS)
    done = subprocess.run([node, str(tmp_path / "harness.js"), str(admin.ADMIN_DIR / "collections.js"),
                           str(tmp_path / "collections.json")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    owners: dict[str, list[str]] = {}
    for collection in folders:
        found = listed[collection["name"]]
        assert found["listed"] == found["all"] == found["paged"], collection["name"]
        assert found["cursor"], f"{collection['name']}: Decap's cursor was lost from the list"
        for path in found["listed"]:
            owners.setdefault(path, []).append(collection["name"])
    for folder in KIND_FOLDERS:
        assert owners[f"content/{folder}/a.md"] == owners[f"content/{folder}/b.md"] == [folder]
        assert owners[f"content/{folder}/a.easyread.md"] == [f"{folder}-easy-read"]


def test_the_editor_page_loads_the_collection_fix_after_decap_and_decap_still_offers_what_it_wraps(config):
    soup = BeautifulSoup(admin.admin_page(config), "html.parser")
    sources = [script["src"] for script in soup.find_all("script")]
    assert sources.index("collections.js") == sources.index(admin.bundle()["file"]) + 1
    bundle = (admin.ADMIN_DIR / admin.bundle()["file"]).read_text(encoding="utf-8")
    # The names collections.js relies on, in the pinned Decap (a new release must keep them).
    for name in ("getBackend:", "entriesByFolder(e.get(\"folder\"),t,n)", "allEntriesByFolder(", "traverseCursor("):
        assert name in bundle, name
