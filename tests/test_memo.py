"""The dependency record (builder/incremental/memo.py) between two processes."""

from pathlib import Path

from builder.incremental.memo import Memo


def _build(memo: Memo, output: Path, entries: dict) -> None:
    memo.begin("fingerprint", output)
    for name, result in entries.items():
        memo.put("render", name, "key", result)
    memo.end()


def test_a_record_kept_in_memory_never_replaces_a_newer_one_on_disk(tmp_path):
    out = tmp_path / "out"
    serving = Memo(tmp_path / "cache", save_every_build=False)  # serve: saved when idle
    _build(serving, out, {"a.md": "served"})
    command_line = Memo(tmp_path / "cache")  # `localoffer build` beside it
    _build(command_line, out, {"a.md": "built"})
    serving.save()  # idle now: but the record on disk is newer than the one it holds
    fresh = Memo(tmp_path / "cache")
    fresh.begin("fingerprint", out)
    assert fresh.previous("render") == {"a.md": "built"}


def test_a_record_started_afresh_is_saved(tmp_path):
    out = tmp_path / "out"
    _build(Memo(tmp_path / "cache"), out, {"a.md": "one"})
    memo = Memo(tmp_path / "cache")
    memo.begin("another fingerprint", out)  # clears the record, on disk too
    memo.put("render", "a.md", "key", "two")
    memo.end()
    fresh = Memo(tmp_path / "cache")
    fresh.begin("another fingerprint", out)
    assert fresh.previous("render") == {"a.md": "two"}


def test_a_recorded_result_is_reused_only_while_what_it_read_answers_the_same(tmp_path):
    out, memo = tmp_path / "out", Memo(None)
    answers = {"q": 1}
    replay = lambda reads: tuple(answers[query] for query in reads)  # what each recorded question gives now
    runs = []

    def compute(items):
        runs.extend(items)
        return [(f"made {item}", ("q",)) for item in items]

    for _ in range(2):
        memo.begin("fingerprint", out)
        assert memo.map_recorded("render", [("a", "key", "a")], compute, replay) == {"a": "made a"}
        memo.end()
    assert runs == ["a"]  # the second build reused it
    answers["q"] = 2  # the same key, but what it read now answers differently
    memo.begin("fingerprint", out)
    memo.map_recorded("render", [("a", "key", "a")], compute, replay)
    assert runs == ["a", "a"]
