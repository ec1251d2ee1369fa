"""What a topic (a tag: `tags: [nhs-england]`) is called on the site, in each language.

In order: the label the site gives it in site.toml ([topics], and [translated.cy.topics] for
another language); a glossary term spelt the same way ("nhs-england" -> "NHS England"); its
words, with glossary terms keeping their capitals ("ehcp-reviews" -> "EHCP reviews").

Tags are written as words of the site's main language, so on a page in another language a
label the site gave only in the main language, or made from the tag's words, is in the main
language: the label says so (lang), so screen readers pronounce it right (WCAG 3.1.2).
"""

from __future__ import annotations

from markupsafe import Markup, escape


def main_language(config) -> str:
    return (config.languages or (config.language,))[0]


def topic_label(tag: str, config, language: str, glossary: dict[str, str] | None = None) -> tuple[str, str]:
    """(label, its language): the language is "" when it is the page's own."""
    given = {(lang, name): label for lang, name, label in config.topics}
    main = main_language(config)
    if (language, tag) in given:
        return given[(language, tag)], ""
    if (main, tag) in given:
        return given[(main, tag)], "" if language == main else main
    terms = {term.lower(): term for term in (glossary or {})}
    phrase = tag.replace("-", " ")
    if phrase in terms:
        return terms[phrase], ""
    parts = tag.split("-")
    words = [terms.get(word, word) for word in parts]
    if words and words[0] == words[0].lower():
        words[0] = words[0].capitalize()
    # Words that are all terms of the page's own glossary are in its language ("estyn" -> "Estyn").
    own = all(word in terms for word in parts)
    return " ".join(words), "" if language == main or own else main


def topic_html(tag: str, config, language: str, glossary: dict[str, str] | None = None) -> Markup:
    """The label as HTML: in a <span lang> when it is not in the page's language."""
    label, lang = topic_label(tag, config, language, glossary)
    return Markup('<span lang="{}">{}</span>').format(lang, label) if lang else escape(label)
