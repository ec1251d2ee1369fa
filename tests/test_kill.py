"""A build killed with kill -9 at any moment: its workers end with it, the next build runs at
once (no lock left held), and what it publishes equals a clean build.

Only the build's main process is killed, as an impatient user or a CI timeout would do; its
workers are not (unlike tests/test_atomic_output.py, which kills the whole process group):
they must notice on their own. The moments are random but seeded, so a failure can be
repeated. Each case runs with Linux's own means (parent-death signal, atomic exchange) and
with the portable ones every system has (LOCALOFFER_PORTABLE=1).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, tree_bytes, write_site

PAGES = 200  # a few hundred pages, rendered by two workers
SEED = 15
STAGING = Path(".cache/localoffer/staging")


def _update(number: int, version: int) -> str:
    return (f"---\ntitle: Update {number} v{version}\ndate: 2022-01-{number % 28 + 1:02d}\nsummary: Number {number}.\n"
            f"tags: [t{number % 7}]\n---\n" + f"Progress text, version {version}. " * 40 + "\n")


def _env(portable: bool) -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT), LOCALOFFER_PORTABLE="1" if portable else "0")


def _build(site: Path, portable: bool, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder", "build", str(site), "--jobs", "2", *extra], cwd=ROOT,
                          env=_env(portable), capture_output=True, text=True, timeout=240)


def _files_in(folder: Path) -> int:
    try:
        return sum(len(files) for _, _, files in os.walk(folder))
    except OSError:
        return 0


def _session(session: int) -> list[int]:
    """Processes still alive in a session (Linux's /proc)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session and fields[0] != "Z":
                alive.append(int(entry.name))
    return alive


def _kill_at(site: Path, portable: bool, moment: tuple[str, float], log: Path) -> list[int]:
    """Start a build, kill -9 its main process at the moment, and return the processes of its
    session that are still alive 3 seconds later."""
    with open(log, "wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "builder", "build", str(site), "--jobs", "2"], cwd=ROOT,
                                   env=_env(portable), stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # a session of its own, to find its workers by
    kind, amount = moment
    deadline = time.monotonic() + 120
    try:
        if kind == "seconds":
            while process.poll() is None and time.monotonic() < deadline and amount > 0:
                time.sleep(0.01)
                amount -= 0.01
        elif kind == "workers":  # this long after the workers started (reading pages, if all changed)
            while process.poll() is None and time.monotonic() < deadline and len(_session(process.pid)) < 3:
                time.sleep(0.005)
            time.sleep(amount)
        else:  # after this many pages were rendered into staging: the workers are busy
            while process.poll() is None and time.monotonic() < deadline and _files_in(site / STAGING) < amount:
                time.sleep(0.005)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        settle = time.monotonic() + 3
        while _session(process.pid) and time.monotonic() < settle:
            time.sleep(0.05)
        return _session(process.pid)
    finally:
        for pid in _session(process.pid):  # so a failure leaves nothing running
            os.kill(pid, signal.SIGKILL)


@pytest.mark.timeout(900)
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
@pytest.mark.parametrize("portable", [False, True], ids=["linux", "portable"])
def test_a_build_killed_at_random_moments_leaves_nothing_behind(tmp_path: Path, portable: bool):
    site = write_site(tmp_path / "site", {f"content/updates/u{n:03d}.md": _update(n, 0) for n in range(PAGES)})
    started = time.monotonic()
    first = _build(site, portable)
    assert first.returncode == 0, first.stderr
    took = time.monotonic() - started
    chance = random.Random(SEED + portable)
    # Every page changed and killed while the workers read them (the pipes carry the most then),
    # one page changed and killed at any moment of a build as long as the first, every page
    # changed and killed while the workers render.
    plan = [(True, ("workers", round(chance.uniform(0, 0.5), 2))),
            (False, ("seconds", round(chance.uniform(0.1, 0.9) * took, 2))),
            (True, ("files", chance.randint(1, PAGES)))]
    for version, (every_page, moment) in enumerate(plan[::2] if portable else plan, 1):
        if every_page:  # a new output folder is swapped in
            for n in range(PAGES):
                (site / f"content/updates/u{n:03d}.md").write_text(_update(n, version), encoding="utf-8")
        else:  # a few files change: published through the journal
            (site / "content/updates/u007.md").write_text(_update(7, version), encoding="utf-8")
        left = _kill_at(site, portable, moment, tmp_path / f"killed-{version}.log")
        assert left == [], f"processes of the killed build still running at {moment}: {left}"

        started = time.monotonic()
        after = _build(site, portable)  # would wait for ever for a lock left held
        assert after.returncode == 0, f"{moment}: {after.stderr}"
        assert "Traceback" not in after.stderr and "waiting" not in after.stderr, after.stderr
        seconds = time.monotonic() - started
        assert not (site / STAGING).exists()
        clean = tmp_path / f"clean-{version}"
        assert _build(site, portable, "--no-cache", "--output", str(clean)).returncode == 0
        assert tree_bytes(site / "output") == tree_bytes(clean), f"killed at {moment}: differs from a clean build"
        print(f"killed at {moment}; next build took {seconds:.1f} s")


@pytest.mark.timeout(300)
@pytest.mark.skipif(os.name != "posix", reason="a lock is only ever left held on POSIX systems")
def test_a_lock_still_held_after_its_build_died_is_taken_over(tmp_path: Path):
    """As a killed build's worker that failed to end would: hold the lock, with the record
    naming a build process that has gone. The next build takes the lock over and says so."""
    from builder.publish.lock import HOLDER_NAME, LOCK_NAME, STALE_AFTER_SECONDS

    site = write_site(tmp_path / "site", {"content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n"})
    cache = site / ".cache/localoffer"
    cache.mkdir(parents=True)
    gone = subprocess.Popen(["true"])
    gone.wait()  # a process id that no longer runs
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        f"handle = os.open({str(cache / LOCK_NAME)!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(handle, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(300)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        (cache / HOLDER_NAME).write_text(json.dumps({"pid": gone.pid, "host": os.uname().nodename}))
        started = time.monotonic()
        result = run_cli("build", site, "--jobs", "1", timeout=120)
        seconds = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 0, result.stderr
    assert f"(process {gone.pid}) is no longer running" in result.stderr and "taking it over" in result.stderr
    assert seconds < STALE_AFTER_SECONDS + 60
    assert (site / "output/about/index.html").is_file()


@pytest.mark.timeout(300)
def test_a_record_left_by_a_killed_build_is_said(tmp_path: Path):
    from builder.publish.lock import HOLDER_NAME

    site = write_site(tmp_path / "site", {"content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n"})
    cache = site / ".cache/localoffer"
    cache.mkdir(parents=True)
    (cache / HOLDER_NAME).write_text(json.dumps({"pid": 4242, "host": "elsewhere"}))
    result = run_cli("build", site, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "The last build of this site (process 4242) stopped before it finished" in result.stderr
    assert not (cache / HOLDER_NAME).exists()  # removed by the build that finished


def test_a_portable_swap_killed_between_its_renames_is_finished_by_the_next_build(tmp_path: Path):
    """The two-rename swap leaves, for a moment, no output folder: a build killed then is
    finished by the next one, from the journal it wrote first."""
    from builder.publish import output as publishing

    cache, output = tmp_path / "cache", tmp_path / "site/output"
    staging = publishing.staging_dir(output, cache)
    output.mkdir(parents=True)
    (output / "index.html").write_text("old")
    publishing.prepare(staging)
    (staging / "index.html").write_text("new")
    old = staging.with_name(staging.name + ".old")
    (cache / publishing.SWAP_JOURNAL).write_text(json.dumps(
        {"staging": str(staging), "output": str(output), "old": str(old)}))
    os.rename(output, old)  # killed here, before the new folder was renamed into place
    publishing.finish_interrupted(cache)
    assert (output / "index.html").read_text() == "new"
    assert not old.exists() and not staging.exists() and not (cache / publishing.SWAP_JOURNAL).exists()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads a worker's open files in /proc")
def test_workers_do_not_hold_the_build_lock(tmp_path: Path):
    """Only the build's own process holds the lock, so nothing else can keep it after the build."""
    from builder.parallel import SERIAL_BELOW, fork_map
    from builder.publish.lock import LOCK_NAME, build_lock

    def holds_the_lock(_: int) -> tuple[int, bool]:
        names = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                names.append(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:
                pass  # the listing's own descriptor, closed by now
        return os.getpid(), any(name.endswith(LOCK_NAME) for name in names)

    with build_lock(tmp_path):
        assert holds_the_lock(0)[1]  # the build itself does
        found = fork_map(holds_the_lock, SERIAL_BELOW, 2)
    assert {pid for pid, _ in found} - {os.getpid()}, "the work was not done in workers"
    assert not any(held for _, held in found)
