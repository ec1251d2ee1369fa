"""A page's web address, from its file's name, its kind and its language.

One function answers it for every command: the build (through validation), `check` and its
moved-page warnings, serve's preview and search all use the address `page_address` gives.
content/letters/2024-05-update.md is at /letters/2024-05-update/; its Welsh translation,
2024-05-update.cy.md, is at /cy/letters/2024-05-update/ (the ".cy" names the language, and
the language's folder comes first); x.easyread.md is at its standard version's address with
easy-read/ after it.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import NamedTuple

from builder.content.discover import KIND_FOLDERS
from builder.content.model import SECTIONS
from builder.content.slugs import slugify

EASY_READ_PATH = "easy-read/"  # after its standard version's address


class Address(NamedTuple):
    slug: str  # "" when the file name gives none (validation says so)
    url: str  # the site path, with base_url's folder and the language's: "/cy/letters/x/"
    name: str  # the part of the file name the slug is made from: "x" of x.cy.easyread.md


def page_address(rel: str, kind: str, base_path: str, language: str = "", prefix: str = "", slug: str = "") -> Address:
    """rel: the file, site-relative; language and prefix: the language it is written in and that
    language's folder ("" for the main one, "cy/"); slug: the front matter's slug:, if any."""
    stem = PurePosixPath(rel).stem
    if kind == "easyread":  # x.easyread.md shares the slug and address of x.md
        stem = stem.removesuffix(".easyread")
    if prefix:
        stem = stem.removesuffix(f".{language}")
    slug = slug or slugify(stem)
    if kind == "easyread":  # at the address of the page it is a version of, from its folder
        return Address(slug, _url(KIND_FOLDERS[rel.split("/")[1]], slug, base_path + prefix) + EASY_READ_PATH, stem)
    return Address(slug, _url(kind, slug, base_path + prefix), stem)


def _url(kind: str, slug: str, base_path: str) -> str:
    section = SECTIONS[kind][0]
    return f"{base_path}{section}/{slug}/" if section else f"{base_path}{slug}/"
