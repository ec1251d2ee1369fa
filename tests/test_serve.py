"""The dev server: serves on 127.0.0.1, rebuilds incrementally, survives content errors."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import LETTER, ROOT, free_port, serving, wait_for


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


@pytest.fixture
def server(make_site):
    site = make_site({f"content/letters/2020-01-0{n}-l{n}.md": LETTER.format(title=f"Letter {n}", date=f"2020-01-0{n}")
                      for n in range(1, 4)})
    with serving(site) as (base, log):
        yield site, base, log


def test_serve_rebuilds_one_edit_incrementally_and_survives_errors(server):
    site, base, log = server
    letter = site / "content/letters/2020-01-02-l2.md"
    letter.write_text(letter.read_text().replace("Hello.", "Hello again."))
    assert wait_for(lambda: "Hello again." in fetch(base + "/letters/2020-01-02-l2/")[1])
    text = open(log.name).read()
    last = [line for line in text.splitlines() if line.startswith("Built")][-1]
    rendered = int(last.split("(")[1].split(" rendered")[0])
    assert 0 < rendered < 5, last  # the letter (and nothing that does not show its body)

    letter.write_text("---\ntitle: [broken\n---\n")
    assert wait_for(lambda: "cannot be read" in open(log.name).read())
    assert fetch(base + "/letters/2020-01-02-l2/")[0] == 200  # last good site still served
    assert "Hello again." in fetch(base + "/letters/2020-01-02-l2/")[1]


def test_serve_listens_on_loopback_only():
    result = subprocess.run([sys.executable, "-m", "builder", "serve", "--help"], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert "127.0.0.1" in result.stdout and "--host" not in result.stdout  # no way to offer it to the network
    assert "--port" in result.stdout


def test_a_second_serve_on_a_busy_port_says_so_and_uses_the_next_free_one(make_site):
    site = make_site({"content/letters/2020-01-01-a.md": LETTER.format(title="A", date="2020-01-01")})
    with socket.socket() as taken:  # whatever holds the port: another preview, or another program
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        log = open(site.parent / "second.log", "w+")
        process = subprocess.Popen([sys.executable, "-m", "builder", "serve", str(site), "--port", str(busy)],
                                   cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        try:
            assert wait_for(lambda: "Serving " in open(log.name).read() or process.poll() is not None)
            text = open(log.name).read()
            assert process.poll() is None, text
            assert "Traceback" not in text and "Errno" not in text
            assert f"Port {busy} is already in use" in text and "--port" in text
            moved = int(text.split("Using port ")[1].split(" ")[0])
            assert moved != busy and f"Serving {site / 'output'} at http://127.0.0.1:{moved}/" in text
            assert fetch(f"http://127.0.0.1:{moved}/")[0] == 200
        finally:
            process.terminate()
            process.wait(timeout=10)
            log.close()


def test_choose_port_keeps_a_free_port_and_gives_up_with_advice_when_all_are_busy(monkeypatch):
    from builder.commands import ports

    free = free_port()
    assert ports.choose_port(free) == (free, None)
    monkeypatch.setattr(ports, "is_free", lambda port, host=ports.HOST: False)
    with pytest.raises(ports.NoFreePort, match="--port"):
        ports.choose_port(8000)


def test_make_serve_passes_port_through():
    done = subprocess.run(["make", "-n", "serve", "PORT=8123"], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        pytest.skip(f"make is not available: {done.stderr}")
    assert "-m builder serve . --port 8123" in done.stdout, done.stdout


def test_a_save_made_before_the_watcher_is_listening_is_not_lost(make_site):
    import threading

    from builder.commands import serve

    site = make_site({"content/letters/2020-01-01-a.md": LETTER.format(title="Before", date="2020-01-01")})
    rebuilder = serve.Rebuilder(site, site / "output", drafts=False)
    rebuilder.run()
    # Saved after the first build, before the watcher starts: no event will ever report it.
    (site / "content/letters/2020-01-01-a.md").write_text(LETTER.format(title="After", date="2020-01-01"))
    reloads = []
    stop = threading.Event()
    watcher = threading.Thread(target=rebuilder.watch, args=(stop, lambda: reloads.append(rebuilder.builds)))
    watcher.start()
    try:
        page = site / "output/letters/2020-01-01-a/index.html"
        assert wait_for(lambda: "After" in page.read_text(), 10)
        assert wait_for(lambda: reloads, 5)  # and the open tabs are told
    finally:
        stop.set()
        watcher.join(10)


def test_a_burst_of_saves_makes_one_rebuild_and_the_last_save_shows(make_site):
    import threading

    from builder.commands import serve

    site = make_site({"content/letters/2020-01-01-a.md": LETTER.format(title="A", date="2020-01-01")})
    rebuilder = serve.Rebuilder(site, site / "output", drafts=False)
    rebuilder.run()
    reloads = []
    stop = threading.Event()
    watcher = threading.Thread(target=rebuilder.watch, args=(stop, lambda: reloads.append(rebuilder.builds)))
    watcher.start()
    try:
        time.sleep(0.5)  # the watcher is listening
        letter = site / "content/letters/2020-01-01-a.md"
        for n in range(5):  # an editor's save: several writes within a few milliseconds
            letter.write_text(LETTER.format(title=f"A{n}", date="2020-01-01"))
        assert wait_for(lambda: reloads, 10)
        time.sleep(0.5)
        assert len(reloads) == 1  # one rebuild of the pages, one reload
        assert wait_for(lambda: not rebuilder.search_behind, 10)  # the search index catches up when idle
        assert len(reloads) == 1 and rebuilder.builds <= 3
        assert "A4" in (site / "output/letters/2020-01-01-a/index.html").read_text()

        for n in range(5, 8):  # saves a person makes, a moment apart: each one shows
            letter.write_text(LETTER.format(title=f"A{n}", date="2020-01-01"))
            assert wait_for(lambda: f"A{n}" in (site / "output/letters/2020-01-01-a/index.html").read_text(), 10)
            time.sleep(0.3)
    finally:
        stop.set()
        watcher.join(10)
    assert not watcher.is_alive()


def test_a_failed_rebuild_shows_the_errors_on_every_page_until_fixed(server):
    from bs4 import BeautifulSoup

    site, base, log = server
    letter = site / "content/letters/2020-01-02-l2.md"
    good = letter.read_text()
    letter.write_text(good.replace("date: 2020-01-02", "date: 31/04/2020"))
    assert wait_for(lambda: "localoffer-build-errors" in fetch(base + "/letters/2020-01-01-l1/")[1])
    for path in ("/", "/letters/2020-01-02-l2/", "/no-such-page/"):
        page = BeautifulSoup(urllib.request.urlopen(base + path, timeout=5).read() if path != "/no-such-page/"
                             else _error_body(base + path), "html.parser")
        panel = page.body.find(recursive=False)
        assert panel["id"] == "localoffer-build-errors" and panel["role"] == "alert" and panel["tabindex"] == "0"
        text = panel.get_text(" ")
        assert "content/letters/2020-01-02-l2.md, line 3" in text and "How to fix" in text and "2020-04-30" in text
        assert page.find("h1") is not None  # the last good page is still there underneath
    letter.write_text(good)
    assert wait_for(lambda: "localoffer-build-errors" not in fetch(base + "/")[1])


def _error_body(url):
    try:
        urllib.request.urlopen(url, timeout=5)
    except urllib.error.HTTPError as error:
        assert error.code == 404
        return error.read()
    raise AssertionError("expected 404")


def test_a_build_from_another_terminal_while_serving_does_not_confuse_the_server(make_site, tmp_path):
    from builder.build import build
    from builder.commands import serve
    from tests.conftest import tree_bytes

    site = make_site({f"content/letters/2020-01-0{n}-l{n}.md": LETTER.format(title=f"Letter {n}", date=f"2020-01-0{n}")
                      for n in range(1, 4)})
    rebuilder = serve.Rebuilder(site, site / "output", drafts=False)
    assert rebuilder.run()
    extra = site / "content/letters/2020-01-04-l4.md"
    extra.write_text(LETTER.format(title="Letter 4", date="2020-01-04"))
    build(site, site / "output", jobs=1)  # `localoffer build` in another terminal publishes a page
    extra.unlink()  # which the server, on its next build, must take away again
    (site / "content/letters/2020-01-01-l1.md").write_text(LETTER.format(title="Changed", date="2020-01-01"))
    assert rebuilder.run()  # the server notices the other build's record and checks output/ again
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".cache", "output"))
    build(clean, clean / "output", jobs=1, use_cache=False)
    assert tree_bytes(site / "output") == tree_bytes(clean / "output")


def test_a_missing_address_under_cy_gets_the_welsh_404_page(tmp_path):
    """As deploy/nginx.conf does: a reader of the Welsh pages is told "not found" in Welsh."""
    import asyncio
    import concurrent.futures

    from tornado.httpclient import AsyncHTTPClient
    from tornado.httpserver import HTTPServer
    from tornado.testing import bind_unused_port
    from tornado.web import Application

    from builder.commands.serve_files import site_handler

    (tmp_path / "404.html").write_text("<body>Page not found</body>")
    (tmp_path / "cy").mkdir()
    (tmp_path / "cy/404.html").write_text("<body>Heb ddod o hyd i'r dudalen</body>")
    (tmp_path / "letters").mkdir()

    async def fetch_all() -> dict[str, tuple[int, str]]:
        sock, port = bind_unused_port()
        server = HTTPServer(Application([site_handler(tmp_path, lambda: "")]))
        server.add_sockets([sock])
        client, found = AsyncHTTPClient(), {}
        try:
            for path in ("/cy/no-such-page/", "/cy/missing.pdf", "/no-such-page/", "/letters/cy/x/"):
                response = await client.fetch(f"http://127.0.0.1:{port}{path}", raise_error=False)
                found[path] = (response.code, response.body.decode())
        finally:
            server.stop()
        return found

    # In a thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        found = pool.submit(asyncio.run, fetch_all()).result()
    welsh, english = (404, "<body>Heb ddod o hyd i'r dudalen</body>"), (404, "<body>Page not found</body>")
    assert found == {"/cy/no-such-page/": welsh, "/cy/missing.pdf": welsh, "/no-such-page/": english,
                     "/letters/cy/x/": english}
