"""A folder the build may not change: output/ stays exactly as it was, and the message says
plainly which folder it is and what to do (never "unexpected problem" or a raw PermissionError).

Root may change any folder whatever its permissions, so as root the builds here run with the
capabilities that allow it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) dropped by
util-linux's setpriv: the kernel then checks permissions for them as for any other account.
The mount cases (a read-only disk, another disk inside output/, output/ as a mount point) need
root to mount, which they do in a private mount namespace (unshare -m) that ends with the build.
Locally they are skipped when that is impossible; in CI (CI=true) they must run.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, run_cli, snapshot_tree, tree_bytes

IN_CI = os.environ.get("CI") == "true"
LETTER = "content/letters/2019-05-10-spring-letter.md"
DROP = "-dac_override,-dac_read_search,-fowner"


def _needs(condition: bool, why: str) -> None:
    if not condition:
        if IN_CI:
            pytest.fail(why)
        pytest.skip(why)


def _as_ordinary_user() -> list[str]:
    """The command prefix that makes permissions count (none for an ordinary account)."""
    if os.geteuid() != 0:
        return []
    _needs(shutil.which("setpriv") is not None, "setpriv (util-linux) is needed to drop root's override")
    return ["setpriv", f"--inh-caps={DROP}", f"--bounding-set={DROP}", "--"]


def _build(site: Path, *extra: str, portable: bool = False, mounts: str = "", then: str = "") -> subprocess.CompletedProcess:
    """`localoffer build` as an ordinary account. mounts: shell lines run first, as root, in a
    mount namespace of the build's own; then: shell lines run in it after the build."""
    command = [*_as_ordinary_user(), sys.executable, "-m", "builder", "build", str(site), "--jobs", "1", *extra]
    if mounts:
        command = ["unshare", "-m", "--propagation", "private", "sh", "-c",
                   f"set -e\n{mounts}\nset +e\n{shlex.join(command)}\ncode=$?\n{then}\nexit $code"]
    env = dict(os.environ, PYTHONPATH=str(ROOT), LOCALOFFER_PORTABLE="1" if portable else "0")
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def _digests(folder: Path, into: Path) -> str:
    """A shell line listing every file under folder with its SHA-256, into a file."""
    return (f"(cd {shlex.quote(str(folder))} && find . -type f -exec sha256sum {{}} + | LC_ALL=C sort)"
            f" > {shlex.quote(str(into))}")


