"""Pagefind's service mode, as builder/render/search.py drives it: pages in over a pipe,
one index per shard out."""

import json

import pytest

from builder.errors import ContentError
from builder.render.pagefind_service import PagefindService, index_shards


def document(title: str, words: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body>'
            f'<main data-pagefind-body><h1>{title}</h1><p>{words}</p></main></body></html>')


def test_each_shard_gets_its_own_index_of_its_own_pages(tmp_path):
    shards = [(tmp_path / "a", [("/letters/one/", document("One", "annual reviews")),
                                ("/letters/two/", document("Two", "school transport"))]),
              (tmp_path / "b", [("/updates/three/", document("Three", "speech therapy"))])]
    listings = index_shards(shards, "en")
    counts = {folder.name: json.loads((folder / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"]
              for folder, _ in shards}
    assert counts == {"a": 2, "b": 1}
    assert len(list((tmp_path / "a" / "fragment").iterdir())) == 2
    for (folder, _), listing in zip(shards, listings):  # what it returns is what it wrote
        assert sorted(listing) == sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_a_problem_reported_by_pagefind_is_a_content_error_not_a_traceback():
    service = PagefindService()
    try:
        number = service.ask({"type": "AddFile", "index_id": 999, "url": "/x/", "file_path": None,
                              "file_contents": document("X", "y")})
        with pytest.raises(ContentError) as problem:
            service.wait(number, timeout=30)
        assert "search index could not be built" in str(problem.value)
    finally:
        service.close()
