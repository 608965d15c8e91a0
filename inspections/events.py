"""Labels of the audit events `inspections` writes outside its machines (the machines label their own), and the
words of their machine comments (the machines' notes among them)."""

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.comments import say_change, say_choice, say_date, say_pair, say_year
from audit.labels import comment_pairs
from kit.text import join_clauses

from .models import Assessment, Inspection, InspectionRound, Rating, Rectification, Result

LABELS = {
    "inspection.round_opened": _("组织检查"),
    "inspection.round_published": _("公布检查结果"),
    "inspection.self_assessment": _("提交自评"),
    "assessment.proposed": _("测算评估等次"),
    "assessment.published": _("公布评估结果"),
    "rectification.ordered": _("责令整改"),
}


# --- machine comments in words (audit.labels.register_comment_renderers) ------------------------------------


def _field(model, name) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _bases(n: str) -> str:
    return gettext("%(n)s 个基地") % {"n": n}


def round_opened(event):
    """ "spot_check bases=3 seed=8f2c" → 不定期抽查；3 个基地；抽签种子：8f2c (the seed lets anyone re-draw)."""
    kind, _sep, rest = event.comment.partition(" ")
    pairs = comment_pairs(rest)
    if kind not in InspectionRound.Kind.values or "bases" not in pairs:
        return None
    parts = [say_choice(InspectionRound.Kind, kind), _bases(pairs["bases"])]
    if pairs.get("seed") and pairs["seed"] != "None":
        parts.append(say_pair(_field(InspectionRound, "draw_seed"), pairs["seed"]))
    return join_clauses(parts)


def year_and_count(event):
    """ "year=2026 n=12" → 2026 年度；12 个基地."""
    pairs = comment_pairs(event.comment)
    if not {"year", "n"} <= set(pairs):
        return None
    return join_clauses([say_year(pairs["year"]) or pairs["year"], _bases(pairs["n"])])


def rectification_ordered(event):
    deadline = comment_pairs(event.comment).get("deadline")
    return say_pair(_field(Rectification, "deadline"), say_date(deadline)) if deadline else None


# The machines append their notes to the comment a person typed: the note's words are the comment's last ones.
RESULTS = "|".join(Result.values)
RATINGS = "|".join(Rating.values)
SCORED = re.compile(rf"^(?:(?P<text>.*)\s)?(?P<average>\d+(?:\.\d+)?|None) (?P<result>{RESULTS})$", re.S)
CONFIRMED = re.compile(rf"^(?:(?P<text>.*)\s)?(?P<result>{RESULTS})$", re.S)
RATED = re.compile(
    rf"^(?:(?P<text>.*?)\s)?(?P<proposed>{RATINGS}) → (?P<rating>{RATINGS})(?: (?P<reason>.*))?$", re.S
)


def _result(code: str) -> str:
    return say_pair(_field(Inspection, "result"), say_choice(Result, code))


def inspection_scored(event):
    """ "<comment> 85.0 qualified" → <comment>；平均分：85.0；结论：合格."""
    m = SCORED.match(event.comment)
    if m is None:
        return None
    average = m["average"] if m["average"] != "None" else "—"
    return join_clauses(
        [p for p in (m["text"], say_pair(_field(Inspection, "average"), average)) if p]
        + [_result(m["result"])]
    )


def inspection_confirmed(event):
    m = CONFIRMED.match(event.comment)
    if m is None:
        return None
    return join_clauses([p for p in (m["text"], _result(m["result"])) if p])


def assessment_confirmed(event):
    """ "good → excellent 获省级表彰" → 评估等次：良好 → 优秀；获省级表彰 (the proposed rating, the confirmed one,
    and the reason for a change)."""
    m = RATED.match(event.comment)
    if m is None:
        return None
    change = say_change(
        _field(Assessment, "rating"), say_choice(Rating, m["proposed"]), say_choice(Rating, m["rating"])
    )
    return join_clauses([p for p in (m["text"], change, m["reason"]) if p])


COMMENTS = {
    "inspection.round_opened": round_opened,
    "assessment.proposed": year_and_count,
    "assessment.published": year_and_count,
    "rectification.ordered": rectification_ordered,
    "inspection.scored": inspection_scored,
    "inspection.confirmed": inspection_confirmed,
    "assessment.confirmed": assessment_confirmed,
}
