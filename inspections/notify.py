from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import users_with
from notifications.services import notify


def notify_rectification(rect, action, actor, comment=""):
    base = rect.base
    if action in ("reply", "propose_revocation"):
        roles = (
            (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
            if action == "propose_revocation"
            else (Role.AUTHORITY_REVIEWER,)
        )
        targets = users_with(base.approving_authority_id, *roles)
    else:
        targets = users_with(base.institution_id, Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN)
    title = _("%(b)s 整改：%(s)s") % {"b": base.name, "s": rect.get_state_display()}
    if action == "ordered":
        title = _("%(b)s 须于 %(d)s 前完成整改") % {"b": base.name, "d": rect.deadline}
    notify(
        users=[u for u in targets if u != actor],
        kind=f"rectification.{action}",
        title=title,
        body=rect.last_comment or rect.items,
        url=reverse("inspections:rectification", args=[rect.pk]),
    )
