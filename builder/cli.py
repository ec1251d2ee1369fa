"""Command line: localoffer build | serve | new | check | init."""

from __future__ import annotations

import sys
import traceback
from gettext import ngettext
from pathlib import Path

import click

from builder.commands.messages import say_waiting, summary_line
from builder.errors import BuildFailed, ContentError, format_errors


def _site(path: str) -> Path:
    return Path(path).resolve()


def _fail(errors, heading: str = "The site was not built", report: Path | None = None, warnings=(),
          status: Path | None = None) -> None:
    click.echo(format_errors(errors, heading), err=True)
    if status:
        from builder.commands.status import status_record, write_status

        write_status(status, status_record(list(errors), list(warnings), heading))
    if report:
        from builder.commands.report import add_report, markdown_report

        add_report(report, markdown_report(heading, list(errors), list(warnings)))
    sys.exit(1)


def run_build(site_dir: Path, output: Path | None, drafts: bool, jobs: int | None, debug: bool = False,
              report: Path | None = None, status: Path | None = None, **extra):
    from builder.build import build

    return guarded(lambda: build(site_dir, output, drafts=drafts, jobs=jobs, on_wait=say_waiting, **extra), debug,
                   report=report, status=status)


def guarded(work, debug: bool = False, heading: str = "The site was not built", report: Path | None = None,
            status: Path | None = None):
    """Run work; turn content errors into the numbered report and builder bugs into one line.
    With report, the numbered report is also added to that file as Markdown (--report)."""
    try:
        return work()
    except BuildFailed as failure:
        _fail(failure.errors, heading, report, status=status)
    except ContentError as problem:
        _fail([problem], heading, report, status=status)
    except KeyboardInterrupt:
        click.echo("Stopped. The published output folder was not changed.", err=True)
        sys.exit(130)
    except Exception as problem:  # a bug in the builder, not in the content
        if debug:
            traceback.print_exc()
        text = (f"The builder hit an unexpected problem ({type(problem).__name__}: {problem}). "
                "The published output folder was not changed. Run again with --debug and report the output.")
        click.echo(text, err=True)
        if report:
            from builder.commands.report import add_report

            add_report(report, f"## {heading}\n\n{text}\n\n")
        if status:
            from builder.commands.status import status_record, write_status

            bug = ContentError("(the builder)", f"hit an unexpected problem ({type(problem).__name__}: {problem})", None,
                               "publish again; if this stays, ask your IT team to run the build with --debug")
            write_status(status, status_record([bug], (), heading))
        sys.exit(2)


_REPORT = click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
                       help="Also add the result, with any numbered problems, to FILE as Markdown "
                            "(for example $GITHUB_STEP_SUMMARY in a GitHub Actions job).")
_STATUS = click.option("--status", type=click.Path(dir_okay=False, path_type=Path),
                       help="Also write the result as JSON to FILE, for the editor to show (the publishing jobs "
                            "publish it at /admin/status.json).")


@click.group(help="Build an accessible website of SEND progress updates from Markdown files.")
@click.version_option(package_name="localoffer")
def main() -> None:
    pass


@main.command(help="Build the site into SITE_DIR/output (or --output).")
@click.argument("site_dir", default=".", type=click.Path(file_okay=False))
@click.option("--output", "-o", type=click.Path(file_okay=False), help="Folder to write the site to.")
@click.option("--drafts", is_flag=True, help="Include pages marked draft: true.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Processes to use (default: all cores).")
@click.option("--no-cache", is_flag=True, help="Ignore and do not update the build cache.")
@_REPORT
@_STATUS
@click.option("--debug", is_flag=True, hidden=True)
def build(site_dir, output, drafts, jobs, no_cache, report, status, debug):
    result = run_build(_site(site_dir), Path(output) if output else None, drafts, jobs, debug, report, status,
                       use_cache=not no_cache, process_ends=True)
    click.echo(summary_line(result))
    if status:
        from builder.commands.status import status_record, write_status

        write_status(status, status_record(success=summary_line(result)))
    if report:
        from builder.commands.report import add_report, markdown_report

        add_report(report, markdown_report("", success=summary_line(result)))


@main.command(help="Check every page, link and attachment without writing the site.")
@click.argument("site_dir", default=".", type=click.Path(file_okay=False))
@click.option("--drafts", is_flag=True, help="Include pages marked draft: true.")
@click.option("--published", metavar="FOLDER|FILE|URL",
              help="The last build to compare addresses with: its folder, its sitemap.xml, or a web address "
                   "of a sitemap.xml (default: the output folder, when there is one).")
@click.option("--live", is_flag=True, help="Compare addresses with the published site's sitemap.xml at base_url.")
@_REPORT
@_STATUS
@click.option("--debug", is_flag=True, hidden=True)
def check(site_dir, drafts, published, live, report, status, debug):
    from builder.commands.check import run_check

    heading = "Check found problems"
    warnings, failures = guarded(lambda: run_check(_site(site_dir), drafts, published, live), debug, heading, report,
                                 status)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if failures:
        _fail(failures, heading, report, warnings, status)
    count = ngettext("%(num)d warning", "%(num)d warnings", len(warnings)) % {"num": len(warnings)}
    done = f"No problems found{f' ({count})' if warnings else ''}."
    click.echo(done)
    if report:
        from builder.commands.report import add_report, markdown_report

        add_report(report, markdown_report(heading, warnings=warnings, success=done))


