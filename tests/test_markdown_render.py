from bs4 import BeautifulSoup

from builder.content.markdown_render import MarkdownRenderer, is_local, local_links

GLOSSARY = {"EHCP": "Education, Health and Care Plan", "SEND": "special educational needs and disabilities"}


def soup(html):
    return BeautifulSoup(html, "html.parser")


def test_heading_levels_start_at_h2_and_never_skip():
    html = MarkdownRenderer({}).render("# One\n\n#### Deep\n\n## Two\n").html
    assert [h.name for h in soup(html).find_all(["h1", "h2", "h3", "h4", "h5", "h6"])] == ["h2", "h3", "h3"]


def test_headings_get_ids_and_reserved_ids_are_avoided():
    rendered = MarkdownRenderer({}).render("## Main\n\n## What happens next\n")
    assert [h.id for h in rendered.headings] == ["main-section", "what-happens-next"]
    assert soup(rendered.html).find("h2")["id"] == "main-section"


def test_raw_html_is_sanitised_but_useful_tags_survive():
    body = ('<script>alert(1)</script><a href="javascript:alert(1)" onclick="x()">bad</a>\n\n'
            '<details><summary>More</summary>Text</details>\n\n<abbr title="Local Authority">LA</abbr>\n\n'
            '<iframe src="https://evil.example"></iframe><style>body{}</style>')
    doc = soup(MarkdownRenderer({}).render(body).html)
    assert doc.find("script") is None and doc.find("iframe") is None and doc.find("style") is None
    link = doc.find("a")
    assert link is not None and not link.get("href") and not link.get("onclick")
    assert doc.find("details").find("summary").text == "More"
    assert doc.find("abbr")["title"] == "Local Authority"


def test_raw_html_kept_when_the_site_allows_it():
    doc = soup(MarkdownRenderer({}, allow_raw_html=True).render('<iframe title="Map" src="https://maps.example"></iframe>').html)
    assert doc.find("iframe") is not None


def test_first_use_of_each_glossary_term_is_marked():
    html = MarkdownRenderer(GLOSSARY).render("## EHCP help\n\nAn EHCP for SEND. Another EHCP.\n\n`EHCP`").html
    abbrs = soup(html).find_all("abbr")
    assert [(a.text, a["title"]) for a in abbrs] == [("EHCP", GLOSSARY["EHCP"]), ("SEND", GLOSSARY["SEND"])]
    assert soup(html).find("h2").find("abbr") is None  # not in headings or code


def test_terms_in_links_attributes_and_existing_abbreviations_are_left_alone():
    glossary = {"EHC": "Education, Health and Care", "EHC plan": "Education, Health and Care plan",
                "SEND": "special educational needs and disabilities", "NHS": "National Health Service"}
    body = ('[SEND help](https://example.org/SEND) and <abbr title="the NHS">NHS</abbr> first.\n\n'
            'Your EHC plan, then EHC alone, then SEND and NHS, then ![SEND chart](https://example.org/c.png)\n')
    doc = soup(MarkdownRenderer(glossary, allow_raw_html=True).render(body).html)
    marked = [(a.text, a["title"]) for a in doc.find_all("abbr")]
    assert marked == [("NHS", "the NHS"), ("EHC plan", glossary["EHC plan"]), ("EHC", glossary["EHC"]),
                      ("SEND", glossary["SEND"]), ("NHS", glossary["NHS"])]  # the author's own <abbr> is kept
    assert doc.find("a").find("abbr") is None and doc.find("img")["alt"] == "SEND chart"


def test_table_cells_carry_their_column_heading_to_stack_on_phones():
    """No focusable scroll wrapper (role=region tabindex=0): each cell is labelled for the
    stacked rows the stylesheet shows on narrow screens."""
    doc = soup(MarkdownRenderer({}).render("|Plan *type*|Weeks|\n|-|-|\n|EHC & review|20|\n|New|6|\n").html)
    assert doc.find(attrs={"tabindex": True}) is None and doc.find(attrs={"role": "region"}) is None
    table = doc.find("table")
    assert "stack" in table["class"]
    assert [[td["data-label"] for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")] == \
        [["Plan type", "Weeks"], ["Plan type", "Weeks"]]


def test_images_without_alt_are_reported():
    assert MarkdownRenderer({}).render("![](chart.png) ![A chart](ok.png)").images_without_alt == ("chart.png",)


def test_local_links_are_found():
    html = MarkdownRenderer({}).render("[a](../x.md) [b](https://x.org) [c](#top) [d](mailto:a@b) [e](files/a.pdf)").html
    assert local_links(html) == ["../x.md", "files/a.pdf"]
    assert not is_local("/already/absolute/")


def test_questions_wrap_each_section_in_details_with_the_heading_in_summary():
    from builder.content.markdown_render import MarkdownRenderer

    body = "Read this first.\n\n# First question?\n\nIts answer.\n\n### A detail\n\nMore.\n\n# Second?\n\n- a list\n"
    html = MarkdownRenderer({}).render(body, questions=True).html
    doc = BeautifulSoup(html, "html.parser")
    assert doc.find("p").text == "Read this first." and doc.find("p").find_parent("details") is None
    first, second = doc.find_all("details")
    assert first.summary.h2.text == "First question?" and first.summary.h2["id"] == "first-question"
    assert [child.name for child in first.find_all(recursive=False)] == ["summary", "p", "h3", "p"]
    assert second.summary.h2.text == "Second?" and second.ul is not None
    # Without the field, the same text is ordinary sections.
    assert "<details>" not in MarkdownRenderer({}).render(body).html


def test_questions_survive_the_sanitiser_and_page_without_headings_is_unchanged():
    from builder.content.markdown_render import MarkdownRenderer

    renderer = MarkdownRenderer({"SEND": "special educational needs and disabilities"})
    html = renderer.render("## What is SEND?\n\nSEND is a term.\n", questions=True).html
    assert html.startswith("<details>\n<summary><h2 id=\"what-is-send\">What is SEND?</h2>")
    assert '<abbr title="special educational needs and disabilities">SEND</abbr> is a term' in html
    assert renderer.render("Just text.\n", questions=True).html == renderer.render("Just text.\n").html
