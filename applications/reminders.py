"""Reminders of the recognition workflow: publicity periods ending, and expert scores overdue."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.reminders import DueReminder

from .effects import reviewers
from .models import Application, ExpertAssignment


def application_reminders(today):
    for app in Application.objects.filter(
        state=Application.State.PUBLICITY, publicity_ends_on__isnull=False
    ).select_related("batch"):
        days_left = (app.publicity_ends_on - today).days
        if days_left > 1:
            continue
        step = "ending" if days_left >= 0 else "ended"
        title = (
            _("公示即将结束：%(a)s（%(d)s）")
            if step == "ending"
            else _("公示期已满，请处理异议后公布：%(a)s")
        ) % {"a": app, "d": app.publicity_ends_on}
        yield DueReminder(
            kind="publicity",
            object_type="applications.application",
            object_id=str(app.pk),
            step=step,
            title=title,
            url=reverse("applications:detail", args=[app.pk]),
            recipients=list(reviewers(app)),
        )
    overdue = ExpertAssignment.objects.filter(
        status__in=[ExpertAssignment.Status.ASSIGNED, ExpertAssignment.Status.ACCEPTED],
        due_on__lt=today,
        application__state=Application.State.DEMONSTRATION,
    ).select_related("expert", "application__batch")
    for a in overdue:
        week = ((today - a.due_on).days - 1) // 7
        yield DueReminder(
            kind="expert_overdue",
            object_type="applications.expertassignment",
            object_id=str(a.pk),
            step=f"overdue-week-{week}",
            title=_("专家评分已逾期：%(a)s（截止 %(d)s）") % {"a": a.application, "d": a.due_on},
            url=reverse("applications:assignment", args=[a.pk]),
            recipients=[a.expert, *reviewers(a.application)],
        )
