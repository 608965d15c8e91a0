"""Reminders (R-22 deadline): each sent exactly once — when the job runs twice, concurrently, or after a missed
week — to the right people; overdue escalation reaches the authority; preferences respected."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from accounts.models import Role
from notifications.models import Notification, Preference, ReminderLedger
from notifications.reminders import current_step, send_due_reminders
from tests.factories import member

pytestmark = pytest.mark.django_db


def d(y, m, day):
    return datetime.date(y, m, day)


def reminders_for(user):
    return list(
        Notification.objects.filter(user=user, kind__startswith="reminder.").values_list("title", flat=True)
    )


@pytest.mark.parametrize(
    ("days_left", "step"), [(31, None), (30, 30), (20, 30), (14, 14), (8, 14), (7, 7), (2, 7), (1, 1), (0, 1)]
)
def test_current_step_is_the_latest_that_came_due(days_left, step):
    assert current_step(days_left, [30, 14, 7, 1]) == step


def test_reminder_goes_to_operators_and_host_reviewers_once(pw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = send_due_reminders(today=d(2026, 12, 1))
        second = send_due_reminders(today=d(2026, 12, 1))
    assert len(first.sent) == 1 and len(second.sent) == 0 and second.skipped == 1
    assert len(reminders_for(pw.operator)) == 1 and len(reminders_for(pw.host)) == 1
    assert reminders_for(pw.cd_reviewer) == []  # the authority is told only when overdue
    assert ReminderLedger.objects.get().step == "before-30"
    assert {m.to[0] for m in mail.outbox} == {pw.operator.email, pw.host.email}


def test_no_reminder_for_a_base_that_has_submitted(pw):
    pw.to_state("submitted")
    assert send_due_reminders(today=d(2026, 12, 24)).sent == []
    assert reminders_for(pw.operator) == []


def test_a_draft_or_returned_plan_still_gets_reminded(pw):
    pw.to_state("draft")
    assert len(send_due_reminders(today=d(2026, 12, 24)).sent) == 1


def test_missed_week_is_caught_up_once_and_stale_steps_are_skipped(pw):
    send_due_reminders(today=d(2026, 12, 1))  # 30 days before
    # Nothing ran from 2 to 26 December; the 14- and 7-day steps came due while nothing ran.
    result = send_due_reminders(today=d(2026, 12, 27))
    assert [r.step for r in result.sent] == ["before-7"]  # the latest due step, once; 14 is stale
    assert send_due_reminders(today=d(2026, 12, 28)).sent == []
    assert [r.step for r in send_due_reminders(today=d(2026, 12, 30)).sent] == ["before-1"]
    assert sorted(ReminderLedger.objects.values_list("step", flat=True)) == [
        "before-1",
        "before-30",
        "before-7",
    ]


def test_overdue_escalation_reaches_the_authority_then_weekly(pw):
    result = send_due_reminders(today=d(2027, 1, 1))
    assert [r.step for r in result.sent] == ["overdue-week-0"]
    assert len(reminders_for(pw.cd_reviewer)) == 1 and len(reminders_for(pw.operator)) == 1
    assert send_due_reminders(today=d(2027, 1, 5)).sent == []
    assert [r.step for r in send_due_reminders(today=d(2027, 1, 8)).sent] == ["overdue-week-1"]
    pw.to_state("submitted")
    assert send_due_reminders(today=d(2027, 1, 15)).sent == []


def test_a_base_recognised_after_the_deadline_owes_no_plan_for_that_year(pw):
    pw.b.recognised_on = d(2027, 3, 1)
    pw.b.save()
    assert send_due_reminders(today=d(2027, 3, 10)).sent == []


def test_email_preference_is_respected_but_the_inbox_always_gets_it(pw, django_capture_on_commit_callbacks):
    Preference.objects.create(user=pw.operator, kind="reminder", email=False)
    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(today=d(2026, 12, 1))
    assert len(reminders_for(pw.operator)) == 1
    assert [m.to[0] for m in mail.outbox] == [pw.host.email]


def test_preferences_page_saves_choices(client, pw):
    client.force_login(pw.operator)
    response = client.post("/inbox/preferences/", {"email_application": "on"})
    assert response.status_code == 302
    prefs = dict(Preference.objects.filter(user=pw.operator).values_list("kind", "email"))
    assert prefs["application"] is True and prefs["reminder"] is False


def test_dry_run_command_sends_nothing(pw, capsys):
    call_command("send_reminders", "--date", "2026-12-20", "--dry-run")
    assert "would send plan_deadline" in capsys.readouterr().out
    assert not ReminderLedger.objects.exists() and not Notification.objects.exists()
    call_command("send_reminders", "--date", "2026-12-20")
    assert ReminderLedger.objects.count() == 1


def test_expert_scores_overdue_and_publicity_ending_are_reminded(db):
    from applications import services as app_services
    from tests.applications.conftest import World

    world = World()
    app = world.to_state("demonstration")
    assignments = app_services.expert_assign(
        actor=world.cd_reviewer,
        application=app,
        experts=world.experts[:3],
        reason="指定",
        due_on=d(2026, 1, 1),
    )
    result = send_due_reminders(today=d(2026, 1, 2))
    keys = {r.kind for r in result.sent}
    assert keys == {"expert_overdue"}
    assert len(reminders_for(assignments[0].expert)) == 1
    publicity = world.to_state("publicity", batch=world.sc_batch)
    from django.utils import timezone

    result = send_due_reminders(today=publicity.publicity_ends_on + datetime.timedelta(days=1))
    assert "publicity" in {r.kind for r in result.sent}
    assert timezone.now()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking")
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_reminder_once():
    from tests.plans.conftest import PlanWorld

    pw = PlanWorld()
    member(pw.other_inst, Role.BASE_OPERATOR)
    pw.base(
        name="第二基地",
        institution=pw.other_inst,
        authority=pw.mianyang,
        region="510703",
        recognised="2026-06-01",
    )
    barrier = threading.Barrier(3)
    totals = []

    def run():
        from django.db import connection as conn

        try:
            barrier.wait()
            totals.append(len(send_due_reminders(today=d(2026, 12, 1)).sent))
        finally:
            conn.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(totals) == 2
    assert ReminderLedger.objects.count() == 2
    assert Notification.objects.filter(user=pw.operator, kind__startswith="reminder.").count() == 1
