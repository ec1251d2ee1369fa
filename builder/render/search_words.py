"""The search page's words for any number of results, in the page's language.

search.js counts results in the browser, so it cannot call gettext. Each language's plural
rule is a C expression in its catalogue that a page may not evaluate (the site's
Content-Security-Policy forbids eval). Instead the page carries each plural form once and a
table of which form each number takes: numbers 0-199 directly, and a larger number n takes
the form of 100 + n % 100, which is right for every rule that looks at n % 10 and n % 100
(English's and Welsh's, among others).
"""

from __future__ import annotations

TABLE_SIZE = 200


def plural_words(translations, singular: str, plural: str) -> dict:
    """{"forms": [the message in each plural form], "table": "0111…"}: the form number of each
    of 0…199. Placeholders ("%(num)d", "%(query)s") stay as written, for the script to fill in."""
    forms: list[str] = []
    table = []
    for number in range(TABLE_SIZE):
        text = translations.ngettext(singular, plural, number)
        if text not in forms:  # the distinct texts, in order of first appearance
            forms.append(text)
        table.append(str(forms.index(text)))
    return {"forms": forms, "table": "".join(table)}
