"""The supervision machines' own rules (R-27, R-28): what the move onto the engine must keep."""

import datetime

import pytest

from audit.models import AuditEvent
from bases.models import Base, InstitutionBar, Notice
from inspections import services, workflow
from inspections.models import Rectification
from tests.inspections.conftest import TODAY

pytestmark = pytest.mark.django_db


def _overdue_rectification(w):
    """An unqualified spot check's rectification, past its deadline, with revocation proposed."""
    insp = w.spot().inspections.get()
    w.score(insp, 40)
    services.inspection_confirm(
        actor=w.cd_approver,
        inspection_id=insp.pk,
        rectification_items="整改",
        deadline=TODAY + datetime.timedelta(days=5),
    )
    rect = Rectification.objects.get(inspection=insp)
    later = TODAY + datetime.timedelta(days=6)
    workflow.MACHINE.run(
        rect.pk, "propose_revocation", actor=w.cd_reviewer, comment="逾期未整改", today=later
    )
    return rect


def test_a_second_rectification_ending_in_revocation_closes_without_a_second_notice_r28(w):
    first, second = _overdue_rectification(w), _overdue_rectification(w)
    workflow.MACHINE.run(first.pk, "revoke", actor=w.cd_approver, comment="整改期满仍不合格")
    workflow.MACHINE.run(second.pk, "revoke", actor=w.cd_approver, comment="整改期满仍不合格")
    assert Rectification.objects.get(pk=second.pk).state == Rectification.State.REVOKED
    assert Base.objects.get(pk=w.b.pk).status == Base.Status.REVOKED
    assert Notice.objects.filter(kind=Notice.Kind.REVOCATION, base=w.b).count() == 1
    assert InstitutionBar.objects.filter(institution=w.inst).count() == 1
    assert AuditEvent.objects.filter(action="base.revoked").count() == 1
    assert AuditEvent.objects.filter(action="rectification.revoke").count() == 2


def test_a_changed_assessment_rating_keeps_its_reason_in_the_audit_trail_r27(w):
    (assessment,) = services.assessments_propose(actor=w.cd_reviewer, authority=w.chengdu, year=2026)
    rating = "excellent" if assessment.proposed_rating != "excellent" else "good"
    services.assessment_confirm(
        actor=w.cd_approver, assessment_id=assessment.pk, rating=rating, reason="获省级表彰"
    )
    event = AuditEvent.objects.get(action="assessment.confirmed", object_id=str(assessment.pk))
    assert event.comment == f"{assessment.proposed_rating} → {rating} 获省级表彰"
    assert (event.from_state, event.to_state) == ("proposed", "confirmed")


def test_the_change_request_api_does_not_offer_resubmission_as_a_button():
    from bases import workflow as base_workflow

    assert "resubmit" in base_workflow.MACHINE.table
    assert "resubmit" not in base_workflow.ACTIONS
