"""The default SEND glossary: both theme files, and how a site extends, overrides or drops it."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from builder.build import build
from builder.commands.check import run_check
from builder.content.discover import discover
from builder.content.glossary import (THEME_FOLDER, default_glossary, load_glossary, merge_glossaries,
                                      parse_glossary)
from builder.errors import BuildFailed
from builder.site.config import load_config
from tests.conftest import MINIMAL_CONFIG

UPDATE = """---
title: Our progress
date: 2024-05-01
summary: What has changed.
---
Our SEND services have improved. The EHCP team issued 58 plans on time, and the SEND team grew.

Each school's SENCO can help, and the NHS has more therapists.
"""

# The short forms families meet most; a missing one would put warnings back on every new site.
ENGLISH_MUST_HAVE = ["SEND", "SEN", "EHC", "EHCP", "SENCO", "LA", "ICB", "CCG", "CQC", "Ofsted", "DfE", "NHS",
                     "CAMHS", "PCF", "IPSEA", "SENDIASS", "EP", "WSOA", "APP", "AP", "SALT", "OT", "SEMH", "ASD",
                     "ADHD", "PfA", "EOTAS", "LGSCO", "SENDIST", "ALN", "ALNCo", "IDP", "ALNET", "ETW", "LHB",
                     "DECLO"]
WELSH_MUST_HAVE = ["ADY", "CADY", "CDU", "AAA", "ALl", "GIG", "ADHD", "CAMHS"]


@pytest.mark.parametrize("name, must_have", [("glossary.yml", ENGLISH_MUST_HAVE),
                                             ("glossary.cy.yml", WELSH_MUST_HAVE)])
def test_each_default_glossary_parses_with_a_meaning_for_every_term(name, must_have):
    path = THEME_FOLDER / name
    terms = parse_glossary(name, path.read_bytes())
    assert [term for term in must_have if term not in terms] == []
    assert all(meaning.strip() for meaning in terms.values())
    # The "Words we use" page gives each term the id term-<lower case>: no spaces, no clashes.
    assert [term for term in terms if not re.fullmatch(r"[A-Za-z0-9]+", term)] == []
    assert len({term.lower() for term in terms}) == len(terms)
    # Every line of the file is a term, a comment or blank: a term YAML dropped would show here.
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert len(lines) == len(terms)


def test_welsh_default_uses_the_welsh_short_forms():
    welsh = default_glossary("cy")
    assert welsh["ADY"].startswith("anghenion dysgu ychwanegol")
    assert welsh["CADY"].startswith("cydlynydd anghenion dysgu ychwanegol")
    assert welsh["CDU"].startswith("cynllun datblygu unigol")
    assert welsh["GIG"] == "Gwasanaeth Iechyd Gwladol" and "NHS" not in welsh
    assert default_glossary("cy-GB") == welsh and default_glossary("en-GB") == default_glossary()
    assert default_glossary("fr") == {}


def test_merge_extends_overrides_and_leaves_out():
    merged = merge_glossaries({"SEND": "a", "EP": "b", "LA": "c"}, {"SEND": "ours", "SPCN": "network"}, ["EP"])
    assert merged == {"LA": "c", "SEND": "ours", "SPCN": "network"}
    assert list(merged) == ["LA", "SEND", "SPCN"]


def _abbrs(out, rel="updates/2024-05-01-our-progress/index.html"):
    doc = BeautifulSoup((out / rel).read_text(encoding="utf-8"), "html.parser")
    return {abbr.get_text(): abbr["title"] for abbr in doc.find("main").find_all("abbr")}


def _glossary_page(out):
    doc = BeautifulSoup((out / "glossary/index.html").read_text(encoding="utf-8"), "html.parser")
    return {dt.get_text(): dt.find_next_sibling("dd").get_text() for dt in doc.find_all("dt")}


def test_a_site_without_a_glossary_gets_the_default_on_first_use(make_site, tmp_path):
    site = make_site({"content/updates/2024-05-01-our-progress.md": UPDATE})
    out = tmp_path / "out"
    build(site, out, use_cache=False, jobs=1)
    abbrs = _abbrs(out)
    assert abbrs["SEND"] == "special educational needs and disabilities"
    assert abbrs["EHCP"].startswith("Education, Health and Care Plan")
    assert {"SENCO", "NHS"} <= set(abbrs)
    html = (out / "updates/2024-05-01-our-progress/index.html").read_text(encoding="utf-8")
    assert html.count("<abbr") == len(abbrs)  # first use only: SEND appears twice in the text
    assert _glossary_page(out)["IPSEA"].startswith("Independent Provider of Special Education Advice")


def test_check_no_longer_warns_about_common_short_forms(make_site):
    site = make_site({"content/updates/2024-05-01-our-progress.md": UPDATE + "\nThe XYZQ board met.\n"})
    warnings, failures = run_check(site)
    short_forms = [w.message for w in warnings if "short form" in w.message]
    assert failures == []
    assert short_forms == ['"XYZQ" looks like a short form that is not in the glossary']


def test_the_sites_own_glossary_extends_and_overrides_the_default(make_site, tmp_path):
    site = make_site({"content/updates/2024-05-01-our-progress.md": UPDATE,
                      "content/glossary.yml": 'SEND: "special educational needs and/or disabilities"\n'
                                              'SPCN: Suffolk Parent Carer Network\n'})
    out = tmp_path / "out"
    build(site, out, use_cache=False, jobs=1)
    assert _abbrs(out)["SEND"] == "special educational needs and/or disabilities"
    terms = _glossary_page(out)
    assert terms["SPCN"] == "Suffolk Parent Carer Network" and "EHCP" in terms
    assert list(terms) == sorted(terms, key=str.lower)


def test_default_glossary_false_switches_the_default_off(make_site, tmp_path):
    site = make_site({"content/updates/2024-05-01-our-progress.md": UPDATE,
                      "content/glossary.yml": "EHCP: our plan\n"},
                     config=MINIMAL_CONFIG + "default_glossary = false\n")
    out = tmp_path / "out"
    build(site, out, use_cache=False, jobs=1)
    assert _abbrs(out) == {"EHCP": "our plan"}
    assert _glossary_page(out) == {"EHCP": "our plan"}


def test_leave_out_drops_single_default_terms(make_site, tmp_path):
    site = make_site({"content/updates/2024-05-01-our-progress.md": UPDATE},
                     config=MINIMAL_CONFIG + 'default_glossary_leave_out = ["NHS", "SENCO"]\n')
    out = tmp_path / "out"
    build(site, out, use_cache=False, jobs=1)
    assert {"SEND", "EHCP"} <= set(_abbrs(out)) and not {"NHS", "SENCO"} & set(_abbrs(out))
    assert "NHS" not in _glossary_page(out)


@pytest.mark.parametrize("setting, message, hint", [
    ('default_glossary = "maybe"\n', '"default_glossary" must be true or false', "default_glossary = false"),
    ('default_glossary_leave_out = "EP"\n', '"default_glossary_leave_out" must be a list', '["EP", "APP"]'),
    ('default_glossary_leave_out = ["Senco"]\n', 'names "Senco", which is not in the default glossary. Did you mean "SENCO"?',
     "capital letters included"),
    ('default_glossary_leave_out = ["SENDIAS"]\n', 'names "SENDIAS", which is not in the default glossary. Did you mean "SENDIASS"?',
     "or remove it"),
])
def test_wrong_glossary_settings_are_plain_english_errors(make_site, tmp_path, setting, message, hint):
    site = make_site({"content/updates/2024-05-01-our-progress.md": UPDATE}, config=MINIMAL_CONFIG + setting)
    with pytest.raises(BuildFailed) as caught:
        build(site, tmp_path / "out", use_cache=False, jobs=1)
    [error] = caught.value.errors
    assert (error.path, error.line) == ("site.toml", 4)
    assert message in error.message and hint in error.hint


def test_a_welsh_glossary_is_the_welsh_default_plus_the_sites_glossary_cy(make_site):
    site = make_site({"content/glossary.yml": "SPCN: Example Parent Carer Network\n",
                      "content/glossary.cy.yml": "RhRhE: Rhwydwaith Rhieni a Gofalwyr Enghraifft\nCADY: ein cydlynydd\n"},
                     config=MINIMAL_CONFIG + 'default_glossary_leave_out = ["GIG"]\n')
    sources, _ = discover(site)
    config = load_config(site)
    english, errors = load_glossary(site, sources, config)
    assert errors == [] and "SPCN" in english and "ADY" not in english and english["NHS"] == "National Health Service"
    welsh, errors = load_glossary(site, sources, config, "cy")
    assert errors == [] and "SPCN" not in welsh and "SEN" not in welsh
    assert welsh["RhRhE"].startswith("Rhwydwaith") and welsh["CADY"] == "ein cydlynydd" and "ADY" in welsh
    assert "GIG" not in welsh


def test_a_broken_site_glossary_is_reported_as_before(make_site, tmp_path):
    site = make_site({"content/updates/2024-05-01-our-progress.md": UPDATE, "content/glossary.yml": "SEND:\n"})
    with pytest.raises(BuildFailed) as caught:
        build(site, tmp_path / "out", use_cache=False, jobs=1)
    assert [(e.path, e.line) for e in caught.value.errors] == [("content/glossary.yml", 1)]
