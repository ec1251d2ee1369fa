"""The glossary's term pattern (written for speed) finds exactly what \\b(terms)\\b finds."""

import random
import re

from builder.content.markdown_render import _terms_pattern


def _plain(terms):
    return re.compile(r"\b(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\b")


def test_same_matches_as_plain_word_boundaries():
    rng = random.Random(7)
    alphabet = ["E", "H", "C", "P", "a", "é", "_", "1", " ", "-", "(", "£", "\n", "<", ">", "Ŵ"]
    for _ in range(300):
        terms = {"".join(rng.choice(alphabet[:12] + ["(", "£", "Ŵ"]) for _ in range(rng.randint(1, 4))).strip() or "E"
                 for _ in range(rng.randint(1, 6))}
        text = "".join(rng.choice(alphabet + list(terms)) for _ in range(rng.randint(0, 60)))
        found = [(m.span(), m.group(1)) for m in _terms_pattern(terms).finditer(text)]
        assert found == [(m.span(), m.group(1)) for m in _plain(terms).finditer(text)], (terms, text)


def test_real_terms():
    terms = {"EHC plan", "EHCP", "EHC", "SEND", "SEN", "(SENCO)"}
    text = "An EHC plan, not EHCPs; SEND-SEN (SENCO) x(SENCO) SENCO EHC\nplan EHC"
    found = [m.group(1) for m in _terms_pattern(terms).finditer(text)]
    assert found == [m.group(1) for m in _plain(terms).finditer(text)]
    assert found == ["EHC plan", "SEND", "SEN", "EHC", "EHC"]
