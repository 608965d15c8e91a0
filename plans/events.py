"""Labels of the audit events `plans` writes outside its machine (the machine labels its own), and the words of
their machine comments."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.comments import say_pair, say_year
from audit.labels import comment_pairs
from kit.text import join_clauses, join_words

from .models import AnnualPlan, TrainingClass

LABELS = {
    "plan.created": _("创建年度计划"),
    "plan.edited": _("修改年度计划"),
    # "删除" until the English catalogue has "删除计划草稿" (locale/ is refreshed on main).
    "plan.deleted": _("删除"),
    "plan.item_saved": _("保存培训项目"),
    "plan.item_removed": _("删除培训项目"),
    "plan.amendment_created": _("发起计划调整"),
    "plan.yearly_evaluation": _("填写年度评估"),
    "class.created": _("开设培训班"),
    "class.progress": _("更新培训班进度"),
    "class.evaluated": _("培训班评价"),
}


# --- machine comments in words (audit.labels.register_comment_renderers) ------------------------------------


def _verbose(model, code: str) -> str | None:
    try:
        return str(model._meta.get_field(code).verbose_name)
    except FieldDoesNotExist:
        return None


def plan_edited(event):
    """ "summary_narrative" → 修改了 上年度计划执行情况总结 (events written before named no field)."""
    names = [_verbose(AnnualPlan, f.strip()) for f in event.comment.split(",") if f.strip()]
    if None in names:
        return None
    return gettext("修改了 %(f)s") % {"f": join_words(names)} if names else ""


def item_removed(event):
    # The item's title; events written before recorded its row id, which says nothing once the row is gone.
    return "" if event.comment.isdigit() else event.comment


def class_progress(event):
    pairs = comment_pairs(event.comment)
    if not {"enrolled", "completed"} <= set(pairs):
        return None
    return join_clauses(
        [
            say_pair(_verbose(TrainingClass, "enrolled_count"), pairs["enrolled"]),
            say_pair(_verbose(TrainingClass, "completed_count"), pairs["completed"]),
        ]
    )


def class_evaluated(event):
    return say_pair(_verbose(TrainingClass, "satisfaction"), event.comment) if event.comment else ""


def yearly_evaluation(event):
    return say_year(event.comment)


def host_approved(event):
    """The host reviewer's comment, then the machine's note "[late]" when the plan was submitted late (R-22)."""
    text = event.comment
    if not (text == "[late]" or text.endswith(" [late]")):
        return text
    typed = text.removesuffix("[late]").strip()
    return typed + gettext("（逾期报送）") if typed else gettext("逾期报送")


COMMENTS = {
    "plan.edited": plan_edited,
    "plan.item_removed": item_removed,
    "class.progress": class_progress,
    "class.evaluated": class_evaluated,
    "plan.yearly_evaluation": yearly_evaluation,
    "plan.host_approve": host_approved,
}
