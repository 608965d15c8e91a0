"""A Base's status belongs to bases: rectification in and out, and revocation (R-27, R-28, R-15)."""

import pytest

from applications.rules import bar_reason
from audit.models import AuditEvent
from bases.models import Base, Filing, InstitutionBar, Notice
from bases.services import base_rectification_end, base_rectification_start, base_revoke
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState

from .conftest import Registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def reg():
    return Registry()


def test_rectification_starts_once_and_ends_with_audit_rows_r27(reg):
    base = reg.base()
    base_rectification_start(actor=reg.cd_reviewer, base=base)
    base_rectification_start(actor=reg.cd_reviewer, base=base)  # a second order keeps it under rectification
    assert Base.objects.get(pk=base.pk).status == Base.Status.RECTIFICATION
    assert AuditEvent.objects.filter(action="base.start_rectification", object_id=str(base.pk)).count() == 1
    base_rectification_end(actor=reg.cd_approver, base=base)
    assert Base.objects.get(pk=base.pk).status == Base.Status.ACTIVE
    event = AuditEvent.objects.get(action="base.end_rectification", object_id=str(base.pk))
    assert (event.from_state, event.to_state, event.organization_id) == (
        "rectification",
        "active",
        reg.chengdu.pk,
    )


def test_only_supervising_staff_of_the_jurisdiction_change_a_base_status(reg):
    base = reg.base()
    with pytest.raises(PermissionRefused):
        base_rectification_start(actor=reg.operator, base=base)
    with pytest.raises(NotVisible):
        base_rectification_start(actor=reg.my_approver, base=base)
    # The provincial HR department supervises every base.
    base_rectification_start(actor=reg.sc_reviewer, base=base)
    assert Base.objects.get(pk=base.pk).status == Base.Status.RECTIFICATION


@pytest.mark.parametrize(
    ("cause", "words"), [("assessment", "经动态评估不合格"), ("inspection", "经检查考核不合格")]
)
def test_revocation_publishes_the_cause_bars_the_institution_and_files_it_r28(reg, cause, words):
    base = reg.base()
    base_revoke(actor=reg.cd_approver, base=base, reasons="整改期满仍不合格", cause=cause)
    assert Base.objects.get(pk=base.pk).status == Base.Status.REVOKED
    notice = Notice.objects.get(kind=Notice.Kind.REVOCATION, base=base)
    assert words in notice.body and "整改期满仍不合格" in notice.body
    assert InstitutionBar.objects.filter(institution=reg.inst, reason="base_revoked").exists()
    assert "第二十四条" in bar_reason(reg.inst)
    assert Filing.objects.filter(base=base, kind=Filing.Kind.CHANGE, filed_with=reg.province).exists()
    assert AuditEvent.objects.filter(
        action="base.revoked", object_id=str(base.pk), to_state="revoked"
    ).exists()


def test_revocation_needs_reasons_and_happens_once(reg):
    base = reg.base()
    with pytest.raises(InvalidInput):
        base_revoke(actor=reg.cd_approver, base=base, reasons=" ")
    assert Base.objects.get(pk=base.pk).status == Base.Status.ACTIVE
    base_revoke(actor=reg.cd_approver, base=base, reasons="弄虚作假")
    with pytest.raises(WrongState):
        base_revoke(actor=reg.cd_approver, base=base, reasons="弄虚作假")
    assert Notice.objects.filter(kind=Notice.Kind.REVOCATION, base=base).count() == 1


def test_not_revoked_keeps_active_and_rectified_bases(reg):
    active, rectified, revoked = reg.base(name="甲"), reg.base(name="乙"), reg.base(name="丙")
    base_rectification_start(actor=reg.cd_reviewer, base=rectified)
    base_revoke(actor=reg.cd_approver, base=revoked, reasons="弄虚作假")
    assert set(Base.objects.not_revoked().filter(pk__in=[active.pk, rectified.pk, revoked.pk])) == {
        active,
        rectified,
    }
