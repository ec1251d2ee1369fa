"""builder.render.templates.template_gettext must behave exactly as jinja2.ext.i18n's newstyle
gettext, which it stands in for to save time on every page."""

import gettext

import jinja2
import pytest

from builder.render.templates import template_gettext

CASES = [
    '{{ _("a %(x)s", x="<b>") }}',
    '{{ _("x %% y") }}|{{ _("x %% y") }}',
    '{{ gettext("plain") }}',
    '{% trans v="<i>" %}A {{ v }} & B{% endtrans %}',
    '{% autoescape false %}{{ _("a %(x)s 100%%", x="<b>") }}|{{ _("q 5%%") }}{% endautoescape %}',
]


@pytest.mark.parametrize("source", CASES)
def test_same_text_as_jinja_gettext(source):
    translations = gettext.NullTranslations()
    rendered = []
    for ours in (False, True):
        env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
        env.install_gettext_translations(translations, newstyle=True)
        if ours:
            env.globals["_"] = env.globals["gettext"] = template_gettext(translations)
        rendered.append(env.from_string(source).render())
    assert rendered[0] == rendered[1]
