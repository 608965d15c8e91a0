"""Human labels for audit action codes, for history pages. Codes stay stable; labels are translated."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "auth.login": _("登录"),
    "auth.logout": _("退出登录"),
    "auth.login_failed": _("登录失败"),
    "auth.locked_out": _("账户锁定"),
    "auth.login_refused_locked": _("锁定期间尝试登录"),
    "auth.token_issued": _("签发接口令牌"),
    "account.created": _("开通账户"),
    "account.deactivated": _("停用账户"),
    "account.reactivated": _("启用账户"),
    "account.password_changed": _("修改密码"),
    "institution.registered": _("机构注册"),
    "region.flags_changed": _("修改倾斜政策标记"),
    "audit.exported": _("导出审计日志"),
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
    "notice.published": _("发布公告"),
    "base.recognised": _("认定基地"),
    "base.filed": _("报省人社厅备案"),
}


# Filled by the apps above: every workflow machine registers its transitions' labels and its states'
# labels when its `workflow.py` is imported (each app's AppConfig.ready), so audit imports no app.
_registered_actions: dict = {}
_registered_states: dict = {}


def register_action_labels(labels: dict) -> None:
    _registered_actions.update(labels)


def register_state_labels(object_type: str, labels: dict) -> None:
    _registered_states.setdefault(object_type, {}).update(labels)


def action_label(code: str) -> str:
    """Return the words for an audit action code (the code itself only if nobody named it)."""
    label = LABELS.get(code) or _registered_actions.get(code)
    return str(label) if label else code


def state_label(object_type: str, state: str) -> str:
    """Return the words for a state of an object type, e.g. 'scored' of an inspection → 已评分."""
    label = _registered_states.get(object_type, {}).get(state)
    return str(label) if label else state


def known_actions() -> dict:
    """Every labelled action code with its label, for filters and tests."""
    return {**_registered_actions, **LABELS}
