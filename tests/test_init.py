"""`localoffer init`: a new site that builds, checks and publishes with the files it writes."""

import datetime as dt
import os
import subprocess
import sys
import tomllib

import pytest
import yaml
from click.testing import CliRunner
from packaging.requirements import Requirement

from builder import __version__
from builder.build import build
from builder.cli import main
from builder.commands import init as starter
from builder.commands.init import SiteDetails, init_site
from builder.content.validate import SCHEMAS
from tests.conftest import ROOT, run_cli

TODAY = dt.date(2026, 11, 23)
# A closed port: `check --live` in the jobs fails to reach it at once, as on a first publish.
UNPUBLISHED = "http://127.0.0.1:9/send/"
DETAILS = SiteDetails("SEND progress in Anyshire", "Anyshire County Council", UNPUBLISHED, "send@anyshire.gov.uk")


@pytest.fixture
def new_site(tmp_path):
    site = tmp_path / "anyshire"
    init_site(site, DETAILS, TODAY)
    return site


def test_writes_every_file_a_new_site_needs(new_site):
    files = sorted(p.relative_to(new_site).as_posix() for p in new_site.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/publish.yml", ".gitignore", ".gitlab-ci.yml", "README.md",
        "content/commitments/example-commitment.md", "content/glossary.yml",
        "content/letters/2026-11-23-example-letter-to-families.md", "content/news/2026-11-23-example-news-item.md",
        "content/pages/example-standing-page.md", "content/pages/getting-started.md",
        "content/timeline/2026-11-example-timeline-event.md",
        "content/updates/2026-11-23-example-progress-update.md", "requirements.txt", "site.toml"]
    config = tomllib.loads((new_site / "site.toml").read_text(encoding="utf-8"))
    assert (config["title"], config["organisation"], config["base_url"], config["contact_email"]) == (
        "SEND progress in Anyshire", "Anyshire County Council", UNPUBLISHED, "send@anyshire.gov.uk")
    assert config["accessibility"]["prepared"] == "2026-11-23"
    glossary = yaml.safe_load((new_site / "content/glossary.yml").read_text(encoding="utf-8"))
    assert glossary["SEND"] == "special educational needs and disabilities" and "EHCP" in glossary


def test_every_example_is_a_draft_of_its_kind_and_the_guide_too(new_site):
    kinds = {"letters": "letter", "updates": "update", "news": "news", "timeline": "event",
             "pages": "page", "commitments": "commitment"}
    seen = set()
    for path in (new_site / "content").rglob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        assert meta["draft"] is True, f"{path.name} would be published"
        kind = kinds[path.parent.name]
        assert set(meta) <= set(SCHEMAS[kind].model_fields)
        seen.add(kind)
    assert seen == set(kinds.values())


def test_the_new_site_builds_and_checks_with_no_errors_with_and_without_drafts(new_site, tmp_path):
    report = build(new_site, tmp_path / "out", use_cache=False, jobs=1, today=TODAY)
    assert report.pages > 0 and not list((tmp_path / "out").rglob("example-*"))  # drafts stay out
    build(new_site, tmp_path / "drafts", drafts=True, use_cache=False, jobs=1, today=TODAY)
    assert (tmp_path / "drafts/getting-started/index.html").exists()  # output holds what /send/ serves
    assert (tmp_path / "drafts/commitments/example-commitment/index.html").exists()
    for options in ([], ["--drafts"]):
        result = run_cli("check", new_site, *options)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().startswith("No problems found"), (result.stdout, result.stderr)
        # The only warnings: the council's [help] links to fill in (site.toml), and the example
        # files, still to be replaced.
        warned = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
        help_links = [line for line in warned if "[help]" in line or "site.toml" in line]
        examples = [line for line in warned if line not in help_links]
        assert len(help_links) == 2, warned
        assert examples and all("/example-" in line or "-example-" in line for line in examples), result.stderr
        # The examples are also warned of what families would see in them (an inspection with no findings).
        assert any("example text" in line or "example line" in line or "nothing under it" in line for line in examples)


