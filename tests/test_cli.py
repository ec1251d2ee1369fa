import os
import re
import subprocess
import sys

from tests.conftest import LETTER, ROOT, run_cli


def test_build_prints_one_summary_line_and_exits_zero(make_site):
    site = make_site({"content/letters/2020-01-01-a.md": LETTER.format(title="A", date="2020-01-01"),
                      "content/letters/2199-01-01-b.md": LETTER.format(title="B", date="2199-01-01")})
    result = run_cli("build", site)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert re.match(r"Built \d+ pages in \d+\.\d\d s .*next scheduled publication: 1 January 2199\.$", lines[0])
    assert (site / "output/letters/2020-01-01-a/index.html").exists()


def test_build_defaults_to_the_current_folder(make_site):
    site = make_site({"content/pages/about.md": "---\ntitle: About\n---\nHi\n"})
    result = run_cli("build", cwd=site)
    assert result.returncode == 0 and (site / "output/about/index.html").exists()


def test_site_with_only_content_and_site_toml_uses_the_default_theme(make_site):
    site = make_site({"content/updates/2020-01-01-a.md": "---\ntitle: A\ndate: 2020-01-01\n---\nHi\n"})
    assert run_cli("build", site, "--output", site / "public").returncode == 0
    assert (site / "public/assets/style.css").exists() and not (site / "output").exists()


def test_site_template_overrides_the_default(make_site):
    site = make_site({"content/pages/about.md": "---\ntitle: About\n---\nHi\n",
                      "templates/page.html": '{% extends "base.html" %}{% block content %}<h1>Custom {{ page.title }}</h1>{% endblock %}'})
    assert run_cli("build", site).returncode == 0
    assert "<h1>Custom About</h1>" in (site / "output/about/index.html").read_text()


def test_content_error_exits_non_zero_without_traceback(make_site):
    site = make_site({"content/letters/2022-04.md": "---\ntitle: T\ndate: 31/02/2022\nauthor: A\n---\n"})
    result = run_cli("build", site)
    assert result.returncode == 1
    assert 'content/letters/2022-04.md:3: date "31/02/2022" is not a date' in result.stderr
    assert "2022-02-28" in result.stderr and "Traceback" not in result.stderr


def test_drafts_flag(make_site):
    site = make_site({"content/updates/2020-01-01-a.md": "---\ntitle: A\ndate: 2020-01-01\ndraft: true\n---\nHi\n"})
    assert run_cli("build", site).returncode == 0
    assert not (site / "output/updates/2020-01-01-a").exists()
    assert run_cli("build", site, "--drafts").returncode == 0
    assert (site / "output/updates/2020-01-01-a/index.html").exists()


def test_installed_wheel_builds_a_site_outside_the_repository(tmp_path, make_site):
    """The default theme ships inside the package: `pip install .` must be enough."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", wheels, ROOT],
                   check=True, capture_output=True)
    target = tmp_path / "installed"
    wheel = next(wheels.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", target, wheel],
                   check=True, capture_output=True)
    site = make_site({"content/updates/2020-01-01-a.md": "---\ntitle: A\ndate: 2020-01-01\n---\nHi\n"})
    env = dict(os.environ, PYTHONPATH=str(target))
    probe = subprocess.run([sys.executable, "-c", "import builder; print(builder.__file__)"], env=env,
                           cwd=tmp_path, capture_output=True, text=True)
    assert probe.stdout.startswith(str(target))
    result = subprocess.run([sys.executable, "-m", "builder", "build", site], env=env, cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (site / "output/assets/style.css").exists()
    assert (site / "output/updates/2020-01-01-a/index.html").exists()
