"""Labels of the audit events `applications` writes outside its machine (the machine labels its own)."""

from django.utils.translation import gettext_lazy as _

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
    "expert.no_conflict_declared": _("专家声明无利益冲突"),
    "expert.conflict_declared": _("专家申请回避"),
    "expert.scores_submitted": _("专家提交评分"),
    "batch.panel_meeting_recorded": _("录入评审会结论"),
    "application.experts_drawn": _("随机抽取专家"),
    "application.expert_chosen": _("指定专家"),
    "expert.profile_updated": _("修改专家信息"),
    "expert.declined": _("专家谢绝参加"),
}
