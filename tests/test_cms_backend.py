"""The editor's local backend (Decap's proxy protocol) and its place in `localoffer serve`."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import urllib.error
import urllib.request

import pytest
import yaml

from builder.commands.cms_backend import handle
from tests.conftest import LETTER, serving

NEW_LETTER = "---\ntitle: New\ndate: 2024-05-30\nauthor: Ros\n---\nHello.\n"


@pytest.fixture
def site(make_site):
    return make_site({"content/letters/2020-01-01-hello.md": LETTER.format(title="Hello", date="2020-01-01"),
                      "content/letters/files/plan.pdf": b"%PDF-1.4 plan",
                      "content/files/chart.png": b"\x89PNG chart",
                      "content/glossary.yml": "SEND: special needs\nEHCP: Education, Health and Care Plan\n"})


def ok(site, action, **params):
    status, body = handle(site, {"action": action, "params": params}, site_url="http://127.0.0.1:9/")
    assert status == 200, body
    return body


def refused(site, action, **params):
    status, body = handle(site, {"action": action, "params": params})
    assert status == 422, (status, body)
    return body["error"]


def test_info_says_it_is_a_local_backend(site):
    assert ok(site, "info") == {"repo": site.name, "publish_modes": ["simple"], "type": "local_fs"}


def test_entries_are_listed_and_read(site):
    entries = ok(site, "entriesByFolder", folder="content/letters", extension="md", depth=1)
    assert [e["file"]["path"] for e in entries] == ["content/letters/2020-01-01-hello.md"]
    data = (site / "content/letters/2020-01-01-hello.md").read_bytes()
    assert entries[0]["data"] == data.decode() and entries[0]["file"]["id"] == hashlib.sha256(data).hexdigest()
    assert ok(site, "getEntry", path="content/letters/2020-01-01-hello.md")["data"] == data.decode()
    missing = ok(site, "getEntry", path="content/letters/nothing.md")
    assert missing["data"] is None and missing["file"]["id"] is None


def test_persist_entry_writes_the_file_and_its_uploads(site):
    pdf = base64.b64encode(b"%PDF new").decode()
    ok(site, "persistEntry", dataFiles=[{"path": "content/letters/2024-05-30-new.md", "raw": NEW_LETTER, "slug": "x"}],
       assets=[{"path": "content/letters/files/new.pdf", "content": pdf, "encoding": "base64"}],
       options={"commitMessage": "Create", "useWorkflow": False})
    assert (site / "content/letters/2024-05-30-new.md").read_text() == NEW_LETTER
    assert (site / "content/letters/files/new.pdf").read_bytes() == b"%PDF new"
    assert not [p for p in (site / "content/letters").iterdir() if p.name.startswith(".saving-")]


def test_a_renamed_entry_moves_alone(site):
    ok(site, "persistEntry", dataFiles=[{"path": "content/letters/2020-01-01-hello.md", "raw": NEW_LETTER,
                                         "newPath": "content/letters/2020-01-01-renamed.md"}], assets=[], options={})
    letters = sorted(p.name for p in (site / "content/letters").iterdir())
    assert letters == ["2020-01-01-renamed.md", "files"]  # the files folder was not moved with it


def test_media_is_listed_read_written_and_deleted(site):
    media = ok(site, "getMedia", mediaFolder="content/files")
    assert [(m["name"], base64.b64decode(m["content"])) for m in media] == [("chart.png", b"\x89PNG chart")]
    written = ok(site, "persistMedia", asset={"path": "content/files/new.png", "content": base64.b64encode(b"img").decode(),
                                              "encoding": "base64"}, options={})
    assert written["path"] == "content/files/new.png" and (site / "content/files/new.png").read_bytes() == b"img"
    assert base64.b64decode(ok(site, "getMediaFile", path="content/files/new.png")["content"]) == b"img"
    ok(site, "deleteFile", path="content/files/new.png", options={})
    ok(site, "deleteFiles", paths=["content/files/chart.png", "content/letters/files/plan.pdf"], options={})
    assert not (site / "content/files/chart.png").exists() and not (site / "content/letters/files/plan.pdf").exists()


def test_the_glossary_is_offered_in_the_list_form_the_editor_edits(site):
    data = yaml.safe_load(ok(site, "getEntry", path="content/glossary.yml")["data"])
    assert data == {"terms": [{"term": "EHCP", "meaning": "Education, Health and Care Plan"},
                              {"term": "SEND", "meaning": "special needs"}]}
    (site / "content/glossary.yml").write_text("terms:\n  - term: SEND\n    meaning: special needs\n")
    assert ok(site, "getEntry", path="content/glossary.yml")["data"] == (site / "content/glossary.yml").read_text()


def test_deploy_preview_points_at_the_local_site(site):
    assert ok(site, "getDeployPreview", collection="letters", slug="x") == {"url": "http://127.0.0.1:9/", "status": "SUCCESS"}


TRAVERSALS = ["../site.toml", "content/../site.toml", "content/letters/../../site.toml", "/etc/passwd",
              str("/tmp/x.md"), "site.toml", "templates/base.html", "content\\..\\site.toml", "content/.git/config",
              "content/letters/.hidden.md", "", None, 42, "content/letters/x\0.md"]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_paths_outside_content_are_refused_by_every_action(site, path):
    before = (site / "site.toml").read_bytes()
    refused(site, "getEntry", path=path)
    refused(site, "getMediaFile", path=path)
    refused(site, "deleteFile", path=path)
    refused(site, "persistEntry", dataFiles=[{"path": path, "raw": "x"}], assets=[], options={})
    refused(site, "persistMedia", asset={"path": path, "content": "eA==", "encoding": "base64"}, options={})
    refused(site, "entriesByFolder", folder=path, extension="md", depth=1)
    assert (site / "site.toml").read_bytes() == before


def test_a_refused_asset_stops_the_whole_save(site):
    refused(site, "persistEntry", dataFiles=[{"path": "content/letters/2024-05-30-new.md", "raw": NEW_LETTER}],
            assets=[{"path": "../evil.sh", "content": "eA==", "encoding": "base64"}], options={})
    assert not (site / "content/letters/2024-05-30-new.md").exists()


def test_symlinks_out_of_content_are_refused(site, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("secret")
    os.symlink(outside, site / "content/letters/linked")
    os.symlink(outside / "secret.md", site / "content/pages-link.md")
    refused(site, "getEntry", path="content/letters/linked/secret.md")
    refused(site, "getEntry", path="content/pages-link.md")
    refused(site, "persistEntry", dataFiles=[{"path": "content/letters/linked/new.md", "raw": "x"}], assets=[], options={})
    refused(site, "deleteFile", path="content/pages-link.md")
    assert not (outside / "new.md").exists() and (outside / "secret.md").exists()
    listed = ok(site, "entriesByFolder", folder="content/letters", extension="md", depth=3)
    assert [e["file"]["path"] for e in listed] == ["content/letters/2020-01-01-hello.md"]


@pytest.mark.parametrize("request_", [None, [], {"params": {}}, {"action": "runShell", "params": {}},
                                      {"action": "getEntry", "params": {}},
                                      {"action": "persistMedia", "params": {"asset": {"path": "content/x", "content": "!!", "encoding": "base64"}}},
                                      {"action": "persistMedia", "params": {"asset": {"path": "content/x", "content": "eA==", "encoding": "hex"}}}])
def test_malformed_requests_are_answered_not_crashed(site, request_):
    status, body = handle(site, request_)
    assert status == 422 and body["error"]


# --- inside `localoffer serve` ---------------------------------------------------------------

@pytest.fixture
def server(make_site):
    """`localoffer serve` on a site with three letters: (site, base URL)."""
    site = make_site({f"content/letters/2020-01-0{n}-l{n}.md": LETTER.format(title=f"Letter {n}", date=f"2020-01-0{n}")
                      for n in range(1, 4)})
    with serving(site, "/admin/config.yml") as (base, _):
        yield site, base


def post(url, body, headers=None):
    request = urllib.request.Request(url, json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("Content-Type"), response.read().decode()


def test_serve_offers_the_editor_with_the_local_backend(server):
    site, base = server
    kind, page = get(base + "/admin")  # redirected to /admin/, where config.yml is found
    assert kind.startswith("text/html") and "decap-cms-" in page
    kind, page = get(base + "/admin/")
    assert kind.startswith("text/html") and "decap-cms-" in page
    assert "livereload" not in page  # a reload while typing would lose the officer's text
    kind, text = get(base + "/admin/config.yml")
    config = yaml.safe_load(text)
    assert config["local_backend"] == {"url": base + "/api/v1"} and config["backend"]["proxy_url"] == base + "/api/v1"
    kind, script = get(base + "/admin/preview.js")
    assert kind.startswith("text/javascript") and "registerPreviewStyle" in script
    assert post(base + "/api/v1", {"action": "info"}, {"Origin": base}) == (
        200, {"repo": site.name, "publish_modes": ["simple"], "type": "local_fs"})
    status, entries = post(base + "/api/v1", {"action": "entriesByFolder",
                                              "params": {"folder": "content/letters", "extension": "md", "depth": 1}})
    assert status == 200 and len(entries) == 3


def test_serve_refuses_other_sites_and_other_host_names(server):
    site, base = server
    port = base.rsplit(":", 1)[1]
    letter = {"action": "persistEntry", "params": {"dataFiles": [{"path": "content/letters/2024-01-01-x.md", "raw": "x"}],
                                                  "assets": [], "options": {}}}
    assert post(base + "/api/v1", letter, {"Origin": "https://evil.example"})[0] == 403
    assert post(base + "/api/v1", letter, {"Host": f"evil.example:{port}"})[0] == 403  # DNS rebinding
    request = urllib.request.Request(base + "/api/v1", json.dumps(letter).encode(), method="POST",
                                     headers={"Content-Type": "text/plain"})  # a form post from another page
    with pytest.raises(urllib.error.HTTPError) as refused_:
        urllib.request.urlopen(request, timeout=10)
    assert refused_.value.code == 415
    assert not (site / "content/letters/2024-01-01-x.md").exists()


def test_the_editor_is_offered_only_on_loopback(tmp_path):
    from builder.commands.editor_server import editor_handlers

    assert [route[0] for route in editor_handlers(tmp_path, "127.0.0.1", 8000)] == [r"/api/v1", r"/admin(/.*)?"]
    assert editor_handlers(tmp_path, "0.0.0.0", 8000) == []
