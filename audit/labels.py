"""Human labels for audit action codes, for history pages. Codes stay stable; labels are translated."""

from django.apps import apps
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


# --- comments ------------------------------------------------------------------------------------------------
# Services write some comments in a stable, language-free form ("institution: legal_representative",
# "year=2026", "roles=expert"), so the trail reads the same whoever wrote it and whatever their language. The app
# that writes such a form registers how to say it (the codes of the layers at and below audit: audit.comments),
# and every page says it in the reader's language at display time. Comments a person typed (reasons, review
# opinions) have no renderer and are shown as typed.
_comment_renderers: dict = {}


def register_comment_renderer(action: str, render) -> None:
    """Register `render(event) -> str | None` for an action code's comments. None means the comment is not in the
    form the renderer reads (say, an event older than the form), and it is shown as stored."""
    _comment_renderers[action] = render


def register_comment_renderers(renderers: dict) -> None:
    for action, render in renderers.items():
        register_comment_renderer(action, render)


def comment_renderers() -> dict:
    """Every action code whose comments are written by a machine, with its renderer (for tests)."""
    return dict(_comment_renderers)


def describe_comment(event) -> str:
    """Return an event's comment in words: a machine comment through its renderer, a typed one as typed."""
    comment = event.comment or ""
    render = _comment_renderers.get(event.action)
    if render is None:
        return comment
    words = render(event)
    return comment if words is None else str(words)


def comment_pairs(comment: str) -> dict:
    """Read a comment of `key=value` words ("year=2026 found=True") into a dict; {} when it has none."""
    pairs = {}
    for word in (comment or "").split():
        key, sep, value = word.partition("=")
        if sep:
            pairs[key] = value
    return pairs


# --- object types --------------------------------------------------------------------------------------------
# What an event is about, in words: the model's verbose name (or a label registered here), and a link to the
# object's page for a reader who may see it. Apps register `links(user, ids) -> {id: url}` for their object
# types in AppConfig.ready(); it answers with one query for a whole page of events.
_object_type_labels: dict = {}
_object_links: dict = {}


def register_object_type(object_type: str, *, label=None, links=None) -> None:
    if label is not None:
        _object_type_labels[object_type] = label
    if links is not None:
        _object_links[object_type] = links


def object_type_label(object_type: str) -> str:
    """Return the words for an object type ('applications.application' → 基地申报); '' for none."""
    if not object_type:
        return ""
    label = _object_type_labels.get(object_type)
    if label:
        return str(label)
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def object_link_finder(object_type: str):
    return _object_links.get(object_type)
