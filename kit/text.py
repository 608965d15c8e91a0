"""Single-line text: names, titles and labels end up in e-mail subjects and spreadsheet cells, where a line break
or another control character would forge a header or break the line."""

import re

# C0 and C1 control characters (tab, CR and LF among them) and the Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value or ""))


def single_line(value: str) -> str:
    """Return the text with every run of control characters replaced by one space."""
    return re.sub(r"\s{2,}", " ", CONTROL_CHARACTERS.sub(" ", value or "")).strip()


# Punctuation that differs by language: Chinese text uses full-width marks (“：”, “、”, “；”, “（…）”), English the
# ASCII ones with their spacing. Each mark is a message of its own, so the catalogue of a language says how it
# writes it and the words around it stay one message each.


def colon() -> str:
    from django.utils.translation import gettext

    return gettext("：")


def join_words(items) -> str:
    """Join words of a list: 甲、乙、丙 / a, b, c."""
    from django.utils.translation import gettext

    return gettext("、").join(str(i) for i in items)


def join_clauses(items) -> str:
    """Join clauses: 甲；乙 / a; b."""
    from django.utils.translation import gettext

    return gettext("；").join(str(i) for i in items)


def in_parentheses(value) -> str:
    """Wrap a value in parentheses: 甲（乙） / a (b) — the opening space belongs to English."""
    from django.utils.translation import gettext

    return gettext("（%(v)s）") % {"v": value}
