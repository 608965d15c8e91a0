from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import users_with
from notifications.services import notify


def notify_plan_transition(plan, action, actor, comment=""):
    base = plan.base
    if action == "submit_to_host":
        targets = users_with(base.institution_id, Role.HOST_REVIEWER)
        title = _("%(p)s待建设单位审核") % {"p": plan}
    elif action == "host_approve":
        targets = users_with(base.approving_authority_id, Role.AUTHORITY_REVIEWER)
        title = _("%(p)s已报送，待备案") % {"p": plan} + (_("（逾期报送）") if plan.is_late else "")
    else:
        targets = users_with(base.institution_id, Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN)
        title = _("%(p)s：%(s)s") % {"p": plan, "s": plan.get_state_display()}
    notify(
        users=[u for u in targets if u != actor],
        kind=f"plan.{action}",
        title=title,
        body=plan.last_comment,
        url=reverse("plans:detail", args=[plan.pk]),
    )
