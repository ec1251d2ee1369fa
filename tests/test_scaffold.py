import datetime as dt

import pytest

from builder.build import build
from builder.scaffold import TEMPLATES, create
from tests.conftest import run_cli, write_site


@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_new_file_of_every_kind_builds(tmp_path, kind):
    site = write_site(tmp_path / "s", {"content/timeline/2019-01-revisit.md":
                                       "---\ntitle: R\ndate: 2019-01\nevent: revisit\n---\nText\n",
                                       "content/commitments/ehcp-timeliness.md":
                                       "---\ntitle: C\nsource: 2019-01-revisit\n---\nText\n"})
    path = create(site, kind, "Our progress in May", today=dt.date(2024, 5, 1))
    assert path.exists() and path.parent.parent == site / "content"
    build(site, tmp_path / "out", use_cache=False, jobs=1, today=dt.date(2024, 6, 1))


def test_cli_prints_the_path_and_refuses_to_overwrite(tmp_path):
    site = write_site(tmp_path / "s", {})
    first = run_cli("new", "letter", "Our progress in May", "--site", site)
    assert first.returncode == 0 and first.stdout.strip().endswith("-our-progress-in-may.md")
    again = run_cli("new", "letter", "Our progress in May", "--site", site)
    assert again.returncode != 0 and "already exists" in again.stderr
