"""Shared helpers: tiny sites written into tmp_path, and the CLI run as a real process."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "sites"

MINIMAL_CONFIG = 'title = "Test site"\nbase_url = "https://example.org/"\norganisation = "Test Council"\n'


def png_bytes(width: int = 8, height: int = 6, colour: tuple = (0, 94, 165)) -> bytes:
    """A real, tiny PNG: the builder decodes every image it publishes, so fake bytes fail."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def write_site(root: Path, files: dict[str, str | bytes], config: str | None = MINIMAL_CONFIG) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (root / "site.toml").write_text(config, encoding="utf-8")
    (root / "content").mkdir(exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path):
    def make(files: dict[str, str | bytes], config: str | None = MINIMAL_CONFIG, name: str = "site") -> Path:
        return write_site(tmp_path / name, files, config)

    return make


def run_cli(*args: str, cwd: Path | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "builder", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=timeout)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under folder with its bytes: for byte-identical comparisons (the search
    index by what it answers: tests/search_view.py)."""
    from tests.search_view import search_view
    return search_view({p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()})


LETTER = """---
title: {title}
date: {date}
author: Jane Example
summary: A letter.
---
Hello.
"""


def snapshot_tree(folder: Path, skip: set[Path]) -> dict[str, tuple]:
    """Every path under folder (not following links) with type, size, mtime and, for files, bytes."""
    found = {}
    for here, dirs, files in os.walk(folder, followlinks=False):
        here_path = Path(here)
        dirs[:] = [d for d in dirs if here_path / d not in skip]
        for name in dirs + files:
            path = here_path / name
            info = os.lstat(path)
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path), info.st_mtime_ns)
            elif path.is_dir():
                found[rel] = ("dir",)
            else:
                found[rel] = ("file", info.st_size, info.st_mtime_ns, path.read_bytes())
    return found


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, seconds=30):
    """True once predicate() is, within `seconds`; a server not answering yet (OSError) is a no."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def serving(site: Path, ready: str = "/", seconds: int = 60):
    """`localoffer serve SITE` on a free port, until `ready` answers; yields (base URL, log file)."""
    import time
    import urllib.request

    log = open(site.parent / "serve.log", "w+")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "builder", "serve", str(site), "--port", str(port)],
                               cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if urllib.request.urlopen(base + ready, timeout=5).status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, open(log.name).read()
            time.sleep(0.2)
        yield base, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
