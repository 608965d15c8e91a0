"""Machine comments in words: helpers for every app's renderers (audit.labels.register_comment_renderers), and the
renderers of the codes written at and below audit (sign-in, accounts, the Django admin, the trail itself).

A renderer reads the stored comment, which never changes, and says it in the reader's language; it returns None
for a comment not in the form it reads, which is then shown as stored."""

import ast
import json
from urllib.parse import parse_qsl

from django.contrib.admin.models import LogEntry
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Region, Role
from kit.text import colon, join_clauses, join_words

from .forms import AuditFilterForm
from .labels import action_label, comment_pairs, object_type_label

# --- helpers for renderers -----------------------------------------------------------------------------------


def say_date(text: str) -> str:
    """Return an ISO date or date-time ('2026-05-01', '2026-05-01T10:00:00+00:00') in the reader's format; the
    text itself when it is neither."""
    try:
        day = parse_date(text or "")
        moment = None if day else parse_datetime(text or "")
    except ValueError:  # well formed but no such day
        return text or ""
    if day:
        return formats.date_format(day, "DATE_FORMAT")
    if moment is None:
        return text or ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


def say_pair(label, value) -> str:
    """Return "label：value" with the reader's language's colon (kit.text: each mark is a message of its own)."""
    return f"{label}{colon()}{value}"


def say_change(label, before, after) -> str:
    """Return "label：before → after"."""
    return say_pair(label, f"{before} → {after}")


def say_choice(choices, value: str) -> str:
    """Return the label of a value of TextChoices (the value itself when it is not one of them)."""
    return str(dict(choices.choices).get(value, value))


def say_year(text: str) -> str | None:
    return _("%(y)s 年度") % {"y": text} if (text or "").isdigit() else None


# --- accounts and sign-in ------------------------------------------------------------------------------------

# Why a user's API tokens were revoked (accounts.api_tokens callers).
TOKEN_REASONS = {
    "sign_out": gettext_lazy("退出登录"),
    "deactivated": gettext_lazy("停用账户"),
    "password_changed": gettext_lazy("修改密码"),
    "password_reset": gettext_lazy("重置密码"),
}
# The django-otp device classes a second-factor reset removes.
OTP_DEVICES = {"TOTPDevice": gettext_lazy("动态口令"), "StaticDevice": gettext_lazy("备用码")}
REGION_FLAGS = (
    "is_old_revolutionary_area",
    "is_ethnic_area",
    "is_remote_area",
    "is_less_developed_area",
)


def _reason(code: str) -> str:
    return str(TOKEN_REASONS.get(code, code))


def token_issued(event):
    expiry = comment_pairs(event.comment).get("expiry")
    return _("有效期至 %(t)s") % {"t": say_date(expiry)} if expiry else None


def token_revoked(event):
    reason = comment_pairs(event.comment).get("reason")
    return say_pair(_("原因"), _reason(reason)) if reason else None


def tokens_revoked(event):
    pairs = comment_pairs(event.comment)
    if "reason" not in pairs or "count" not in pairs:
        return None
    return _("原因：%(r)s，共 %(n)s 个令牌") % {"r": _reason(pairs["reason"]), "n": pairs["count"]}


def lockout_released(event):
    # The username and IP of a lockout are personal data: only the audit administrator reads this trail.
    pairs = comment_pairs(event.comment)
    if "username" not in pairs:
        return None
    return _("账户 %(u)s，IP 地址 %(ip)s") % {"u": pairs["username"], "ip": pairs.get("ip") or "—"}


def otp_reset(event):
    devices = [d.strip() for d in event.comment.split(",") if d.strip()]
    return say_pair(_("已移除"), join_words(OTP_DEVICES.get(d, d) for d in devices)) if devices else ""


def account_created(event):
    roles = comment_pairs(event.comment).get("roles")
    if roles is None:
        return None
    names = [say_choice(Role, r) for r in roles.split(",") if r]
    return say_pair(_("角色"), join_words(names)) if names else ""


def _yes_no(flag: str) -> str:
    return _("是") if flag == "1" else _("否")


def region_flags_changed(event):
    # "is_remote_area: 0→1, is_ethnic_area: 1→0"
    lines = []
    for part in event.comment.split(","):
        field, sep, change = part.strip().partition(": ")
        before, arrow, after = change.partition("→")
        if not (sep and arrow) or field not in REGION_FLAGS:
            return None
        lines.append(say_change(Region._meta.get_field(field).verbose_name, _yes_no(before), _yes_no(after)))
    return join_clauses(lines)


def admin_message(event):
    """The Django admin's change message, stored as its JSON (the admin's own untranslated form), in words."""
    message = event.comment
    if message.startswith("[{"):
        try:
            json.loads(message)
        except ValueError:
            # Events written before the JSON: the message list's repr.
            try:
                message = json.dumps(ast.literal_eval(message), ensure_ascii=False)
            except (ValueError, SyntaxError):
                return None
    try:
        return LogEntry(change_message=message).get_change_message()
    except (KeyError, TypeError, AttributeError):  # a list the admin did not write: shown as stored
        return None


def audit_exported(event):
    """The audit page's filters of an export ("action=plan.file&date_from=2026-01-01") in words."""
    fields = AuditFilterForm.base_fields
    words = []
    for key, value in parse_qsl(event.comment):
        if key not in fields or not value:
            continue
        if key == "action":
            value = action_label(value)
        elif key == "object_type":
            value = object_type_label(value)
        elif key == "duty":
            value = say_choice(Role, value)
        elif key in ("date_from", "date_to"):
            value = say_date(value)
        words.append(say_pair(fields[key].label, value))
    return say_pair(_("筛选条件"), join_clauses(words)) if words else _("全部记录")


RENDERERS = {
    "auth.token_issued": token_issued,
    "auth.token_revoked": token_revoked,
    "auth.tokens_revoked": tokens_revoked,
    "security.lockout_released": lockout_released,
    "security.otp_reset": otp_reset,
    "account.created": account_created,
    "region.flags_changed": region_flags_changed,
    "admin.added": admin_message,
    "admin.changed": admin_message,
    "audit.exported": audit_exported,
}
