"""Issue 14, Words not codes: English mode has no Chinese punctuation around the portal's words. Templates write a
colon, parentheses and list separators by language ({% colon %}, |paren, {% translate "、" %}), never as
full-width marks next to a value outside a translated block; the catalogue turns each mark into its English form."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
BLOCK = re.compile(r"\{% blocktranslate.*?\{% endblocktranslate %\}", re.S)
LITERAL_MARK = re.compile(r"(?:%\}|\}\})[：（]|（\{\{|forloop\.last %\}[、；，]\{% endif")


def test_no_template_writes_a_full_width_mark_beside_a_value():
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = BLOCK.sub("", path.read_text())
        offenders += [f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in LITERAL_MARK.finditer(text)]
    assert offenders == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "状态：有效（3）甲、乙"), ("en", "状态: 有效 (3)甲, 乙")],
)
def test_the_marks_follow_the_language(language, expected):
    template = Template("状态{% colon %}有效{{ n|paren }}{{ items|join_words }}")
    with translation.override(language):
        assert template.render(Context({"n": 3, "items": ["甲", "乙"]})) == expected


def test_values_are_escaped_inside_the_marks():
    template = Template("{{ v|paren }}{{ items|join_words }}")
    with translation.override("en"):
        assert template.render(Context({"v": "<b>", "items": ["<i>", "&"]})) == " (&lt;b&gt;)&lt;i&gt;, &amp;"
