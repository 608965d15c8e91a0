"""Punctuation by language in templates (a builtin library, see TEMPLATES in config/settings.py):
`{% colon %}` after a label, `{{ n|paren }}` around a count, `{{ list|join_words }}` for a list of words."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from kit import text

register = template.Library()


@register.simple_tag
def colon():
    return text.colon()


@register.filter
def paren(value):
    before, _v, after = gettext("（%(v)s）").partition("%(v)s")
    return format_html("{}{}{}", before, value, after)


@register.filter
def join_words(items):
    return format_html_join(gettext("、"), "{}", ((i,) for i in items or []))
