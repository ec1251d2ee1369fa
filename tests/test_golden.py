import json

from tests.golden import GOLDEN, build_structure


def test_fixture_site_matches_its_golden_structure():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = build_structure()
    assert actual["files"] == expected["files"]
    for rel, page in expected["pages"].items():
        assert actual["pages"][rel] == page, f"{rel} changed; run `make golden` if this is intended"
