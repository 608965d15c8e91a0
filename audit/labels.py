"""Human labels for audit action codes, for history pages. Codes stay stable; labels are translated."""

from django.utils.translation import gettext_lazy as _

# Codes of the layers at and below audit (sign-in, accounts, the audit trail itself). The apps above register
# theirs (see each app's events.py and the machines of its workflow.py).
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
    "account.password_reset": _("重置密码"),
    "institution.registered": _("机构注册"),
    "institution.registration_confirmed": _("确认机构注册"),
    "institution.registration_refused": _("不予确认机构注册"),
    "security.lockout_released": _("解除登录锁定"),
    "security.otp_reset": _("重置双因素认证"),
    "admin.added": _("后台新增"),
    "admin.changed": _("后台修改"),
    "admin.deleted": _("后台删除"),
    "region.flags_changed": _("修改倾斜政策标记"),
    "audit.exported": _("导出审计日志"),
}

# Second factor and API tokens (accounts/two_factor.py, accounts/api_tokens.py, accounts/lockout.py).
LABELS.update(
    {
        "auth.otp_failed": _("动态口令错误"),
        "auth.token_revoked": _("注销接口令牌"),
        "auth.tokens_revoked": _("吊销接口令牌"),
        "two_factor.enrolled": _("启用双因素认证"),
        "two_factor.backup_codes_issued": _("生成备用码"),
        "two_factor.backup_code_used": _("使用备用码登录"),
        "two_factor.disabled": _("停用双因素认证"),
        "two_factor.policy_changed": _("修改辖区机构双因素认证要求"),
        "two_factor.session_refused": _("未完成双因素认证的会话被要求重新验证"),
    }
)


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
