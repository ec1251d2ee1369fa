"""Publish the built site without ever leaving a half-written output folder.

Everything is written into a staging folder first; a build that fails or is killed while
staging leaves the output as it was. Then, either:

- many files changed: the staging folder holds the complete new site (unchanged files are
  hard-linked, not rewritten) and is swapped in with one atomic rename; or
- a few files changed: the staging folder holds just those, and a journal listing them is
  written before any is moved into place. Moving is a handful of renames; if the process
  dies among them, the next build (or `serve`) finishes the journal before doing anything
  else. Re-linking a 5,000-page tree for one edited letter would cost more than the edit.

Either way, every folder about to change is checked first (builder/publish/problems.py), and
a change that still fails half-way is undone, so a failure never leaves output/ half-updated.
The swap is one atomic exchange on Linux; elsewhere (or with LOCALOFFER_PORTABLE=1) it is two
renames, with a journal so that a build killed between them is finished by the next one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from builder.errors import BuildFailed, ContentError
from builder.publish import problems
# Named here too for build.py, guards.py and the tests, which know publishing as this module.
from builder.publish.moves import (JOURNAL, SWAP_JOURNAL, apply_journal, finish_interrupted,  # noqa: F401
                                   swap, with_folder, write_journal)


class Incomplete(Exception):
    """The last build's record promised a file that the published output does not have."""


def check_output_folder(site_dir: Path, output: Path, cache_dir: Path) -> None:
    """The output folder is replaced whole by every build, so it must never hold sources."""
    problem = None
    if output == cache_dir / "check":  # where `localoffer check` builds
        return
    if output == site_dir or output in site_dir.parents:
        problem = "is the site folder itself, or a folder containing it"
    elif any(folder == output or folder in output.parents
             for folder in (site_dir / "content", site_dir / "templates", site_dir / ".cache")):
        problem = "is inside the site's content, templates or cache folder"
    elif output.is_dir() and ((output / "site.toml").exists() or (output / "content").is_dir()):
        problem = "holds another site (it has a site.toml or content folder)"
    if problem:
        raise BuildFailed([ContentError(
            "--output", f"the output folder {output} {problem}; every build replaces that folder completely",
            None, "choose an empty folder of its own, such as the default output/ inside the site folder")])


def publish(output: Path, staging: Path, cache_dir: Path, new: dict[str, str], previous: dict[str, str],
            staged: set[str], files: dict[str, object], present: set[str]) -> tuple[list[str], list[str]]:
    """Make output hold exactly the files in `new` (path -> content digest); return
    (files written, files removed). `staged` were rendered into staging already; `files`
    maps the rest that come from a file on disk (theme assets, content files, search index)
    to that file; anything else is carried over from the previous output unchanged."""
    changed = [path for path, sha in new.items() if previous.get(path) != sha or path not in present]
    # The output must end up exactly as a full build would leave it, so files put there by hand go too.
    removed = sorted(set(previous) - set(new)) + [rel for rel in present if rel not in new and rel not in previous]
    if not output.exists() or not previous or len(changed) + len(removed) > len(new) // 2:
        # Many changes: stage a complete new site and swap it in at once.
        changed_set = set(changed)
        for path in new:
            if path in staged:
                continue
            if path in files and path in changed_set:
                put_file(staging, path, files[path])
            elif not (output.exists() and carry_over(staging, output, path)):
                if path not in files:
                    raise Incomplete(path)
                put_file(staging, path, files[path])
        problems.check_swap(output, staging)
        swap(staging, output, cache_dir)
    elif changed or removed:
        # A few changes: stage just those, then apply them through a journal.
        changed_set = set(changed)
        for path in staged - changed_set:
            (staging / path).unlink()  # re-rendered to the same bytes
        for path in changed:
            if path in files:
                put_file(staging, path, files[path])
        problems.check_journal(output, staging, changed + removed)
        apply_journal(write_journal(cache_dir, staging, output, changed, removed))
    else:
        shutil.rmtree(staging, ignore_errors=True)
    return changed, removed


def staging_dir(output: Path, cache_dir: Path) -> Path:
    """Stage in the site's cache when it is on the same disk as the output (so the swap is
    a rename); otherwise beside the output, the only place a rename can reach."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    if os.stat(cache_dir).st_dev == os.stat(output.parent).st_dev:
        return cache_dir / "staging"
    return output.parent / f".{output.name}.staging"


def prepare(staging: Path) -> None:
    if staging.exists():
        shutil.rmtree(staging)  # left by a build that was killed
    staging.mkdir(parents=True)


def put(staging: Path, rel: str, data: bytes) -> None:
    def write(target: Path) -> None:
        with open(target, "wb") as handle:
            handle.write(data)

    with_folder(staging / rel, write)


def put_file(staging: Path, rel: str, source) -> None:
    """Copy a file into staging. The search index's files, which live in the build cache and
    are replaced (never edited) there, are hard-linked instead: thousands of them per site."""
    def copy(target: Path) -> None:
        if rel.startswith("pagefind/"):
            try:
                os.link(source, target)
                return
            except FileNotFoundError:
                raise
            except OSError:
                pass
        shutil.copyfile(source, target)

    with_folder(staging / rel, copy)


def carry_over(staging: Path, output: Path, rel: str) -> bool:
    """Reuse an unchanged file of the previous output by hard link (no data written)."""
    source = output / rel

    def link(target: Path) -> None:
        try:
            os.link(source, target)
        except FileNotFoundError:
            raise  # no folder yet (made, then tried again), or no source (not carried over)
        except OSError:
            shutil.copy2(source, target)

    try:
        with_folder(staging / rel, link)
    except OSError:
        return False
    return True


def files_under(folder: Path | str) -> list[str]:
    """Every file under folder, as "a/b/c.html" paths (plain strings: this walks the whole output)."""
    found = []
    stack = [(os.fspath(folder), "")]
    while stack:
        current, prefix = stack.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel + "/"))
                else:
                    found.append(rel)
    return found
