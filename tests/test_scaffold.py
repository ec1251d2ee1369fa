import datetime as dt

import pytest
import yaml

from builder.build import build
from builder.commands.new import TEMPLATES, create
from builder.content.validate import SCHEMAS
from tests.conftest import run_cli, write_site


@pytest.mark.parametrize("kind", list(TEMPLATES))
def test_new_file_of_every_kind_builds(tmp_path, kind):
    site = write_site(tmp_path / "s", {"content/timeline/2019-01-revisit.md":
                                       "---\ntitle: R\ndate: 2019-01\nevent: revisit\n---\nText\n",
                                       "content/commitments/ehcp-timeliness.md":
                                       "---\ntitle: C\nsource: 2019-01-revisit\n---\nText\n"})
    path = create(site, kind, "Our progress in May", today=dt.date(2024, 5, 1))
    assert path.exists() and path.parent.parent == site / "content"
    meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert set(SCHEMAS[kind].model_fields) <= set(meta), "every field of the kind is filled in"
    assert meta["draft"] is True  # new files start as drafts, as with `hugo new`
    build(site, tmp_path / "out", use_cache=False, jobs=1, today=dt.date(2024, 6, 1))
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    build(site, tmp_path / "out2", use_cache=False, jobs=1, today=dt.date(2024, 6, 1))
    slug = meta["slug"]
    assert list((tmp_path / "out2").rglob(f"{slug}/index.html")), "the published file is in the site"


def test_cli_prints_the_path_and_refuses_to_overwrite(tmp_path):
    site = write_site(tmp_path / "s", {})
    first = run_cli("new", "letter", "Our progress in May", "--site", site)
    assert first.returncode == 0 and first.stdout.strip().endswith("-our-progress-in-may.md")
    again = run_cli("new", "letter", "Our progress in May", "--site", site)
    assert again.returncode != 0 and "already exists" in again.stderr
