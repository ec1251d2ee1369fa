from builder.commands.check import check_output, lint_source

GLOSSARY = {"EHCP": "Education, Health and Care Plan"}


def lint(body, front="title: T\nsummary: S\n"):
    return lint_source("content/updates/a.md", f"---\n{front}---\n{body}", GLOSSARY)


def test_vague_link_text_fails_with_its_line():
    warnings, failures = lint("Intro\n\nTo read it [click here](x.md).\n")
    assert len(failures) == 1 and failures[0].line == 7 and "click here" in failures[0].message


def test_image_without_alt_fails():
    _, failures = lint("![](chart.png)\n")
    assert "no text alternative" in failures[0].message


def test_unknown_acronym_long_sentence_and_missing_summary_warn():
    long_sentence = " ".join(["word"] * 31) + "."
    warnings, failures = lint(f"The EHCP and the SENCO.\n\n{long_sentence}\n", front="title: T\n")
    messages = [w.message for w in warnings]
    assert failures == []
    assert any('"SENCO"' in m for m in messages) and not any('"EHCP"' in m for m in messages)
    assert any("sentence of 31 words" in m for m in messages)
    assert any("no summary" in m for m in messages)


def test_output_link_check_reports_file_and_line(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<p id="x">\n<a href="/a/">ok</a>\n<a href="/missing/">bad</a>\n<a href="#nope">frag</a>\n')
    (tmp_path / "a/index.html").write_text("<p>a</p>")
    errors = check_output(tmp_path)
    assert [(e.path, e.line) for e in errors] == [("output/index.html", 3), ("output/index.html", 4)]


def test_check_command_on_the_example_site_finds_no_failures():
    from tests.conftest import ROOT, run_cli

    result = run_cli("check", ROOT)
    assert result.returncode == 0, result.stderr
    assert "No problems found" in result.stdout
