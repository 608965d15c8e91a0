"""Labels of the audit events `inspections` writes outside its machines (the machines label their own)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "inspection.round_opened": _("组织检查"),
    "inspection.round_published": _("公布检查结果"),
    "inspection.self_assessment": _("提交自评"),
    "assessment.proposed": _("测算评估等次"),
    "assessment.published": _("公布评估结果"),
    "rectification.ordered": _("责令整改"),
}