@main.command(help="Build, serve on http://127.0.0.1:8000 (this computer only) and rebuild when files change.")
@click.argument("site_dir", default=".", type=click.Path(file_okay=False))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on; when it is in use, the next free one is used and named.")
@click.option("--drafts", is_flag=True, help="Include pages marked draft: true.")
@click.option("--output", "-o", type=click.Path(file_okay=False))
def serve(site_dir, port, drafts, output):
    from builder.commands.ports import HOST
    from builder.commands.serve import serve as run_server

    # Only 127.0.0.1: the preview's editor writes files, so it is never offered to the network.
    run_server(_site(site_dir), Path(output).resolve() if output else None, HOST, port, drafts)


@main.command(short_help="Start a new file with every field filled in.",
              help='Start a new file with every field of its kind filled in, for example:\n\n'
                   '    localoffer new letter "Our progress in May"\n\n'
                   'or the Easy Read version of a page, giving the page\'s file:\n\n'
                   '    localoffer new easy-read content/letters/2022-07-01-open-letter.md')
@click.argument("kind", type=click.Choice(["letter", "update", "news", "event", "page", "commitment", "feedback", "measure", "easy-read"]))
@click.argument("title")
@click.option("--site", "site_dir", default=".", type=click.Path(file_okay=False))
def new(kind, title, site_dir):
    from builder.commands.new import create

    try:
        if kind == "easy-read":  # TITLE is then the page it is a version of
            from builder.commands.new import create_easy_read

            path = create_easy_read(_site(site_dir), title)
        else:
            path = create(_site(site_dir), kind, title)
    except ContentError as problem:
        _fail([problem])
    click.echo(path)


_INIT_HELP = """Make a new site in FOLDER: settings, a getting-started page, a glossary, one draft
example of each kind of page, and the jobs that publish it on GitHub Pages or GitLab Pages.

At a terminal it asks for the site's details; otherwise give them as options, for example:

    localoffer init send-progress --title "SEND progress in Anyshire" --organisation "Anyshire County Council"
    --base-url https://www.anyshire.gov.uk/send-progress/ --email send@anyshire.gov.uk
"""


@main.command(short_help="Make a new site, ready to write in and to publish.", help=_INIT_HELP)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", help="The site's name, shown on every page.")
@click.option("--organisation", help="Who runs the site, such as the council's name.")
@click.option("--base-url", help="The address the site will be published at.")
@click.option("--email", help="The contact email address for families.")
def init(folder, title, organisation, base_url, email):
    from builder.commands import init as starter

    try:
        starter.refuse_non_empty(folder)  # before any question: never ask in vain
    except ContentError as problem:
        _fail([problem], "The site was not made")
    questions = [
        ("title", title, "The site's name (shown on every page)", starter.DEFAULT_TITLE, starter.check_title),
        ("organisation", organisation, "Your organisation, such as the council's name", "", starter.check_organisation),
        ("base_url", base_url, "The address the site will be published at (you can change it later in site.toml)",
         starter.DEFAULT_BASE_URL, starter.check_base_url),
        ("email", email, "The contact email address for families", "", starter.check_email),
    ]
    ask = starter.can_ask()
    answers, defaulted = {}, []
    for name, given, question, default, check in questions:
        if given is not None:
            try:
                answers[name] = check(given)
            except ValueError as problem:
                raise click.BadParameter(str(problem), param_hint=f"--{name.replace('_', '-')}") from None
        elif ask:  # stricter than a flag: an empty answer or a localhost address is asked again
            strict = starter.ASKED.get(name)
            answers[name] = click.prompt(question, default="" if strict else default, show_default=bool(default and not strict),
                                         value_proc=_asking(strict or check))
        else:
            answers[name] = default
            defaulted.append(f"--{name.replace('_', '-')}")
    try:
        written = starter.init_site(folder, starter.SiteDetails(**answers))
    except ContentError as problem:
        _fail([problem], "The site was not made")
    if defaulted:
        click.echo(f"No terminal to ask questions in, so these were left as defaults: {', '.join(defaulted)}. "
                   "Change them in site.toml.", err=True)
    click.echo(f"Made a new site in {folder} ({len(written)} files).")
    click.echo(f"Next: read {Path(folder) / 'content' / 'pages' / 'getting-started.md'}, or preview the examples with")
    click.echo(f"    localoffer serve {folder} --drafts")


def _asking(check):
    """A prompt's value_proc: a ValueError's sentence is shown, and the question asked again."""
    def proc(value):
        try:
            return check(value)
        except ValueError as problem:
            raise click.UsageError(str(problem)) from None
    return proc
