"""Bulk actions on a batch's list (issue 18): each application runs the same engine transition (or the draw) in its
own transaction, and the report says per application what happened; a refused one changes nothing."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from applications import services
from applications.models import Application, ExpertProfile
from audit.models import AuditEvent
from kit.errors import InvalidInput, PermissionRefused
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_a_refused_application_among_done_ones_is_left_as_it_was(world):
    first = world.submitted()
    second = world.to_state("submitted", **world.applicant("乙学院"))
    late = world.to_state("formal_review", **world.applicant("丙学院"))
    results = services.applications_bulk(
        actor=world.cd_reviewer,
        batch=world.cd_batch,
        action="start_review",
        application_ids=[first.pk, late.pk, second.pk],
    )
    assert [(r.application_id, r.done) for r in results] == [
        (first.pk, True),
        (late.pk, False),
        (second.pk, True),
    ]
    assert "不能执行" in results[1].message
    states = dict(
        Application.objects.filter(pk__in=[first.pk, second.pk, late.pk]).values_list("pk", "state")
    )
    assert states == {first.pk: "formal_review", second.pk: "formal_review", late.pk: "formal_review"}
    assert AuditEvent.objects.filter(action="application.start_review").count() == 3  # late's own, earlier


def test_an_application_of_another_batch_or_authority_is_refused_by_name(world):
    mine = world.submitted()
    provincial = world.to_state("submitted", batch=world.sc_batch, **world.applicant("省批次学院"))
    results = services.applications_bulk(
        actor=world.cd_reviewer,
        batch=world.cd_batch,
        action="start_review",
        application_ids=[mine.pk, provincial.pk],
    )
    assert [r.done for r in results] == [True, False]
    assert Application.objects.get(pk=provincial.pk).state == "submitted"


def test_bulk_draw_draws_per_application_and_reports_a_failed_draw(world):
    pool = []
    for i in range(3):
        user = member(world.pool, Role.EXPERT, username=f"bulk_pool{i}")
        ExpertProfile.objects.create(user=user, fields=["数字经济"], employer_name=f"单位{i}")
        pool.append(user)
    ready = world.to_state("demonstration")
    other = world.to_state("demonstration", **world.applicant("乙学院"))
    # Each application draws from the same pool of three; with one of them unavailable, a draw of three fails.
    results = services.applications_bulk(
        actor=world.cd_reviewer, batch=world.cd_batch, action="draw_experts", application_ids=[ready.pk]
    )
    assert results[0].done and "随机种子" in results[0].message
    ExpertProfile.objects.filter(user=pool[0]).update(available=False)
    results = services.applications_bulk(
        actor=world.cd_reviewer,
        batch=world.cd_batch,
        action="draw_experts",
        application_ids=[other.pk, ready.pk],
    )
    assert [r.done for r in results] == [False, False]
    assert "只有 2 位" in results[0].message
    assert ready.assignments.count() == 3 and not other.assignments.exists()


def test_moving_to_the_panel_needs_a_passed_visit_per_application(world):
    visited = world.to_state("site_visit_passed")
    unvisited = world.to_state("site_visit", **world.applicant("乙学院"))
    results = services.applications_bulk(
        actor=world.cd_reviewer,
        batch=world.cd_batch,
        action="complete_site_visit",
        application_ids=[visited.pk, unvisited.pk],
    )
    assert [r.done for r in results] == [True, False]
    assert "尚未录入实地考察结果" in results[1].message
    assert Application.objects.get(pk=visited.pk).state == "panel_review"
    assert Application.objects.get(pk=unvisited.pk).state == "site_visit"


def test_only_the_batch_reviewer_runs_bulk_actions_and_bad_input_is_refused(world):
    app = world.submitted()
    with pytest.raises(PermissionRefused):
        services.applications_bulk(
            actor=world.cd_approver, batch=world.cd_batch, action="start_review", application_ids=[app.pk]
        )
    with pytest.raises(InvalidInput):
        services.applications_bulk(
            actor=world.cd_reviewer, batch=world.cd_batch, action="approve", application_ids=[app.pk]
        )
    with pytest.raises(InvalidInput):
        services.applications_bulk(
            actor=world.cd_reviewer, batch=world.cd_batch, action="start_review", application_ids=[]
        )
    assert Application.objects.get(pk=app.pk).state == "submitted"


def test_the_batch_list_offers_bulk_actions_and_reports_each_application(
    client, world, django_capture_on_commit_callbacks
):
    first = world.submitted()
    late = world.to_state("formal_review", **world.applicant("乙学院"))
    client.force_login(world.cd_reviewer)
    listing = client.get(reverse("applications:list"), {"batch": world.cd_batch.pk}).content.decode()
    assert 'data-testid="bulk"' in listing and f'value="{first.pk}"' in listing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("applications:bulk", args=[world.cd_batch.pk]),
            {"action": "start_review", "applications": [first.pk, late.pk]},
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="bulk-result"') == 2 and "已办理 1 项" in body
    assert Application.objects.get(pk=first.pk).state == "formal_review"
    assert (
        client.post(
            reverse("applications:bulk", args=[world.cd_batch.pk]),
            {"action": "start_review", "applications": ["x"]},
        ).status_code
        == 400
    )
    client.force_login(world.my_reviewer)
    assert (
        client.post(
            reverse("applications:bulk", args=[world.cd_batch.pk]),
            {"action": "start_review", "applications": [first.pk]},
        ).status_code
        == 404
    )
    client.force_login(world.operator)
    listing = client.get(reverse("applications:list"), {"batch": world.cd_batch.pk}).content.decode()
    assert 'data-testid="bulk"' not in listing
