"""`check` warns about the gaps families meet on a site that builds: an event long past with
no outcome, an inspection with no findings, a commitment with no (recent) status, a promised
letter that never came, and no council links for complaints and advice."""

from __future__ import annotations

import datetime as dt

from builder.commands.family_gaps import family_warnings
from builder.content.discover import discover
from builder.site.config import load_config
from tests.conftest import MINIMAL_CONFIG, run_cli, write_site

TODAY = dt.date(2026, 11, 20)
HELP = '[help]\ncomplaints = "https://example.org/complaints"\nsendiass = "https://sendiass.example.org/"\n'
FILES = {
    "content/timeline/2025-05-meeting.md": "---\ntitle: Meeting (planned)\ndate: 2025-05\nevent: meeting\n"
                                           'outcome: "Outcome not yet published on this site"\nsummary: S.\n---\nText.\n',
    "content/timeline/2026-10-meeting.md": "---\ntitle: Recent meeting\ndate: 2026-10\nevent: meeting\nsummary: S.\n---\nText.\n",
    "content/timeline/2024-01-inspection.md": "---\ntitle: Inspection\ndate: 2024-01\nevent: inspection\n"
                                              "outcome: Requires improvement\nsummary: S.\n---\nWe will add the findings.\n",
    "content/timeline/2016-12-inspection.md": "---\ntitle: Old inspection\ndate: 2016-12\nevent: inspection\n"
                                              "outcome: Written statement\nsummary: S.\n---\n## What the inspectors found\n\nA lot.\n",
    "content/commitments/none.md": "---\ntitle: No status\nsource: 2016-12-inspection\n---\nText.\n",
    "content/commitments/old.md": "---\ntitle: Old status\nsource: 2016-12-inspection\nstatus:\n"
                                  "  - date: 2025-01\n    status: in progress\n---\nText.\n",
    "content/commitments/fresh.md": "---\ntitle: Fresh status\nsource: 2016-12-inspection\nstatus:\n"
                                    "  - date: 2026-09\n    status: in progress\n---\nText.\n",
    "content/letters/2025-03-01-letter.md": "---\ntitle: Letter\ndate: 2025-03-01\nauthor: A\nnext_update: 2025-07\n"
                                            "summary: S.\n---\nHello.\n",
}


def _warnings(tmp_path, files=FILES, config=MINIMAL_CONFIG):
    site = write_site(tmp_path / "site", files, config)
    return {(w.path, w.line): w for w in family_warnings(site, load_config(site), discover(site)[0], today=TODAY)}


def test_each_gap_is_a_warning_with_its_file_line_what_families_see_and_the_fix(tmp_path):
    found = _warnings(tmp_path, config=MINIMAL_CONFIG + HELP)
    assert set(found) == {("content/timeline/2025-05-meeting.md", 5), ("content/timeline/2024-01-inspection.md", 8),
                          ("content/commitments/none.md", 2), ("content/commitments/old.md", 4),
                          ("content/letters/2025-03-01-letter.md", 5)}
    meeting = found[("content/timeline/2025-05-meeting.md", 5)]
    assert "May 2025" in meeting.message and "Outcome not yet published" in meeting.message and "outcome:" in meeting.hint
    assert "what was found" in found[("content/timeline/2024-01-inspection.md", 8)].message
    assert "Status not yet published" in found[("content/commitments/none.md", 2)].message
    assert '"In progress (as of January 2025)"' in found[("content/commitments/old.md", 4)].message
    letter = found[("content/letters/2025-03-01-letter.md", 5)]
    assert "July 2025" in letter.message and "What happens next" in letter.message
    assert all(w.hint for w in found.values())


def test_a_newer_letter_or_an_event_within_8_weeks_is_not_a_gap(tmp_path):
    files = {name: text for name, text in FILES.items() if "meeting" in name and "2026" in name}
    files["content/letters/2025-03-01-letter.md"] = FILES["content/letters/2025-03-01-letter.md"]
    files["content/letters/2025-08-01-next.md"] = "---\ntitle: Next\ndate: 2025-08-01\nauthor: A\nsummary: S.\n---\nHi.\n"
    assert set(_warnings(tmp_path, files, MINIMAL_CONFIG + HELP)) == set()


def test_missing_council_help_links_are_warnings(tmp_path):
    site = write_site(tmp_path / "site", {})
    found = family_warnings(site, load_config(site), [], today=TODAY)
    assert [w.path for w in found] == ["site.toml", "site.toml"]
    assert "complaints =" in found[0].hint and "sendiass =" in found[1].hint


def test_check_prints_them_and_puts_them_in_the_job_summary(tmp_path):
    site = write_site(tmp_path / "site", {"content/commitments/none.md": "---\ntitle: No status\nsource: x\n---\nT.\n",
                                          "content/timeline/x.md": "---\ntitle: X\ndate: 2099-01\nevent: meeting\n"
                                                                   "summary: S.\n---\nT.\n"})
    report = tmp_path / "summary.md"
    result = run_cli("check", site, "--report", report)
    assert result.returncode == 0, result.stderr
    assert "content/commitments/none.md:2: has no status" in result.stderr
    text = report.read_text(encoding="utf-8")
    assert "`content/commitments/none.md`, line 2: has no status" in text and "How to fix: add a status: entry" in text
