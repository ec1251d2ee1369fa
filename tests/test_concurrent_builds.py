"""Several builds of one site at once: one runs at a time, each says so when it waits, and
a reader of the published site never finds a missing or half-written page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time

from tests.conftest import FIXTURES, ROOT, run_cli, tree_bytes


def _complete(out, expected: set[str]) -> list[str]:
    # One pass over the published files, as a browser or a web server would read them.
    """What is wrong with the published site right now (nothing, when it is complete)."""
    problems = []
    for rel in expected:
        path = out / rel
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            problems.append(f"{rel} is missing")
            continue
        if rel.endswith(".html") and not data.rstrip().endswith(b"</html>"):
            problems.append(f"{rel} is cut short")
    return problems


def test_builds_started_together_run_one_at_a_time_and_readers_always_see_a_whole_site(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "full", site, ignore=shutil.ignore_patterns(".cache", "output"))
    out = site / "output"
    assert run_cli("build", site).returncode == 0
    expected = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    letter = site / "content/letters/2019-05-10-spring-letter.md"
    letter.write_text(letter.read_text().replace("more staff", "many more staff"))
    config = site / "site.toml"  # a change every page shows: the site is swapped whole
    config.write_text(config.read_text().replace('title = "Example SEND progress"', 'title = "Example progress"'))

    problems: list[str] = []
    stop = threading.Event()

    def read_continuously():
        while not stop.is_set():
            problems.extend(_complete(out, expected))

    reader = threading.Thread(target=read_continuously)
    reader.start()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        builds = [subprocess.Popen([sys.executable, "-m", "builder", "build", str(site)], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=env) for _ in range(4)]
        results = [(b.wait(timeout=300), *b.communicate()) for b in builds]
    finally:
        stop.set()
        reader.join()
    for code, stdout, stderr in results:
        assert code == 0, stderr
        assert "Traceback" not in stderr and "Built" in stdout
    assert sum("waiting for it to finish" in stderr for _, _, stderr in results) >= 1
    assert sum("(0 rendered" not in stdout for _, stdout, _ in results) == 1  # the others found nothing to do
    # Files the site has before and after (the search index's file names follow its content)
    # must have been there, whole, at every moment in between.
    final = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert [problem for problem in problems if problem.split(" ")[0] in final] == []
    assert not (site / ".cache/localoffer/staging").exists()
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".cache", "output"))
    assert run_cli("build", clean, "--no-cache").returncode == 0
    assert tree_bytes(out) == tree_bytes(clean / "output")


def test_a_build_waiting_for_another_can_be_stopped_cleanly(tmp_path):
    from builder.publish.lock import build_lock

    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "full", site, ignore=shutil.ignore_patterns(".cache", "output"))
    with build_lock(site / ".cache/localoffer"):  # another build holds the site
        process = subprocess.Popen([sys.executable, "-m", "builder", "build", str(site)], stderr=subprocess.PIPE,
                                   text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        # Its first line says it waits (the lock file exists already: this test made it).
        first = process.stderr.readline()
        time.sleep(1)
        assert process.poll() is None  # still waiting
        process.send_signal(2)  # Ctrl+C
        stderr = first + process.communicate(timeout=30)[1]
    assert process.returncode == 130
    assert "waiting for it to finish" in stderr and "Traceback" not in stderr
    assert not (site / "output").exists()


def test_a_full_disk_is_said_plainly_keeps_the_old_output_and_cleans_staging(tmp_path, monkeypatch):
    import errno
    import sqlite3

    import pytest

    from builder.build import build
    from builder.errors import BuildFailed
    from builder.publish import output as publishing

    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "full", site, ignore=shutil.ignore_patterns(".cache", "output"))
    out = tmp_path / "out"
    build(site, out, jobs=1)
    before = tree_bytes(out)
    config = site / "site.toml"
    config.write_text(config.read_text().replace('title = "Example SEND progress"', 'title = "Example progress"'))
    written = []

    def fill_up(staging, rel, data):
        written.append(rel)
        if len(written) > 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_put(staging, rel, data)

    real_put = publishing.put
    for failure in (lambda: monkeypatch.setattr(publishing, "put", fill_up),
                    lambda: monkeypatch.setattr(publishing, "put", lambda *a: (_ for _ in ()).throw(
                        sqlite3.OperationalError("database or disk is full")))):
        written.clear()
        failure()
        with pytest.raises(BuildFailed) as raised:
            build(site, out, jobs=1)
        monkeypatch.setattr(publishing, "put", real_put)
        assert "the disk is full" in str(raised.value) and "How to fix: free some space" in str(raised.value)
        assert tree_bytes(out) == before
        assert not (site / ".cache/localoffer/staging").exists()
    build(site, out, jobs=1)
    assert b"Example progress" in (out / "index.html").read_bytes()
