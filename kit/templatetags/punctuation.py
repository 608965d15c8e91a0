"""Punctuation by language in templates (a builtin library, see TEMPLATES in config/settings.py):
`{% colon %}` after a label, `{{ n|paren }}` around a count, `{{ list|join_words }}` for a list of words."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from kit import text

register = template.Library()


@register.simple_tag
def colon():
    return text.colon()


@register.filter
def paren(value):
    return mark_safe(text.in_parentheses(conditional_escape(value)))  # noqa: S308 (the value is escaped)


@register.filter
def join_words(items):
    return mark_safe(text.join_words(conditional_escape(i) for i in items or []))  # noqa: S308 (escaped)
