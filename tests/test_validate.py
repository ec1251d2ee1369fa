from pathlib import Path

import pytest

from builder.content.dates import PartialDate
from builder.content.read import parse_source
from builder.content.validate import PageInvalid, slugify, validate


def _page(text, kind="letter", path="content/letters/2022-04-spring.md", site=Path("/nonexistent")):
    return validate(parse_source(path, text), kind, site, "/")


def _errors(text, kind="letter", path="content/letters/x.md"):
    with pytest.raises(PageInvalid) as problem:
        _page(text, kind, path)
    return problem.value.errors


def test_letter_is_validated_into_an_immutable_page():
    page = _page("---\ntitle: Spring\ndate: 2022-04-01\nauthor: Ros\nnext_update: 2022-07\ntags: [Independent Review]\n---\nHi\n")
    assert page.slug == "2022-04-spring"
    assert page.url == "/letters/2022-04-spring/"
    assert page.next_update == PartialDate(2022, 7)
    assert page.tags == ("independent-review",)
    with pytest.raises(Exception):
        page.title = "changed"


def test_missing_required_fields_are_each_reported():
    errors = _errors("---\nsummary: x\n---\n")
    messages = " ".join(e.message for e in errors)
    assert 'required field "title"' in messages and 'required field "date"' in messages
    assert 'required field "author"' in messages


def test_unknown_field_suggests_the_right_one_with_its_line():
    errors = _errors("---\ntitel: Hi\ntitle: Hi\ndate: 2022-01-01\nauthor: A\n---\n")
    assert errors[0].line == 2
    assert 'Did you mean "title"?' in errors[0].message


def test_bad_date_message_and_line():
    errors = _errors("---\ntitle: Hi\ndate: 31/02/2022\nauthor: A\n---\n")
    assert errors[0].line == 3
    assert '"31/02/2022" is not a date' in errors[0].message
    assert "2022-02-28" in errors[0].hint


def test_unknown_event_type_did_you_mean():
    errors = _errors("---\ntitle: Hi\ndate: 2019-01\nevent: inspecton\n---\n", "event", "content/timeline/x.md")
    assert 'Did you mean "inspection"?' in errors[0].message
    assert errors[0].line == 4


@pytest.mark.parametrize("value, word", [("[a, b]", "a list"), ("2022", "the number 2022")])
def test_title_must_be_text(value, word):
    errors = _errors(f"---\ntitle: {value}\ndate: 2022-01-01\nauthor: A\n---\n")
    assert "must be text" in errors[0].message and word in errors[0].message


def test_unsafe_slug_is_refused():
    errors = _errors("---\ntitle: Hi\ndate: 2022-01-01\nauthor: A\nslug: ../../evil\n---\n")
    assert "slug" in errors[0].message and "evil" in errors[0].message


def test_events_take_month_dates_but_letters_do_not():
    assert _page("---\ntitle: R\ndate: 2019-01\nevent: revisit\nby: Ofsted\n---\n", "event",
                 "content/timeline/r.md").by == ("Ofsted",)
    assert "needs a day" in _errors("---\ntitle: Hi\ndate: 2022-01\nauthor: A\n---\n")[0].message


def test_slugify_handles_unicode_file_names():
    assert slugify("Café update – May") == "cafe-update-may"


def test_an_optional_field_left_empty_counts_as_not_given():
    # The browser editor saves a cleared field as `field: ""`; that must not break the build.
    page = _page('---\ntitle: T\ndate: 2022-04-01\nauthor: A\nupdated: ""\nslug: ""\nnext_update: ""\n'
                 'salutation: ""\ntags: ""\n---\nBody\n')
    assert (page.updated, page.next_update, page.slug, page.tags) == (None, None, "2022-04-spring", ())
    assert page.salutation == ""  # the theme writes the greeting in the page's language


def test_a_required_field_left_empty_is_still_reported():
    messages = [e.message for e in _errors('---\ntitle: ""\ndate: ""\nauthor: A\n---\n')]
    assert 'date "" is not a date' in messages and "the title is empty" in messages, messages
def test_questions_is_a_field_of_standing_pages_only():
    page = _page("---\ntitle: Questions\nquestions: true\n---\n## Why?\n\nBecause.\n", "page", "content/pages/faq.md")
    assert page.questions is True
    assert _page("---\ntitle: About\n---\nText\n", "page", "content/pages/about.md").questions is False
    errors = _errors("---\ntitle: Hi\ndate: 2022-01-01\nauthor: A\nquestions: true\n---\n")
    assert errors[0].line == 5 and "questions" in errors[0].message
    problem = _errors("---\ntitle: Q\nquestions: maybe\n---\n", "page", "content/pages/faq.md")[0]
    assert problem.line == 3


def test_questions_field_has_a_plain_english_description():
    from builder.content.validate import SCHEMAS

    assert "## heading" in SCHEMAS["page"].model_fields["questions"].description
