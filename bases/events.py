"""Labels of the audit events `bases` writes outside its machines (the machines label their own)."""

from django.utils.translation import gettext_lazy as _

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
