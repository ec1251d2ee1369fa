"""The published output folder changes all at once or not at all.

A failed build, or one killed half-way, leaves the last good site exactly as it was; a good
build removes pages whose source is gone; and nothing is written outside the output folder
and the site's .cache/.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import LETTER, ROOT, run_cli, snapshot_tree, tree_bytes

STAGING = Path(".cache/localoffer/staging")


def _build(site: Path, *extra: str) -> subprocess.CompletedProcess:
    result = run_cli("build", site, "--jobs", "1", *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _small_site(make_site) -> Path:
    return make_site({
        "content/letters/2022-01-10-january.md": LETTER.format(title="January letter", date="2022-01-10"),
        "content/updates/2022-02-01-february.md": "---\ntitle: February\ndate: 2022-02-01\n---\nText.\n",
        "content/updates/files/plan.txt": "The plan.\n",
        "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
    })


# --- (a) a failed build changes nothing ---------------------------------------------------

def test_failed_build_leaves_output_byte_identical(make_site):
    site = _small_site(make_site)
    _build(site)
    before = tree_bytes(site / "output")
    stamps = {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*")}
    (site / "content/updates/2022-02-01-february.md").write_text("---\ntitle: February\ndate: 2022-02-30\n---\nNew.\n")
    (site / "content/pages/about.md").write_text("---\ntitle: About\n---\nAbout us, changed.\n")  # a good change too
    result = run_cli("build", site, "--jobs", "1")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "content/updates/2022-02-01-february.md:3:" in result.stderr
    assert tree_bytes(site / "output") == before
    assert {p: p.stat().st_mtime_ns for p in (site / "output").rglob("*")} == stamps
    assert not (site / STAGING).exists()


def test_failed_first_build_creates_no_output(make_site):
    site = make_site({"content/updates/bad.md": "---\ntitle: Bad\ndate: 2022-02-30\n---\n"})
    result = run_cli("build", site, "--jobs", "1")
    assert result.returncode == 1
    assert not (site / "output").exists()


def test_failed_build_after_fix_publishes(make_site):
    site = _small_site(make_site)
    _build(site)
    page = site / "content/updates/2022-02-01-february.md"
    page.write_text("---\ntitle: February\ndate: 2022-02-30\n---\nNew.\n")
    assert run_cli("build", site, "--jobs", "1").returncode == 1
    page.write_text("---\ntitle: February fixed\ndate: 2022-02-28\n---\nNew.\n")
    _build(site)
    html = (site / "output/updates/2022-02-01-february/index.html").read_text(encoding="utf-8")
    assert "February fixed" in html


# --- (b) a build killed half-way ------------------------------------------------------------

PAGES = 1500


def _update(number: int, version: str) -> str:
    return (f"---\ntitle: Update {number} {version}\ndate: 2022-01-{number % 28 + 1:02d}\nsummary: Number {number}.\n"
            f"tags: [t{number % 10}]\n---\n" + f"Progress text for {version}. " * 40 + "\n")


@pytest.fixture
def big_site(make_site) -> Path:
    files = {f"content/updates/u{n:04d}.md": _update(n, "first") for n in range(PAGES)}
    return make_site(files)


def _count_files(folder: Path) -> int:
    try:
        return sum(len(files) for _, _, files in os.walk(folder))
    except OSError:
        return 0


@pytest.mark.timeout(300)
@pytest.mark.parametrize("written", [1, 400], ids=["first-file-staged", "half-staged"])
def test_killed_build_leaves_previous_output_intact(big_site: Path, tmp_path: Path, written: int):
    site = big_site
    _build(site, "--jobs", "2")
    before = tree_bytes(site / "output")
    assert "updates/u0000/index.html" in before
    for n in range(PAGES):
        (site / f"content/updates/u{n:04d}.md").write_text(_update(n, "second"), encoding="utf-8")

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    log = open(tmp_path / "killed.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "builder", "build", str(site), "--jobs", "2"],
                               stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=env,
                               start_new_session=True)  # its own group: workers and Pagefind die with it
    staging = site / STAGING
    killed_while_staging = False
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if staging.is_dir() and _count_files(staging) >= written:
                killed_while_staging = True
                break
            time.sleep(0.005)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        log.close()
    assert killed_while_staging, ("the build finished before it could be killed while writing; "
                                  "make the site bigger: " + (tmp_path / "killed.log").read_text(errors="replace"))

    after = tree_bytes(site / "output")
    if after != before:
        # Killed after the swap: then it must be the complete new site, never a mix.
        _build(site, "--no-cache", "--output", str(tmp_path / "reference"))
        assert after == tree_bytes(tmp_path / "reference"), "output/ is a mix of the old and new site"
    mixed = [p for p in after if p.endswith("index.html") and p.startswith("updates/u")
             and ("second" in after[p].decode()) != ("second" in after["updates/u0000/index.html"].decode())]
    assert mixed == []

    # The next build recovers: it finishes, publishes the new text and leaves no staging behind.
    result = _build(site, "--jobs", "2")
    assert "Built" in result.stdout
    final = tree_bytes(site / "output")
    assert all("Update 7 second" in final[f"updates/u{n:04d}/index.html"].decode()
               for n in (7,)), "new content not published"
    assert all(b"Progress text for second" in final[f"updates/u{n:04d}/index.html"] for n in range(0, PAGES, 97))
    assert not any(b"Progress text for first" in data for data in final.values())
    assert not staging.exists()
    _build(site, "--no-cache", "--output", str(tmp_path / "clean"))
    assert final == tree_bytes(tmp_path / "clean"), "recovered incremental build differs from a clean build"


# --- (c) stale files are removed ------------------------------------------------------------

def test_deleted_source_disappears_from_output(make_site):
    site = _small_site(make_site)
    (site / "content/updates/2022-03-01-march.md").write_text("---\ntitle: March\ndate: 2022-03-01\ntags: [only-here]\n---\nX\n")
    _build(site)
    out = site / "output"
    assert (out / "updates/2022-03-01-march/index.html").is_file()
    assert (out / "tags/only-here/index.html").is_file()
    assert (out / "updates/files/plan.txt").is_file()

    (site / "content/updates/2022-03-01-march.md").unlink()
    (site / "content/updates/files/plan.txt").unlink()
    (site / "content/pages/about.md").unlink()
    result = _build(site)
    assert not (out / "updates/2022-03-01-march").exists()
    assert not (out / "tags/only-here").exists()
    assert not (out / "updates/files/plan.txt").exists()
    assert not (out / "about").exists()
    assert "March" not in (out / "updates/index.html").read_text(encoding="utf-8")
    assert "removed" in result.stdout and " 0 removed" not in result.stdout
    assert b"2022-03-01-march" not in (out / "sitemap.xml").read_bytes()


def test_renamed_source_moves_its_page(make_site):
    site = _small_site(make_site)
    _build(site)
    out = site / "output"
    (site / "content/pages/about.md").rename(site / "content/pages/about-us.md")
    _build(site)
    assert (out / "about-us/index.html").is_file()
    assert not (out / "about").exists()


def test_page_made_draft_or_future_disappears(make_site):
    site = _small_site(make_site)
    _build(site)
    out = site / "output"
    (site / "content/updates/2022-02-01-february.md").write_text("---\ntitle: Feb\ndate: 2022-02-01\ndraft: true\n---\nX\n")
    (site / "content/letters/2022-01-10-january.md").write_text(LETTER.format(title="Jan", date="2099-01-10"))
    _build(site)
    assert not (out / "updates/2022-02-01-february").exists()
    assert not (out / "letters/2022-01-10-january").exists()


def test_unchanged_rebuild_changes_nothing(make_site):
    site = _small_site(make_site)
    _build(site)
    out = site / "output"
    before = tree_bytes(out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = _build(site)
    assert "0 files written" in result.stdout
    assert tree_bytes(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps


def test_files_added_to_output_by_hand_do_not_survive_a_changing_build(make_site):
    """output/ belongs to the builder: a rebuild that publishes leaves exactly the built site."""
    site = _small_site(make_site)
    _build(site)
    out = site / "output"
    (site / "content/pages/about.md").write_text("---\ntitle: About\n---\nChanged.\n")
    _build(site, "--no-cache", "--output", str(site.parent / "reference"))
    (out / "stray.html").write_text("stray")
    _build(site)
    assert tree_bytes(out) == tree_bytes(site.parent / "reference")


# --- (d) nothing written outside the output folder -------------------------------------------

def test_output_elsewhere_leaves_the_site_folder_alone(make_site, tmp_path: Path):
    site = _small_site(make_site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "neighbour.txt").write_text("leave me alone\n")
    target = elsewhere / "public"
    before = snapshot_tree(tmp_path, {site / ".cache", target})

    _build(site, "--output", str(target))
    (site / "content/pages/about.md").write_text("---\ntitle: About\n---\nChanged.\n")
    edited = snapshot_tree(tmp_path, {site / ".cache", target})
    _build(site, "--output", str(target))
    bad = site / "content/updates/2022-02-01-february.md"
    saved = bad.read_bytes()
    bad.write_text("---\ntitle: February\ndate: 2022-02-30\n---\n")
    assert run_cli("build", site, "--output", str(target), "--jobs", "1").returncode == 1
    bad.write_bytes(saved)
    os.utime(bad, ns=(edited["site/content/updates/2022-02-01-february.md"][2],) * 2)

    after = snapshot_tree(tmp_path, {site / ".cache", target})
    assert not (site / "output").exists()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["neighbour.txt", "public"]
    assert (target / "about/index.html").is_file()
    assert "Changed." in (target / "about/index.html").read_text(encoding="utf-8")
    assert after == edited
    assert {k for k in before if k != "site/content/pages/about.md"} == {k for k in after if k != "site/content/pages/about.md"}


def test_relative_output_is_taken_from_the_current_folder(make_site, tmp_path: Path):
    site = _small_site(make_site)
    work = tmp_path / "work"
    work.mkdir()
    result = run_cli("build", site, "--output", "public", "--jobs", "1", cwd=work)
    assert result.returncode == 0, result.stderr
    assert (work / "public/index.html").is_file()
    assert not (site / "output").exists() and not (site / "public").exists()


@pytest.mark.parametrize("where", ["content", "content/updates", "templates"])
def test_output_over_the_sources_is_refused(make_site, where: str):
    site = _small_site(make_site)
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/page.html").write_text("{% extends 'base.html' %}\n")
    sources = {k: v for k, v in tree_bytes(site).items() if not k.startswith(".cache/")}
    result = run_cli("build", site, "--output", str(site / where), "--jobs", "1")
    after = {k: v for k, v in tree_bytes(site).items() if not k.startswith(".cache/")}
    assert after == sources, "the build overwrote or deleted source files"
    assert result.returncode == 1 and "--output" in result.stderr and "How to fix" in result.stderr


@pytest.mark.parametrize("where", [".", ".."])
def test_output_holding_the_site_is_refused_clearly(make_site, where: str):
    site = _small_site(make_site)
    before = {k: v for k, v in tree_bytes(site.parent).items() if "/.cache/" not in f"/{k}"}
    result = run_cli("build", site, "--output", str(site / where), "--jobs", "1")
    after = {k: v for k, v in tree_bytes(site.parent).items() if "/.cache/" not in f"/{k}"}
    assert after == before
    assert result.returncode == 1, result.stderr
    assert "unexpected problem" not in result.stderr and "How to fix" in result.stderr
