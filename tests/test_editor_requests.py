"""The editor's backend answers every malformed request 4xx with a reason, keeps file modes,
and never lets a rename replace another entry."""

from __future__ import annotations

import base64
import http.client
import json
import os
import stat

import pytest

from builder.commands.cms_backend import handle
from tests.conftest import LETTER, serving

HELLO = "content/letters/2020-01-01-hello.md"
OTHER = "content/letters/2020-02-01-other.md"


@pytest.fixture
def site(make_site):
    return make_site({HELLO: LETTER.format(title="Hello", date="2020-01-01"),
                      OTHER: LETTER.format(title="Other", date="2020-02-01"),
                      "content/files/chart.png": b"\x89PNG chart"})


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _save(site, rel, raw="---\ntitle: New\n---\nHello.\n", **extra):
    return handle(site, {"action": "persistEntry", "params": {"dataFiles": [{"path": rel, "raw": raw, **extra}],
                                                              "assets": [], "options": {}}})


def test_a_new_file_gets_the_usual_mode_not_a_private_one(site, umask_022):
    assert _save(site, "content/letters/2024-05-30-new.md")[0] == 200
    assert _mode(site / "content/letters/2024-05-30-new.md") == 0o644  # 0666 less the umask, like `touch`
    status, _ = handle(site, {"action": "persistMedia", "params": {
        "asset": {"path": "content/files/new.pdf", "content": base64.b64encode(b"%PDF").decode(), "encoding": "base64"}}})
    assert status == 200 and _mode(site / "content/files/new.pdf") == 0o644


def test_a_file_saved_again_keeps_its_own_mode(site, umask_022):
    os.chmod(site / HELLO, 0o664)  # shared with a group, say
    assert _save(site, HELLO)[0] == 200
    assert _mode(site / HELLO) == 0o664


def test_a_rename_onto_another_entry_is_refused_and_changes_nothing(site):
    before = {rel: (site / rel).read_bytes() for rel in (HELLO, OTHER)}
    status, body = _save(site, HELLO, raw="changed", newPath=OTHER)
    assert status == 409 and OTHER in body["error"] and "already exists" in body["error"]
    assert {rel: (site / rel).read_bytes() for rel in (HELLO, OTHER)} == before


def test_a_rename_to_a_free_name_or_to_itself_is_carried_out(site):
    assert _save(site, HELLO, raw="same", newPath=HELLO)[0] == 200
    assert _save(site, HELLO, raw="moved", newPath="content/letters/2020-01-02-moved.md")[0] == 200
    assert (site / "content/letters/2020-01-02-moved.md").read_text() == "moved" and not (site / HELLO).exists()


WRONG_TYPES = [
    ("entriesByFolder", {"folder": 5}),
    ("entriesByFolder", {"folder": "content/letters", "depth": "deep"}),
    ("entriesByFolder", {"folder": "content/letters", "depth": 1e400}),  # JSON's 1e400 is infinity
    ("entriesByFolder", {"folder": "content/letters", "depth": True}),
    ("entriesByFolder", {"folder": "content/letters", "extension": ["md"]}),
    ("entriesByFiles", {"files": "content/letters"}),
    ("entriesByFiles", {"files": [1, 2]}),
    ("getEntry", {}),
    ("persistEntry", {"dataFiles": "x"}),
    ("persistEntry", {"dataFiles": [{"path": HELLO, "raw": {"title": "x"}}]}),
    ("persistEntry", {"dataFiles": [{"path": HELLO, "raw": "x", "newPath": 5}]}),
    ("persistEntry", {"dataFiles": [{"path": HELLO, "raw": "x"}], "assets": ["x"]}),
    ("persistEntry", {"dataFiles": [{"path": HELLO, "raw": "x"}], "assets": [{"path": "content/a", "content": 5,
                                                                               "encoding": "base64"}]}),
    ("persistMedia", {"asset": "content/files/x.png"}),
    ("persistMedia", {"asset": {"path": 7, "content": "eA==", "encoding": "base64"}}),
    ("deleteFiles", {"paths": "content/files/chart.png"}),
    ("getMediaFile", {"path": ["content/files/chart.png"]}),
    ("entriesByFolder", [1, 2]),
]


@pytest.mark.parametrize("action, params", WRONG_TYPES)
def test_a_request_with_the_wrong_types_is_refused_with_a_reason(site, action, params):
    before = {rel: (site / rel).read_bytes() for rel in (HELLO, OTHER, "content/files/chart.png")}
    status, body = handle(site, {"action": action, "params": params})
    assert 400 <= status < 500 and isinstance(body["error"], str) and body["error"], (status, body)
    assert {rel: (site / rel).read_bytes() for rel in before} == before


def test_a_symlink_loop_is_skipped_in_listings_and_refused_by_name(site):
    os.symlink(".", site / "content/letters/self")  # ln -s . content/letters/self
    os.symlink("loop-b", site / "content/letters/loop-a.md")
    os.symlink("loop-a.md", site / "content/letters/loop-b")
    status, entries = handle(site, {"action": "entriesByFolder",
                                    "params": {"folder": "content/letters", "extension": "md", "depth": 20}})
    assert status == 200 and sorted(e["file"]["path"] for e in entries) == [HELLO, OTHER]
    status, body = handle(site, {"action": "getEntry", "params": {"path": "content/letters/loop-a.md"}})
    assert status == 422 and "loop" in body["error"]


# --- over HTTP, inside `localoffer serve` -------------------------------------------------------

@pytest.fixture
def served(site):
    with serving(site, "/admin/config.yml") as (base, log):
        yield site, base, log


def _post(base: str, body: bytes, headers: dict | None = None, send_body: bool = True) -> tuple[int, dict]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.putrequest("POST", "/api/v1")
        for name, value in {"Content-Type": "application/json", "Content-Length": str(len(body)), **(headers or {})}.items():
            connection.putheader(name, value)
        connection.endheaders(body if send_body else None)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_malformed_bodies_are_answered_4xx_with_a_reason_and_no_traceback(served):
    site, base, log = served
    deep = b"[" * 100_000 + b"]" * 100_000
    cases = [
        (deep, 400, "nested too deeply"),
        (b'{"action": "info", "params": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", 400, "nested too deeply"),
        (b'{"action": ', 400, "not valid JSON"),
        (b"\xff\xfe not text", 400, "not valid JSON"),
        (b"", 400, "not valid JSON"),
        (json.dumps({"action": "entriesByFolder", "params": {"folder": "content/letters", "depth": 1e400}}).encode(),
         422, "depth"),
        (json.dumps({"action": "getEntry", "params": {"path": "../site.toml"}}).encode(), 422, "'..'"),
    ]
    for body, status, says in cases:
        answer = _post(base, body)
        assert answer[0] == status and says in answer[1]["error"], (body[:40], answer)
    answer = _post(base, b'{"action": "info"}', {"Content-Type": "text/plain"})
    assert answer[0] == 415 and "JSON" in answer[1]["error"]
    answer = _post(base, b'{"action": "info"}', {"Origin": "https://evil.example"})
    assert answer[0] == 403 and "other web sites" in answer[1]["error"]
    log.flush()
    text = open(log.name).read()
    assert "Traceback" not in text and " 500 " not in text, text[-3000:]


def test_a_body_larger_than_50_mb_is_refused_before_it_is_read(served):
    site, base, log = served
    status, body = _post(base, b"", {"Content-Length": str(60 * 1024 * 1024)}, send_body=False)
    assert status == 413 and "larger than 50 MB" in body["error"]
    assert _post(base, json.dumps({"action": "info"}).encode())[0] == 200  # and the server carries on
