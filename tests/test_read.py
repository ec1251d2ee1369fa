import pytest

from builder.errors import ContentError
from builder.content.read import decode, parse_source


def test_splits_front_matter_and_body_with_line_numbers():
    raw = parse_source("content/updates/a.md", "---\ntitle: Hello\ndate: 2024-01-02\n---\nBody line\n")
    assert raw.meta == {"title": "Hello", "date": "2024-01-02"}  # dates stay text for the validator
    assert raw.body == "Body line\n"
    assert raw.body_line == 5
    assert raw.line_of("date") == 3


def test_yaml_error_reports_the_file_line():
    with pytest.raises(ContentError) as problem:
        parse_source("content/updates/a.md", '---\ntitle: Hello\nsummary: "unclosed\ndate: 2024-01-02\n---\n')
    assert problem.value.line in (3, 4, 5)
    assert "cannot be read" in problem.value.message


@pytest.mark.parametrize("text, line", [
    ("---\ntitle: Hello\n\tauthor: Sam\n---\n", 3),            # a field indented with a tab
    ("---\ntitle: Hello\ntags:\n\t- ehcp\n---\n", 4),          # a list item indented with a tab
    ("---\n\ttitle: Hello\n---\n", 2),
])
def test_a_tab_in_front_matter_is_named_with_its_line(text, line):
    with pytest.raises(ContentError) as problem:
        parse_source("content/updates/a.md", text)
    assert problem.value.line == line and problem.value.path == "content/updates/a.md"
    assert "tab" in problem.value.message and "spaces" in problem.value.hint


def test_front_matter_that_is_a_list():
    with pytest.raises(ContentError) as problem:
        parse_source("x.md", "---\n- title\n- date\n---\n")
    assert "not a list" in problem.value.message or "a list" in problem.value.message


@pytest.mark.parametrize("text, phrase", [
    ("", "empty"),
    ("   \n\n", "empty"),
    ("Just text\n", "does not start with front matter"),
    ("---\ntitle: x\n", "not closed"),
])
def test_structural_problems(text, phrase):
    with pytest.raises(ContentError) as problem:
        parse_source("x.md", text)
    assert phrase in problem.value.message


def test_bom_and_crlf_are_accepted():
    text = decode("x.md", b"\xef\xbb\xbf---\r\ntitle: Hi\r\n---\r\nBody\r\n")
    assert parse_source("x.md", text).meta["title"] == "Hi"


def test_not_utf8_names_the_line():
    with pytest.raises(ContentError) as problem:
        decode("x.md", b"---\ntitle: caf\xe9\n---\n")
    assert problem.value.line == 2
    assert "UTF-8" in problem.value.message
