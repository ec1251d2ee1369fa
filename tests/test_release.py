"""A release a council can install: the wheel and source archive build, pass `twine check`,
and the wheel, installed into a fresh virtual environment, makes a new site and builds it.

Slow (it builds and installs a package), so marked `slow`; it still runs in `make test` and CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from builder import __version__
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

# What a release is built from: the sdist must hold everything the wheel needs, which building
# the wheel from the sdist (python -m build's default) proves.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "MANIFEST.in", "builder")


def _run(*args, cwd=None, env=None, timeout=600) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """Build the sdist, then the wheel from it, from a copy of the sources (the build writes
    egg-info and build/ beside the sources, which must never land in the working tree)."""
    work = tmp_path_factory.mktemp("release")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    # --no-isolation: use this environment's setuptools, so the test needs no network.
    _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", work / "dist", source)
    return work / "dist"


def test_wheel_and_sdist_carry_the_version_and_pass_twine_check(dist):
    wheel, sdist = dist / f"localoffer-{__version__}-py3-none-any.whl", dist / f"localoffer-{__version__}.tar.gz"
    assert sorted(p.name for p in dist.iterdir()) == sorted([wheel.name, sdist.name])
    _run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"localoffer-{__version__}.dist-info/METADATA").decode()
    # The theme, the editor and the starter files are data, easily left out of a wheel.
    assert {"builder/theme/templates/base.html", "builder/theme/admin/preview.js",
            "builder/starter/publish.yml", "builder/starter/gitlab-ci.yml"} <= names
    assert f"localoffer-{__version__}.dist-info/licenses/LICENSE" in names
    assert "License-Expression: MIT" in metadata and "Classifier: Operating System :: OS Independent" in metadata
    assert "Project-URL: Changelog, " in metadata
    with tarfile.open(sdist) as archive:
        members = {Path(name).relative_to(f"localoffer-{__version__}").as_posix() for name in archive.getnames()[1:]}
    assert {"CHANGELOG.md", "LICENSE", "README.md", "pyproject.toml", "builder/cli.py"} <= members


def test_version_is_written_once_and_listed_in_the_changelog():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and project["dynamic"] == ["version"]  # builder/__init__.py is the one place
    assert f"\n## {__version__}\n" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def _fresh_venv(where: Path) -> Path:
    """A new virtual environment that sees this one's installed libraries (the builder's
    dependencies) after its own, so installing the wheel needs no download. Returns its bin/."""
    _run(sys.executable, "-m", "venv", "--without-pip", where)
    inner = Path(sysconfig.get_path("purelib", vars={"base": str(where), "platbase": str(where)}))
    ours = {Path(sysconfig.get_path(key)) for key in ("purelib", "platlib")}
    (inner / "dependencies.pth").write_text("".join(f"{path}\n" for path in ours), encoding="utf-8")
    return where / ("Scripts" if os.name == "nt" else "bin")


def test_the_wheel_installs_into_a_fresh_venv_and_makes_and_builds_a_site(dist, tmp_path):
    bin_dir = _fresh_venv(tmp_path / "venv")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    wheel = dist / f"localoffer-{__version__}-py3-none-any.whl"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    where = _run(python, "-c", "import builder; print(builder.__file__)", cwd=tmp_path, env=env).stdout.strip()
    assert Path(where).is_relative_to(tmp_path / "venv"), f"the builder came from {where}, not the wheel"

    localoffer = bin_dir / "localoffer"
    assert _run(localoffer, "--version", cwd=tmp_path, env=env).stdout.strip().endswith(__version__)
    _run(localoffer, "init", "anyshire", "--title", "SEND progress in Anyshire", "--organisation", "Anyshire Council",
         "--base-url", "https://www.anyshire.gov.uk/send/", "--email", "send@anyshire.gov.uk", cwd=tmp_path, env=env)
    site = tmp_path / "anyshire"
    built = _run(localoffer, "build", cwd=site, env=env)
    assert built.stdout.startswith("Built ") and (site / "output/index.html").is_file()
    _run(localoffer, "check", "--drafts", cwd=site, env=env)

    # The pins: requirements.txt names the released version of the builder that made the site,
    # and both publishing jobs install exactly requirements.txt, and nothing else of ours.
    lines = [line for line in (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines == [f"localoffer=={__version__}"]
    github = yaml.safe_load((site / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((site / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    installs = [step["run"] for step in github["jobs"]["build"]["steps"] if "pip " in step.get("run", "")]
    installs += [line for line in gitlab["before_script"] if "pip " in line]
    assert installs == ["pip install -r requirements.txt", "pip install --quiet -r requirements.txt"]
