"""One short content digest for the whole builder, so every key and file name agrees."""

from __future__ import annotations

import hashlib


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
