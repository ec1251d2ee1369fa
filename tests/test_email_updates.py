"""site.toml's email_updates: "Get updates" offers the council's email bulletin first, then
the feeds; without it the page offers feeds only."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from builder.build import build
from tests.conftest import MINIMAL_CONFIG, write_site

SIGN_UP = "https://public.govdelivery.example/accounts/ANY/subscriber/new"


def _page(tmp_path, config):
    site = write_site(tmp_path / "site", {}, config)
    build(site, tmp_path / "out", use_cache=False, jobs=1, today=dt.date(2025, 6, 1))
    return BeautifulSoup((tmp_path / "out/get-updates/index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_email_bulletin_comes_before_the_feeds(tmp_path):
    doc = _page(tmp_path, MINIMAL_CONFIG + f'email_updates = "{SIGN_UP}"\n')
    headings = [h2["id"] for h2 in doc.find("main").find_all("h2")]
    assert headings[:2] == ["email", "feeds"]
    link = doc.find("a", href=SIGN_UP)
    assert link is not None and "email" in link.get_text().lower()


def test_without_it_the_page_offers_feeds_first(tmp_path):
    doc = _page(tmp_path, MINIMAL_CONFIG)
    assert [h2["id"] for h2 in doc.find("main").find_all("h2")][0] == "feeds"


def test_a_sign_up_that_is_not_a_web_address_is_an_error_saying_how_to_fix_it(tmp_path):
    from tests.conftest import run_cli

    site = write_site(tmp_path / "site", {}, MINIMAL_CONFIG + 'email_updates = "govdelivery"\n')
    result = run_cli("build", site)
    assert result.returncode != 0 and "email_updates" in result.stderr and "https://" in result.stderr
