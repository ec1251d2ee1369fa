"""A seeded fuzz test: a few hundred broken versions of a small valid site, built one after another.

For every case: no traceback and no "unexpected problem"; the exit code is 1 (a content error
with a numbered report, naming the file that was broken) or 0 (the change happened to be
valid, and then every feed and the sitemap still parse as XML); and after a failure output/
is byte for byte what the last successful build left.

Each case starts from the valid files and breaks one thing, chosen at random from the kinds of
input that have crashed or stalled the builder before: random bytes, control characters, YAML
oddities, deep nesting, odd dates and long names. Builds run in this process (tests/hostile.py);
a failing build stops before rendering, so a case costs about a tenth of a second. The seed is
fixed so a failure can be repeated; FUZZ_SEED and FUZZ_CASES explore further.
"""

from __future__ import annotations

import os
import random
import xml.dom.minidom

import pytest

from tests.conftest import tree_bytes
from tests.hostile import BASE_FILES, build_in_process, fresh_copy

SEED = int(os.environ.get("FUZZ_SEED", "15"))
CASES = int(os.environ.get("FUZZ_CASES", "300"))
PAGES = [rel for rel in BASE_FILES if rel.endswith(".md")]

CONTROL = [chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127, *range(128, 160))]
YAML_LINES = [
    "date: !!timestamp 2023-02-30", "date: !!timestamp 0000-01-01", "title: !!binary not-base64!",
    "title: !!int abc", "title: !!float x", "summary: !!python/object/apply:os.system [ls]",
    "title: &a [*a]", "? [a, b]\n: c", "title: [", "title: {", "title: \"\\e\"", "title: \"\\f\"",
    "title: \"\\ud800\"", "title: \"\\x00\"", "draft: true\ndraft: false", "title: One\ntitle: Two",
    "<<: *nothing", "summary: " + "[" * 1200 + "]" * 1200, "tags: " + "{a: " * 300 + "b" + "}" * 300,
    "title:", "title: ~", "title: 12", "date: 2022-02-29", "date: [2022-01-01]", "draft: maybe",
    "attachments: [{title: A, file: files/plan.txt, title: B}]", "attachments: [{file: ../../../etc/passwd}]",
    "slug: ../../evil", "aliases: [\"/../../x/\"]", "template: ../../../etc/passwd", "\t\ttitle: tabs",
    "title: 'unclosed", "title: \"\"\"", "%YAML 9.9", "--- !!set", "title: *undefined",
]
DATES = ["0000-01-01", "0001-01-01", "0999-12-31", "1899-12-31", "2201-01-01", "9999-12-31", "9999-12", "0000-01",
         "2022-00-10", "2022-13-01", "2022-02-30", "2023-02-29", "2022-04-31", "2022-1-1", "99-12-31",
         "+2022-01-01", "2022-01-01T25:00", "10000-01-01", "2022-12-32", "31/02/2022", "2022-06-00", "2022—01—01"]


def _front_and_body(text: str) -> tuple[list[str], str]:
    _, front, body = text.split("---\n", 2)
    return front.splitlines(), body


def _join(front: list[str], body: str) -> str:
    return "---\n" + "\n".join(front) + "\n---\n" + body


def random_bytes(rng: random.Random, rel: str, text: str):
    data = bytearray(text.encode("utf-8"))
    start = rng.randrange(len(data))
    data[start:start + rng.randint(0, 8)] = bytes(rng.randrange(256) for _ in range(rng.randint(2, 16)))
    return {rel: bytes(data)}, rel


def control_character(rng: random.Random, rel: str, text: str):
    lines = text.split("\n")
    number = rng.choice([1, rng.randrange(len(lines))])  # the title's line, or anywhere
    line = lines[number]
    place = rng.randint(0, len(line))
    lines[number] = line[:place] + rng.choice(CONTROL) + line[place:]
    return {rel: "\n".join(lines)}, rel


