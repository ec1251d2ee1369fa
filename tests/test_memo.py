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
