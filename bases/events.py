"""Labels of the audit events `bases` writes outside its machines (the machines label their own), and the words of
their machine comments."""

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.comments import say_choice
from audit.labels import comment_pairs
from kit.text import join_words

from .models import MisconductReport, Notice
from .services.changes import FACT_LABELS

LABELS = {
    "notice.published": _("发布公告"),
    "base.recognised": _("认定基地"),
    "base.filed": _("报省人社厅备案"),
    "base.changed": _("基地信息变更"),
    "base.change_filed": _("变更报省人社厅备案"),
    "bases.imported": _("导入既有基地"),
    "change_request.submitted": _("提交变更申请"),
    "report.lodged": _("收到违规举报"),
    "report.triaged": _("处理违规举报"),
}


# --- machine comments in words (audit.labels.register_comment_renderers) ------------------------------------


def base_changed(event):
    """ "name, contact_phone, fees" → 变更了 基地名称、联系电话、收费标准. Events written before named the change
    request by its row id ("change request #3"), which says nothing to a reader: the label says what happened."""
    if event.comment.startswith("change request #"):
        return ""
    keys = [k.strip() for k in event.comment.split(",") if k.strip()]
    if not all(k in FACT_LABELS for k in keys):
        return None
    return gettext("变更了 %(f)s") % {"f": join_words(FACT_LABELS[k] for k in keys)} if keys else ""


LEGACY_FILED = re.compile(r"^报(?P<p>.+)备案$")


def base_filed(event):
    # The department filed with, by name; events written before said it in the writer's words ("报…备案").
    legacy = LEGACY_FILED.match(event.comment)
    return legacy.group("p") if legacy else event.comment


def notice_published(event):
    return say_choice(Notice.Kind, event.comment)


def report_lodged(event):
    return say_choice(MisconductReport.Category, event.comment)


def bases_imported(event):
    pairs = comment_pairs(event.comment)
    if not {"rows", "created", "updated", "unchanged"} <= set(pairs):
        return None
    return gettext("共 %(rows)s 行：新增 %(created)s 个，更新 %(updated)s 个，未变 %(unchanged)s 个") % pairs


COMMENTS = {
    "base.changed": base_changed,
    "base.filed": base_filed,
    "notice.published": notice_published,
    "report.lodged": report_lodged,
    "bases.imported": bases_imported,
}
