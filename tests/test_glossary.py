"""content/glossary.yml: the TERM: meaning mapping, and the terms: list the browser editor saves."""

import pytest

from builder.content.glossary import parse_glossary
from builder.errors import ContentError


def test_the_mapping_form_still_works():
    assert parse_glossary("content/glossary.yml", b'SEND: special needs\nEHCP: "Education, Health and Care Plan"\n') == {
        "EHCP": "Education, Health and Care Plan", "SEND": "special needs"}


def test_the_list_form_the_editor_saves():
    text = b'terms:\n  - term: SEND\n    meaning: special needs\n  - term: EHCP\n    meaning: " Education, Health and Care Plan "\n'
    assert parse_glossary("content/glossary.yml", text) == {"EHCP": "Education, Health and Care Plan", "SEND": "special needs"}


def test_both_forms_in_one_file_are_merged():
    # An old mapping-form file saved by the editor on a live site keeps its mapping terms.
    text = b"CQC: Care Quality Commission\nterms:\n  - term: DfE\n    meaning: Department for Education\n"
    assert list(parse_glossary("content/glossary.yml", text)) == ["CQC", "DfE"]


@pytest.mark.parametrize("text, message", [
    (b"terms: EHCP\n", "must be a list"),
    (b"terms:\n  - term: EHCP\n", 'the term "EHCP" needs a meaning'),
    (b"terms:\n  - meaning: a plan\n", "term 1 of the list has no term"),
    (b"terms:\n  - term: EHCP\n    meaning: a plan\n    colour: red\n", "unknown fields: colour"),
])
def test_list_form_mistakes_name_the_problem(text, message):
    with pytest.raises(ContentError) as caught:
        parse_glossary("content/glossary.yml", text)
    assert message in caught.value.message and caught.value.line == 1 and caught.value.hint
