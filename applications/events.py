"""Labels of the audit events `applications` writes outside its machine (the machine labels its own), and the
words of their machine comments."""

import re

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.comments import say_choice, say_date, say_pair
from kit.text import in_parentheses, join_clauses, join_words

from .models import SECTION_FIELDS, Application, AttachmentKind, Section

LABELS = {
    "batch.created": _("创建申报批次"),
    "application.created": _("创建申报草稿"),
    "application.edited": _("修改申报表"),
    "application.staff_added": _("添加师资人员"),
    "application.staff_removed": _("删除师资人员"),
    "application.attachment_uploaded": _("上传材料"),
    "application.attachment_removed": _("删除材料"),
    "application.expert_assigned": _("选派专家"),
    "application.site_visit_recorded": _("录入实地考察结果"),
    "application.objection_lodged": _("收到公示异议"),
    "application.objection_resolved": _("处理公示异议"),
    "application.dossier_exported": _("导出申报档案"),
    "expert.no_conflict_declared": _("专家声明无利益冲突"),
    "expert.conflict_declared": _("专家申请回避"),
    "expert.scores_submitted": _("专家提交评分"),
    "batch.panel_meeting_recorded": _("录入评审会结论"),
    "application.experts_drawn": _("随机抽取专家"),
    "application.expert_chosen": _("指定专家"),
    "expert.profile_updated": _("修改专家信息"),
    "expert.declined": _("专家谢绝参加"),
}


# --- machine comments in words (audit.labels.register_comment_renderers) ------------------------------------
# The services write these comments in a stable form of codes and numbers; the history and the audit page say
# them in the reader's language.

ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+\.\s*)")


def section_name(code: str) -> str:
    """Return a section's name without its number in the form ("一、机构基本情况" → 机构基本情况)."""
    return ORDINAL.sub("", str(Section(code).label)) if code in Section.values else code


def field_name(code: str) -> str:
    try:
        return str(Application._meta.get_field(code).verbose_name)
    except FieldDoesNotExist:
        return code


def edited(event):
    """ "institution: legal_representative, contact_phone" → 修改了 机构基本情况：法定代表人、联系电话."""
    section, sep, fields = event.comment.partition(": ")
    if not sep or section not in SECTION_FIELDS:
        return None
    names = [field_name(f.strip()) for f in fields.split(",") if f.strip()]
    return say_pair(gettext("修改了 %(f)s") % {"f": section_name(section)}, join_words(names))


def attachment(event):
    """ "rule_teaching: 教学制度.pdf" → 教学组织管理制度：教学制度.pdf (an attachment's id, written before its kind
    and name were, says nothing to a reader: the label says what happened)."""
    kind, sep, name = event.comment.partition(": ")
    if not sep:
        return "" if event.comment.isdigit() else None
    return say_pair(say_choice(AttachmentKind, kind), name)


def people(event):
    return gettext("%(n)s 名人员") % {"n": event.comment} if event.comment.isdigit() else None


def expert(event):
    return say_pair(gettext("专家"), event.comment) if event.comment else ""


def total_score(event):
    return gettext("总分 %(t)s") % {"t": event.comment} if event.comment else ""


def site_visit(event):
    """ "passed 2026-05-01" → 考察结论：通过（2026年5月1日）."""
    result, _sep, day = event.comment.partition(" ")
    if result not in ("passed", "failed"):
        return None
    verdict = gettext("通过") if result == "passed" else gettext("不通过")
    return say_pair(gettext("考察结论"), verdict + in_parentheses(say_date(day)))


def objection_lodged(event):
    # "objection #5": the objection's row, for the record; the label says all a reader needs, and the objector
    # stays out of the trail.
    return ""


def dossier_files(event):
    """ "files=12" → 12 个文件."""
    name, sep, n = event.comment.partition("=")
    return gettext("%(n)s 个文件") % {"n": n} if sep and name == "files" and n.isdigit() else None


DRAWN = re.compile(
    r"^seed=(?P<seed>\S+) count=(?P<count>\d+) candidates=(?P<candidates>[\d,]*) drawn=(?P<drawn>[\d,]*)"
    r"(?: replaces=(?P<replaces>\d+))?$"
)
RESOLVED = re.compile(
    r"^(?:(?P<text>.*)\s)?(?P<day>\d{4}-\d{2}-\d{2}) (?P<verdict>passed|failed) (?P<f>\d+)/(?P<a>\d+)/(?P<x>\d+)$",
    re.S,
)
MEETING = re.compile(r"^held_on=(?P<day>\d{4}-\d{2}-\d{2}) count=(?P<count>\d+)$")


def _count(ids: str) -> int:
    return len([i for i in ids.split(",") if i])


def experts_drawn(event):
    """ "seed=… count=3 candidates=4,5,6,7 drawn=5,7,4" → 从 4 名候选专家中随机抽取 3 名；随机种子：…."""
    m = DRAWN.match(event.comment)
    if m is None:
        return None
    words = gettext("从 %(c)d 名候选专家中随机抽取 %(n)d 名") % {
        "c": _count(m["candidates"]),
        "n": _count(m["drawn"]),
    }
    if m["replaces"]:
        words = gettext("补充抽取（替换一名回避或谢绝的专家）：") + words
    return join_clauses([words, say_pair(gettext("随机种子"), m["seed"])])


def expert_chosen(event):
    """ "expert5: 该领域专家不足" → 专家：expert5；理由：该领域专家不足 (a manual choice and its reason)."""
    user, sep, reason = event.comment.partition(": ")
    if not sep:
        return None
    return join_clauses([say_pair(gettext("专家"), user), say_pair(gettext("理由"), reason)])


def panel_resolution(event):
    """ "<comment> 2026-12-01 passed 5/0/0" → <comment>；2026年12月1日评审会：通过（赞成 5，反对 0，弃权 0）."""
    m = RESOLVED.match(event.comment)
    if m is None:
        return None
    words = gettext("%(d)s评审会：%(v)s（赞成 %(f)d，反对 %(a)d，弃权 %(x)d）") % {
        "d": say_date(m["day"]),
        "v": gettext("通过") if m["verdict"] == "passed" else gettext("不通过"),
        "f": int(m["f"]),
        "a": int(m["a"]),
        "x": int(m["x"]),
    }
    return join_clauses([p for p in (m["text"], words) if p])


def panel_meeting(event):
    m = MEETING.match(event.comment)
    if m is None:
        return None
    return gettext("%(d)s评审会，%(n)d 项申报") % {"d": say_date(m["day"]), "n": int(m["count"])}


def profile_updated(event):
    """ "available, fields, title" → 修改了 可参加评审、专业领域、职称."""
    from .review_models import ExpertProfile

    names = []
    for code in (c.strip() for c in event.comment.split(",")):
        try:
            names.append(str(ExpertProfile._meta.get_field(code).verbose_name))
        except FieldDoesNotExist:
            return None
    return gettext("修改了 %(f)s") % {"f": join_words(names)} if names else ""


COMMENTS = {
    "application.edited": edited,
    "application.experts_drawn": experts_drawn,
    "application.expert_chosen": expert_chosen,
    "application.record_panel_resolution": panel_resolution,
    "batch.panel_meeting_recorded": panel_meeting,
    "expert.profile_updated": profile_updated,
    "application.dossier_exported": dossier_files,
    "application.attachment_uploaded": attachment,
    "application.attachment_removed": attachment,
    "application.staff_added": people,
    "application.staff_removed": people,
    "application.expert_assigned": expert,
    "expert.scores_submitted": total_score,
    "application.site_visit_recorded": site_visit,
    "application.objection_lodged": objection_lodged,
}