def yaml_oddity(rng: random.Random, rel: str, text: str):
    front, body = _front_and_body(text)
    if rng.random() < 0.5:
        front[rng.randrange(len(front))] = rng.choice(YAML_LINES)
    else:
        front.insert(rng.randint(0, len(front)), rng.choice(YAML_LINES))
    return {rel: _join(front, body)}, rel


def deep_nesting(rng: random.Random, rel: str, text: str):
    front, body = _front_and_body(text)
    depth = rng.choice([25, 100, 1000, 5000])
    shape = rng.choice(["list", "quote", "brackets", "mixed"])
    if shape == "list":
        nested = "".join("    " * level + "- item\n" for level in range(depth))
    elif shape == "quote":
        nested = "> " * depth + "deep\n"
    elif shape == "brackets":
        nested = "[" * depth + "x" + "]" * depth + "\n"
    else:
        nested = "".join("    " * level + rng.choice(["- ", "1. ", "> "]) + "[a\n" for level in range(depth))
    return {rel: _join(front, body + "\n" + nested)}, rel


def odd_date(rng: random.Random, rel: str, text: str):
    front, body = _front_and_body(text)
    value = rng.choice(DATES)
    if rel.startswith("content/letters/") and rng.random() < 0.5:
        front.append(f"next_update: {value}")
    elif any(line.startswith("date:") for line in front):
        front = [f"date: {value}" if line.startswith("date:") else line for line in front]
    else:
        front.append(f"updated: {value}")
    return {rel: _join(front, body)}, rel


def long_name(rng: random.Random, rel: str, text: str):
    folder = rel.rsplit("/", 1)[0]
    letter = rng.choice(["a", "é", "ŵ", "日"])  # 1, 2, 2 and 3 bytes: the limit is in bytes
    size = len(letter.encode())
    count = rng.randint(201 // size + 1, 250 // size)
    if rng.random() < 0.5:
        name = f"{folder}/{letter * count}.md"
        return {name: text}, name
    from tests.conftest import png_bytes

    name = f"{folder}/{letter * count}.png"
    return {name: png_bytes(900, 40), rel: text + f"\n![A chart]({name.rsplit('/', 1)[1]})\n"}, name


MUTATIONS = [random_bytes, control_character, yaml_oddity, deep_nesting, odd_date, long_name]


def _feeds_parse(output) -> None:
    for path in output.rglob("*.xml"):
        xml.dom.minidom.parse(str(path))


@pytest.mark.timeout(600)
def test_fuzzed_content_never_crashes_and_never_damages_output(tmp_path_factory, tmp_path):
    rng = random.Random(SEED)
    site = fresh_copy(tmp_path_factory, tmp_path)
    last_good = tree_bytes(site / "output")
    written: set[str] = set()
    outcomes = {0: 0, 1: 0}
    for number in range(CASES):
        for rel in written - set(BASE_FILES):  # back to the valid site, then break one thing
            os.unlink(site / rel)
        for rel in written & set(BASE_FILES):
            (site / rel).write_text(BASE_FILES[rel], encoding="utf-8")
        mutate = rng.choice(MUTATIONS)
        target = rng.choice(PAGES)
        changes, named = mutate(rng, target, BASE_FILES[target])
        for rel, data in changes.items():
            (site / rel).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        written = set(changes)

        code, text = build_in_process(site)

        case = f"case {number} (seed {SEED}, {mutate.__name__} on {target}):\n{text}"
        assert "Traceback" not in text and "unexpected problem" not in text, case
        assert code in (0, 1), case
        outcomes[code] += 1
        if code == 1:
            assert named in text, f"the message should name {named}: {case}"
            assert "How to fix" in text, case
            assert tree_bytes(site / "output") == last_good, f"a failed build changed output/: {case}"
        else:
            _feeds_parse(site / "output")  # exit 0 must never mean broken output
            last_good = tree_bytes(site / "output")
    assert outcomes[1] > CASES // 2, outcomes  # the mutations do break things: the test tests something
