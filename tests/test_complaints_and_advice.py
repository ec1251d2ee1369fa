"""Every site has a "Complaints and independent advice" page, reachable from the home page
and every page's footer: the council's own links from site.toml [help], and the national
services (England's, or Wales's on a site with Welsh), in the page's language."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from builder.build import build
from builder.commands.init import SiteDetails, init_site
from tests.conftest import FIXTURES, ROOT

TODAY = dt.date(2026, 11, 20)
PAGE = "complaints-and-advice/index.html"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sites")
    new = folder / "new-site"
    init_site(new, SiteDetails(title="SEND in Anyshire", organisation="Anyshire CC", email="send@anyshire.example"), TODAY)
    found = {}
    for name, source in (("example", ROOT), ("welsh", FIXTURES / "welsh"), ("new", new)):
        build(source, folder / name, use_cache=False, jobs=1, today=TODAY)
        found[name] = folder / name
    return found


def soup(folder, rel):
    return BeautifulSoup((folder / rel).read_text(encoding="utf-8"), "html.parser")


def _links(doc):
    return {a.get_text(" ", strip=True): a["href"] for a in doc.find("main").find_all("a")}


@pytest.mark.parametrize("name,prefix", [("example", ""), ("welsh", ""), ("welsh", "cy/"), ("new", "")])
def test_reachable_from_the_home_page_and_every_footer(sites, name, prefix):
    folder = sites[name]
    address = "/" + prefix + "complaints-and-advice/"
    home = soup(folder, prefix + "index.html")
    assert home.find("main").find("a", href=address) is not None
    for rel in (prefix + "index.html", prefix + "timeline/index.html", prefix + PAGE):
        assert soup(folder, rel).find("footer").find("a", href=address) is not None, rel


def test_english_site_gives_the_councils_links_and_the_national_services(sites):
    doc = soup(sites["example"], PAGE)
    links = _links(doc)
    assert doc.h1.get_text() == "Complaints and independent advice"
    assert links["How to complain to Suffolk County Council"].startswith("https://")
    assert any("SENDIASS" in text for text in links)
    for name, host in (("IPSEA", "ipsea.org.uk"), ("Local Government and Social Care Ombudsman", "lgo.org.uk"),
                       ("SEND Tribunal", "gov.uk")):
        assert any(name in text and host in href for text, href in links.items()), name


def test_welsh_site_gives_the_welsh_services_in_welsh(sites):
    doc = soup(sites["welsh"], "cy/" + PAGE)
    assert doc.html["lang"] == "cy" and doc.h1.get_text() == "Cwynion a chyngor annibynnol"
    links = _links(doc)
    assert "SNAP Cymru" in links and "ribiwnlys Addysg Cymru" in " ".join(links)  # (D)dribiwnlys: mutated
    assert not any("IPSEA" in text or "SEND Tribunal" in text for text in links)
    # No [help] complaints link in the fixture: the page says how to reach the council instead.
    assert doc.find("main").find("a", href="mailto:aln@example.org") is not None
    english = _links(soup(sites["welsh"], PAGE))
    assert "SNAP Cymru" in english and any("Education Tribunal for Wales" in text for text in english)


def test_init_writes_the_help_settings_to_fill_in(sites):
    text = (sites["new"].parent / "new-site" / "site.toml").read_text(encoding="utf-8")
    assert "[help]" in text and 'complaints = ""' in text and 'sendiass = ""' in text and 'email_updates = ""' in text