def test_requirements_name_the_builder_pinned(new_site):
    lines = [line for line in (new_site / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")]
    assert len(lines) == 1, "one line to change"
    requirement = Requirement(lines[0])
    # The released version that made the site, which the publishing jobs can install from PyPI.
    assert requirement.name == "localoffer" and str(requirement.specifier) == f"=={__version__}"
    assert requirement.url is None


# --- the publishing jobs ------------------------------------------------------------------

def _github(site):
    return yaml.safe_load((site / ".github/workflows/publish.yml").read_text(encoding="utf-8"))


def _gitlab(site):
    return yaml.safe_load((site / ".gitlab-ci.yml").read_text(encoding="utf-8"))


def test_github_workflow_checks_builds_and_deploys_to_pages(new_site):
    workflow = _github(new_site)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    build_steps = workflow["jobs"]["build"]["steps"]
    uses = [s["uses"].split("@")[0] for s in build_steps if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/cache", "actions/upload-pages-artifact"]
    for step in build_steps + workflow["jobs"]["deploy"]["steps"]:
        if "uses" in step:
            assert len(step["uses"].split("@")[1]) == 40, f"{step['uses']} is not pinned to a commit"
    runs = [s["run"] for s in build_steps if "run" in s]
    assert runs[0] == "pip install -r requirements.txt"
    assert runs[1].startswith("localoffer check") and runs[2].startswith("localoffer build")
    assert all('--report "$GITHUB_STEP_SUMMARY" --status status.json' in run for run in runs[1:3])
    # The result for the editor: added even when a step failed, beside the last site that built.
    result = next(s for s in build_steps if s.get("id") == "result")
    assert result["if"].startswith("always()") and "cp status.json output/admin/status.json" in result["run"]
    cache = next(s for s in build_steps if s.get("uses", "").startswith("actions/cache"))
    assert "output" in cache["with"]["path"].split()
    upload = next(s for s in build_steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "output" and upload["if"].startswith("always()")
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert "needs.build.outputs.ready == 'true'" in deploy["if"] and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_gitlab_ci_checks_then_publishes_public_with_pages(new_site):
    ci = _gitlab(new_site)
    assert ci["stages"] == ["check", "publish", "result"]
    assert ci["before_script"] == ["pip install --quiet -r requirements.txt"]
    check, pages, result = ci["check"], ci["pages"], ci["result"]
    assert check["stage"] == "check" and check["script"][0].startswith("localoffer check")
    assert check["artifacts"]["expose_as"] and check["artifacts"]["when"] == "always"
    assert check["artifacts"]["paths"] == ["problems-to-fix.txt"]
    assert pages["stage"] == "publish" and any("localoffer build --output public" in line for line in pages["script"])
    assert pages["script"][-1] == "mkdir -p public/admin && cp status.json public/admin/status.json"
    assert "public" in pages["artifacts"]["paths"] and any("public" in c["paths"] for c in pages["cache"])
    on_main = [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", "when": "always"}]
    assert pages["rules"] == on_main and result["rules"] == on_main and result["needs"] == ["pages"]



# --- the jobs keep the last build ---------------------------------------------------------------
# A CI run starts from a fresh clone: without the builder's record (.cache/localoffer) beside
# the last site, every page is made again on every run.

def test_github_keeps_the_builders_record_with_the_site_keyed_by_the_builder_version(new_site):
    steps = _github(new_site)["jobs"]["build"]["steps"]
    cache = next(n for n, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache@"))
    build = next(n for n, s in enumerate(steps) if s.get("run", "").startswith("localoffer build"))
    assert cache < build, "restored before the build that uses it"
    assert "if" not in steps[cache], "pull requests are checked and built with it too"
    settings = steps[cache]["with"]
    # One cache for both: the record describes the site it sits beside.
    assert set(settings["path"].splitlines()) == {"output", ".cache/localoffer"}
    # requirements.txt pins the builder (localoffer==X.Y.Z): changing it must start clean, so the
    # partial match (restore-keys) holds its digest too, not only the full key.
    version = "${{ hashFiles('requirements.txt') }}"
    assert version in settings["key"] and "${{ github.run_id }}" in settings["key"]
    assert [line for line in settings["restore-keys"].splitlines() if line] == [settings["key"].rsplit("${{", 1)[0]]
    assert version in settings["restore-keys"]


def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it(new_site):
    text = (new_site / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith(("uses:", "- uses:"))]
    assert len(lines) == 5
    for line in lines:
        _, _, pinned = line.partition("@")
        commit, _, comment = pinned.partition(" # ")
        assert len(commit) == 40 and all(c in "0123456789abcdef" for c in commit), line
        assert comment.startswith("v") and comment[1:2].isdigit(), f"{line}: say which version the commit is"


def test_gitlab_keeps_the_builders_record_with_the_site_keyed_by_requirements(new_site):
    ci = _gitlab(new_site)
    caches = ci["pages"]["cache"]
    site = next(c for c in caches if "public" in c["paths"])
    assert set(site["paths"]) == {"public", ".cache/localoffer"}
    assert site["key"]["files"] == ["requirements.txt"]  # the pinned builder version
    # The build runs in the job that restores the cache.
    assert any(line.startswith("test -e not-published || localoffer build") for line in ci["pages"]["script"])


def _job_commands(site):
    """Every command the two publishing files run after installing the builder, in order:
    (GitHub's build steps, {GitLab job: its script lines})."""
    github = [s["run"] for s in _github(site)["jobs"]["build"]["steps"] if "run" in s and "pip " not in s["run"]]
    ci = _gitlab(site)
    return github, {job: ci[job]["script"] for job in ("check", "pages", "result")}


def _run_as_job(site, tmp_path, command):
    """Run a job's command line as the job's shell would, with `localoffer` being this builder."""
    shim = tmp_path / "bin"
    shim.mkdir(exist_ok=True)
    (shim / "localoffer").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m builder "$@"\n')
    (shim / "localoffer").chmod(0o755)
    env = dict(os.environ, PATH=f"{shim}{os.pathsep}{os.environ['PATH']}", PYTHONPATH=str(ROOT),
               GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"), GITHUB_OUTPUT=str(tmp_path / "github-output"),
               GITHUB_SHA="0123456789abcdef0123456789abcdef01234567")
    return subprocess.run(["bash", "-e", "-c", command], cwd=site, env=env, capture_output=True, text=True, timeout=300)


def _status(path):
    import json

    return json.loads(path.read_text(encoding="utf-8"))


def test_the_jobs_commands_succeed_on_the_new_site(new_site, tmp_path):
    github, gitlab = _job_commands(new_site)
    for command in github + [line for lines in gitlab.values() for line in lines]:
        done = _run_as_job(new_site, tmp_path, command)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    assert (new_site / "output/index.html").is_file() and (new_site / "public/index.html").is_file()
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "No problems found" in summary and "Built " in summary
    assert "## No problems found" in (new_site / "problems-to-fix.txt").read_text(encoding="utf-8")
    # The result the editor shows, published with each site.
    for published in (new_site / "output/admin/status.json", new_site / "public/admin/status.json"):
        status = _status(published)
        assert status["result"] == "published" and status["problems"] == [] and status["summary"].startswith("Published.")
    assert _status(new_site / "output/admin/status.json")["commit"] == "0123456789abcdef0123456789abcdef01234567"
    assert "ready=true" in (tmp_path / "github-output").read_text()


BROKEN = "---\ntitle: Broken\ndate: 2024-02-30\nauthor: A\nsummary: S.\n---\nText.\n"


def test_the_jobs_fail_with_the_numbered_report_where_the_officer_looks(new_site, tmp_path):
    github, gitlab = _job_commands(new_site)
    for command in github + gitlab["pages"]:  # a first good run: what the jobs' caches keep
        assert _run_as_job(new_site, tmp_path, command).returncode == 0
    last_good = {p.relative_to(new_site).as_posix() for p in new_site.glob("output/**/*.html")}
    (tmp_path / "summary.md").unlink()
    (new_site / "problems-to-fix.txt").unlink()
    (new_site / "content/letters/2024-02-30-broken.md").write_text(BROKEN, encoding="utf-8")

    check, build, result = github
    for command in (check, build, *gitlab["check"]):
        done = _run_as_job(new_site, tmp_path, command)
        assert done.returncode == 1, f"{command} should fail\n{done.stderr}"
        assert "1. content/letters/2024-02-30-broken.md:3:" in done.stderr, "the job log has the numbered report"
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "## Check found problems: 1 problem to fix" in summary
    assert "## The site was not built: 1 problem to fix" in summary
    assert "1. `content/letters/2024-02-30-broken.md`, line 3:" in summary and "How to fix:" in summary
    exposed = (new_site / "problems-to-fix.txt").read_text(encoding="utf-8")
    assert "1. `content/letters/2024-02-30-broken.md`, line 3:" in exposed

    # The result still reaches the editor, beside the last site that built (which is unchanged).
    assert _run_as_job(new_site, tmp_path, result).returncode == 0
    for command in gitlab["pages"]:
        assert _run_as_job(new_site, tmp_path, command).returncode == 0, command
    for folder in ("output", "public"):
        status = _status(new_site / folder / "admin/status.json")
        assert status["result"] == "problems" and status["summary"].startswith("Not published: 1 problem to fix.")
        assert status["problems"][0]["file"] == "content/letters/2024-02-30-broken.md"
        assert status["problems"][0]["line"] == 3 and status["problems"][0]["how_to_fix"]
    assert {p.relative_to(new_site).as_posix() for p in new_site.glob("output/**/*.html")} == last_good
    done = _run_as_job(new_site, tmp_path, gitlab["result"][0])
    assert done.returncode == 1 and "content/letters/2024-02-30-broken.md" in done.stdout, "the pipeline shows red"


def test_a_first_run_that_fails_publishes_nothing_on_gitlab(new_site, tmp_path):
    (new_site / "content/letters/2024-02-30-broken.md").write_text(BROKEN, encoding="utf-8")
    *setup, last = _job_commands(new_site)[1]["pages"]
    for command in setup[:-1]:
        _run_as_job(new_site, tmp_path, command)
    assert _run_as_job(new_site, tmp_path, setup[-1]).returncode == 1  # no site has ever been built
    assert not (new_site / "public").exists()


# --- the command: flags, questions, refusals ----------------------------------------------------

def test_flags_without_a_terminal_never_ask(tmp_path):
    site = tmp_path / "s"
    result = run_cli("init", site, "--title", "SEND in Anyshire", "--organisation", "Anyshire CC",
                     "--base-url", "www.anyshire.gov.uk/send", "--email", "mailto:send@anyshire.gov.uk")
    assert result.returncode == 0, result.stderr
    config = tomllib.loads((site / "site.toml").read_text())
    assert config["base_url"] == "https://www.anyshire.gov.uk/send/"
    assert config["contact_email"] == "send@anyshire.gov.uk"
    assert "getting-started.md" in result.stdout


def test_no_terminal_and_no_flags_uses_defaults_and_says_so(tmp_path):
    site = tmp_path / "s"
    done = subprocess.run([sys.executable, "-m", "builder", "init", str(site)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    assert "--title, --organisation, --base-url, --email" in done.stderr and "site.toml" in done.stderr
    config = tomllib.loads((site / "site.toml").read_text())
    assert config["title"] == starter.DEFAULT_TITLE and config["base_url"] == starter.DEFAULT_BASE_URL


def test_bad_flag_is_a_usage_error_and_writes_nothing(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "s"), "--email", "not an email"])
    assert result.exit_code == 2 and "is not an email address" in result.output
    assert not (tmp_path / "s").exists()


def test_questions_at_a_terminal_check_each_answer(tmp_path, monkeypatch):
    monkeypatch.setattr(starter, "can_ask", lambda: True)
    answers = "\n".join([
        "",                               # title: the default
        "Anyshire County Council",
        "ftp://nope",                     # refused, asked again
        "anyshire.github.io/send",        # https:// and / added
        "send-at-anyshire",               # refused, asked again
        "send@anyshire.gov.uk",
    ]) + "\n"
    result = CliRunner().invoke(main, ["init", str(tmp_path / "s")], input=answers)
    assert result.exit_code == 0, result.output
    assert "is not a web address" in result.output and "is not an email address" in result.output
    config = tomllib.loads((tmp_path / "s/site.toml").read_text())
    assert config["title"] == starter.DEFAULT_TITLE
    assert config["organisation"] == "Anyshire County Council"
    assert config["base_url"] == "https://anyshire.github.io/send/"
    assert config["contact_email"] == "send@anyshire.gov.uk"


def test_questions_skip_what_the_flags_gave(tmp_path, monkeypatch):
    monkeypatch.setattr(starter, "can_ask", lambda: True)
    result = CliRunner().invoke(main, ["init", str(tmp_path / "s"), "--title", "T", "--base-url", "https://x.org/"],
                                input="Org\nsend@x.org\n")
    assert result.exit_code == 0, result.output
    assert "site's name" not in result.output and "Your organisation" in result.output
    config = tomllib.loads((tmp_path / "s/site.toml").read_text())
    assert (config["title"], config["organisation"], config["contact_email"]) == ("T", "Org", "send@x.org")


def test_questions_ask_again_for_an_empty_organisation_or_email_and_a_localhost_address(tmp_path, monkeypatch):
    monkeypatch.setattr(starter, "can_ask", lambda: True)
    answers = "\n".join([
        "SEND in Anyshire",
        "",                                   # organisation: empty, asked again
        "   ",                                # still empty
        "Anyshire County Council",
        "",                                   # no address: asked again
        "http://localhost:8000/",             # the preview: asked again
        "127.0.0.1:8000/send/",
        "https://www.anyshire.gov.uk/send/",
        "",                                   # no email: asked again
        "send@anyshire.gov.uk",
    ]) + "\n"
    result = CliRunner().invoke(main, ["init", str(tmp_path / "s")], input=answers)
    assert result.exit_code == 0, result.output
    assert result.output.count("type who runs the site") == 2
    assert result.output.count("the preview on this computer") == 2
    assert "type the address the site will have on the web" in result.output
    assert "type an email address families can write to" in result.output
    config = tomllib.loads((tmp_path / "s/site.toml").read_text())
    assert (config["organisation"], config["base_url"], config["contact_email"]) == (
        "Anyshire County Council", "https://www.anyshire.gov.uk/send/", "send@anyshire.gov.uk")


def test_quotes_and_accents_in_answers_make_valid_toml(tmp_path):
    init_site(tmp_path / "s", SiteDetails('The "Ynys Môn" SEND site', "Cyngor Sir Ynys Môn", UNPUBLISHED, ""), TODAY)
    assert tomllib.loads((tmp_path / "s/site.toml").read_text())["title"] == 'The "Ynys Môn" SEND site'


def test_refuses_a_folder_that_is_not_empty_and_changes_nothing(tmp_path, monkeypatch):
    site = tmp_path / "s"
    site.mkdir()
    (site / "notes.txt").write_text("mine")
    monkeypatch.setattr(starter, "can_ask", lambda: True)
    result = CliRunner().invoke(main, ["init", str(site)], input="\n\n\n\n")
    assert result.exit_code == 1
    assert "is not empty (it holds notes.txt)" in result.output and "How to fix:" in result.output
    assert "site's name" not in result.output, "refused before asking anything"
    assert sorted(p.name for p in site.iterdir()) == ["notes.txt"]


def test_a_fresh_git_clone_counts_as_empty(tmp_path):
    site = tmp_path / "s"
    (site / ".git").mkdir(parents=True)
    init_site(site, DETAILS, TODAY)
    assert (site / "site.toml").is_file()
