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
