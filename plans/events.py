"""Labels of the audit events `plans` writes outside its machine (the machine labels its own)."""

from django.utils.translation import gettext_lazy as _

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
