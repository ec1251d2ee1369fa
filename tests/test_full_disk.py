"""A disk that fills up while pages are rendered in parallel gives the same plain "the disk is
full" as a one-process build, and the published site is not changed.

Two ways: a write that fails with ENOSPC in the workers' own write path (forked workers inherit
the test's replacement, so the error really is raised in a worker and crosses its pipe), and,
where the test may mount (root, or CI), a real, small tmpfs that fills up during rendering.
"""

from __future__ import annotations

import errno
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.parallel import SERIAL_BELOW
from tests.conftest import ROOT, run_cli, tree_bytes, write_site

PAGES = 4 * SERIAL_BELOW  # enough for the pages to be rendered by forked workers
IN_CI = os.environ.get("CI") == "true"
SITE_TITLE = 'title = "Test site"'


def _update(number: int) -> str:
    return (f"---\ntitle: Update {number}\ndate: 2022-01-{number % 28 + 1:02d}\nsummary: Number {number}.\n---\n"
            + f"What we did in week {number}. " * 60 + "\n")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", {f"content/updates/u{n:03d}.md": _update(n) for n in range(PAGES)})


def _retitle(site: Path) -> None:
    """A change every page shows, so every page is rendered again."""
    config = site / "site.toml"
    config.write_text(config.read_text().replace(SITE_TITLE, 'title = "Test site, renamed"'))


@pytest.mark.timeout(300)
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_full_disk_in_a_worker_is_said_plainly(site: Path, tmp_path: Path, monkeypatch, jobs: int):
    from builder.build import build
    from builder.errors import BuildFailed
    from builder.publish import output as publishing

    out = tmp_path / "out"
    build(site, out, jobs=jobs)
    before = tree_bytes(out)
    _retitle(site)
    real_put = publishing.put
    parent = os.getpid()
    raised_in = tmp_path / "raised-in"

    def fill_up(staging: Path, rel: str, data: bytes) -> None:
        if rel.startswith("updates/u0"):  # pages rendered in the workers (with jobs=2)
            raised_in.write_text(str(os.getpid() != parent))
            raise OSError(errno.ENOSPC, "No space left on device", str(staging / rel))
        real_put(staging, rel, data)

    monkeypatch.setattr(publishing, "put", fill_up)
    with pytest.raises(BuildFailed) as raised:
        build(site, out, jobs=jobs)
    assert raised_in.read_text() == str(jobs > 1)  # it really was a worker's error with jobs=2
    said = str(raised.value)
    assert "the disk is full" in said and "How to fix: free some space" in said, said
    assert "worker process" not in said and "Traceback" not in said
    assert tree_bytes(out) == before
    monkeypatch.setattr(publishing, "put", real_put)
    build(site, out, jobs=jobs)
    assert b"Test site, renamed" in (out / "index.html").read_bytes()


def _can_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                           "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True).returncode == 0


@pytest.mark.timeout(300)
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_real_full_disk_during_a_parallel_render(site: Path, tmp_path: Path, jobs: int):
    """The output folder on a tmpfs that, once the site is built, has room left for only half
    of its pages: the second build, which renders every page again beside the first, fills it."""
    if not _can_mount():
        if IN_CI:
            pytest.fail("mounting a small disk needs root and unshare")
        pytest.skip("mounting a small disk needs root and unshare")
    disk = tmp_path / "disk"
    disk.mkdir()
    out = disk / "output"
    build = shlex.join([sys.executable, "-m", "builder", "build", str(site), "--jobs", str(jobs), "--output", str(out)])
    listing = f"(cd {shlex.quote(str(out))} && find . -type f -exec sha256sum {{}} + | LC_ALL=C sort)"
    config, retitled = shlex.quote(str(site / "site.toml")), shlex.quote(str(tmp_path / "retitled.toml"))
    (tmp_path / "retitled.toml").write_text((site / "site.toml").read_text().replace(SITE_TITLE, 'title = "Renamed"'))
    quoted = shlex.quote(str(disk))
    script = (f"set -e\nmount -t tmpfs -o size=64m tmpfs {quoted}\n{build} >/dev/null 2>&1\n"
              f"used=$(df -k --output=used {quoted} | tail -1)\n"
              f"pages=$(du -sk {shlex.quote(str(out / 'updates'))} | cut -f1)\n"
              f"mount -o remount,size=$((used + pages / 2))k {quoted}\n"
              f"{listing} > {shlex.quote(str(tmp_path / 'before.txt'))}\ncp {retitled} {config}\nset +e\n"
              f"{build}\ncode=$?\n{listing} > {shlex.quote(str(tmp_path / 'after.txt'))}\nexit $code")
    result = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], capture_output=True,
                            text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the disk is full" in result.stderr and "How to fix: free some space" in result.stderr, result.stderr
    assert "unexpected problem" not in result.stderr and "worker process" not in result.stderr
    assert (tmp_path / "after.txt").read_text() == (tmp_path / "before.txt").read_text()
