"""The kinds of notification a user can choose e-mail for. A kind not listed here is grouped under "other"."""

from django.utils.translation import gettext_lazy as _

KINDS = [
    ("registration", _("机构注册确认")),
    ("application", _("基地申报办理进度")),
    ("expert", _("专家评审任务")),
    ("change_request", _("基地变更申请")),
    ("report", _("违规举报")),
    ("plan", _("年度计划审核与备案")),
    ("reminder", _("截止日期提醒")),
]

# Deadline notices always reach the inbox; their e-mail can be turned off like any other kind.
ALWAYS_IN_INBOX = {"reminder"}


def group_of(kind: str) -> str:
    prefix = kind.split(".", 1)[0]
    if prefix == "application" and kind in ("application.expert_assigned",):
        return "expert"
    return prefix if prefix in dict(KINDS) else "other"
