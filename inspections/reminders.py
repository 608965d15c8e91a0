"""Rectification deadlines (R-27): 30, 7 and 1 day(s) before to the base; once overdue, to the authority."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import users_with
from notifications.reminders import DueReminder, current_step

from .models import Rectification

STEPS = [30, 7, 1]


def rectification_reminders(today):
    for rect in Rectification.objects.filter(
        state__in=[Rectification.State.OPEN, Rectification.State.REPLIED]
    ).select_related("base"):
        days_left = (rect.deadline - today).days
        url = reverse("inspections:rectification", args=[rect.pk])
        if days_left >= 0:
            step = current_step(days_left, STEPS)
            if step is None or rect.state == Rectification.State.REPLIED:
                continue
            yield DueReminder(
                kind="rectification",
                object_type="inspections.rectification",
                object_id=str(rect.pk),
                step=f"before-{step}",
                title=_("%(b)s 的整改期限为 %(d)s，请按时报送整改情况")
                % {"b": rect.base.name, "d": rect.deadline},
                url=url,
                recipients=list(
                    users_with(rect.base.institution_id, Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN)
                ),
            )
        else:
            yield DueReminder(
                kind="rectification",
                object_type="inspections.rectification",
                object_id=str(rect.pk),
                step="overdue",
                title=_("%(b)s 整改期限（%(d)s）已过，尚未完成整改")
                % {"b": rect.base.name, "d": rect.deadline},
                url=url,
                recipients=list(
                    users_with(
                        rect.base.approving_authority_id, Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER
                    )
                ),
            )