def _can_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("readonly") / "site"
    shutil.copytree(FIXTURES / "full", site, ignore=shutil.ignore_patterns(".cache", "output"))
    result = run_cli("build", site, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def site(built: Path, tmp_path: Path):
    copy = tmp_path / "site"
    shutil.copytree(built, copy, symlinks=True)
    # Built again where it is now, so the build record describes this output folder and a small
    # change is published file by file (a record of another folder makes the next build whole).
    assert run_cli("build", copy, "--jobs", "1").returncode == 0
    yield copy
    for here, _, _ in os.walk(copy):  # so the test's folder can be removed
        os.chmod(here, 0o755)


def _change(site: Path, what: str) -> None:
    if what == "a letter's title":  # a few files change: published file by file, through a journal
        letter = site / LETTER
        letter.write_text(letter.read_text().replace("title: Spring letter", "title: Spring letter, revised"))
    else:  # every page changes: a whole new output folder swapped in
        config = site / "site.toml"
        config.write_text(config.read_text().replace('title = "Example SEND progress"', 'title = "Example progress"'))


def _read_only(folder: Path) -> None:
    for here, _, _ in os.walk(folder):
        os.chmod(here, 0o555)


def assert_plain_failure(result: subprocess.CompletedProcess, folder: Path) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    said = result.stderr
    assert f"{folder}:" in said and "the published site was not changed" in said and "How to fix:" in said, said
    for raw in ("unexpected problem", "Traceback", "PermissionError", "OSError", "Errno"):
        assert raw not in said, said


def _publishes_inside_and_outside(site: Path, before: dict[str, bytes], folder: str) -> None:
    """Once the folder is writable again, the build goes through, and it changes files both in
    that folder and outside it: so a half-done publish would have shown above."""
    for here, _, _ in os.walk(site / "output"):
        os.chmod(here, 0o755)
    result = run_cli("build", site, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    after = tree_bytes(site / "output")
    changed = {path for path in after if before.get(path) != after[path]}
    assert changed
    if folder:
        assert any(path.startswith(folder) for path in changed)
        assert any(not path.startswith(folder) for path in changed)


CASES = [("a letter's title", False), ("the site's title", False), ("the site's title", True)]
IDS = ["few-files", "whole-swap", "whole-swap-portable"]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("what,portable", CASES, ids=IDS)
def test_a_read_only_sub_folder_leaves_output_exactly_as_it_was(site: Path, what: str, portable: bool):
    out = site / "output"
    _change(site, what)
    _read_only(out / "timeline")
    before = snapshot_tree(out, set())
    result = _build(site, portable=portable)
    assert snapshot_tree(out, set()) == before, "output/ was changed"  # bytes and modification times
    assert_plain_failure(result, out / "timeline")
    assert not (site / ".cache/localoffer/staging").exists()
    _publishes_inside_and_outside(site, {k: v[3] for k, v in before.items() if v[0] == "file"}, "timeline/")


@pytest.mark.timeout(300)
@pytest.mark.parametrize("what,portable", CASES, ids=IDS)
def test_a_read_only_output_folder_is_kept_and_said_plainly(site: Path, what: str, portable: bool):
    out = site / "output"
    _change(site, what)
    _read_only(out)
    before = snapshot_tree(out, set())
    result = _build(site, portable=portable)
    assert_plain_failure(result, out)
    assert snapshot_tree(out, set()) == before
    _publishes_inside_and_outside(site, {k: v[3] for k, v in before.items() if v[0] == "file"}, "")


# --- disks and mounts --------------------------------------------------------------------

@pytest.mark.timeout(300)
@pytest.mark.parametrize("what", ["a letter's title", "the site's title"])
def test_a_sub_folder_on_a_read_only_mount(site: Path, what: str):
    _needs(_can_mount(), "mounting needs root and unshare")
    out, timeline = site / "output", site / "output/timeline"
    _change(site, what)
    before = snapshot_tree(out, set())
    quoted = shlex.quote(str(timeline))
    result = _build(site, mounts=f"mount --bind {quoted} {quoted}\nmount -o remount,ro,bind {quoted}")
    assert_plain_failure(result, timeline)
    assert "read-only disk" in result.stderr
    assert snapshot_tree(out, set()) == before


@pytest.mark.timeout(300)
def test_a_whole_site_on_a_read_only_mount(site: Path):
    """The cache cannot be written either: said before anything is built."""
    _needs(_can_mount(), "mounting needs root and unshare")
    _change(site, "a letter's title")
    before = snapshot_tree(site / "output", set())
    quoted = shlex.quote(str(site))
    result = _build(site, mounts=f"mount --bind {quoted} {quoted}\nmount -o remount,ro,bind {quoted}")
    assert_plain_failure(result, site / ".cache/localoffer")
    assert snapshot_tree(site / "output", set()) == before


def _mount_copy(folder: Path, kept: Path) -> str:
    """Shell lines that put a tmpfs (another disk) at folder, holding what folder holds."""
    quoted, kept = shlex.quote(str(folder)), shlex.quote(str(kept))
    return f"cp -a {quoted} {kept}\nmount -t tmpfs -o size=64m tmpfs {quoted}\ncp -a {kept}/. {quoted}/"


@pytest.mark.timeout(300)
@pytest.mark.parametrize("what", ["a letter's title", "the site's title"])
def test_a_sub_folder_on_another_disk(site: Path, what: str, tmp_path: Path):
    """A rename cannot cross disks (EXDEV): found before anything moves."""
    _needs(_can_mount(), "mounting needs root and unshare")
    out, timeline = site / "output", site / "output/timeline"
    _change(site, what)
    subprocess.run(["sh", "-c", _digests(out, tmp_path / "before.txt")], check=True)
    result = _build(site, mounts=_mount_copy(timeline, tmp_path / "kept"), then=_digests(out, tmp_path / "after.txt"))
    assert_plain_failure(result, timeline)
    assert "different disk" in result.stderr
    # Read inside the build's mount namespace, with the mounted folder in place.
    assert (tmp_path / "after.txt").read_text() == (tmp_path / "before.txt").read_text()


@pytest.mark.timeout(300)
@pytest.mark.parametrize("what", ["a letter's title", "the site's title"])
def test_an_output_folder_that_is_a_mount_point(site: Path, what: str, tmp_path: Path):
    """A mounted output folder cannot be renamed (EBUSY) nor reached by a rename from the
    cache's disk (EXDEV): said plainly, with what to do."""
    _needs(_can_mount(), "mounting needs root and unshare")
    out = site / "output"
    _change(site, what)
    subprocess.run(["sh", "-c", _digests(out, tmp_path / "before.txt")], check=True)
    result = _build(site, mounts=_mount_copy(out, tmp_path / "kept"), then=_digests(out, tmp_path / "after.txt"))
    assert_plain_failure(result, out)
    assert "mount point" in result.stderr
    assert (tmp_path / "after.txt").read_text() == (tmp_path / "before.txt").read_text()


@pytest.mark.timeout(300)
@pytest.mark.parametrize("what,portable", [CASES[0], CASES[2]], ids=[IDS[0], IDS[2]])
def test_a_change_that_fails_half_way_is_undone(site: Path, what: str, portable: bool, monkeypatch):
    """What no check can foresee (on Windows, a file held open by another program) fails as
    busy: the third file moved into output/, or the new folder renamed into place after the
    old one was moved aside. The publish puts back what it had changed. (Linux's exchange of
    the two folders is one step: nothing to fail half-way.)"""
    from builder.build import build
    from builder.errors import BuildFailed
    from builder.publish import output as publishing

    out = site / "output"
    _change(site, what)
    before = snapshot_tree(out, set())
    real_replace, real_rename, moved = os.replace, os.rename, []

    def busy(move):
        def fail_third(source, target, *rest):
            if out in Path(target).parents or Path(target) == out:
                moved.append(target)
                if len(moved) == (1 if portable else 3):
                    raise OSError(16, "Device or resource busy", str(source), None, str(target))
            return move(source, target, *rest)
        return fail_third

    monkeypatch.setenv("LOCALOFFER_PORTABLE", "1" if portable else "0")
    monkeypatch.setattr(publishing.os, "replace", busy(real_replace))
    if portable:
        monkeypatch.setattr(publishing.os, "rename", busy(real_rename))
    with pytest.raises(BuildFailed) as raised:
        build(site, jobs=1)
    monkeypatch.undo()
    said = str(raised.value)
    assert snapshot_tree(out, set()) == before, f"output/ changed ({len(moved)} moves tried)"
    assert "in use by another program" in said and "the published site was not changed" in said, said
    assert not (site / ".cache/localoffer/staging").exists()
    build(site, jobs=1)  # and the next build goes through
