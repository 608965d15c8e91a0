"""Records that must not count are refused, each with its reason (R-23, R-28, R-35; Art. 31): a class not
ended or cancelled, a date in the future, a subject the class does not give, a revoked base, and a cap that
holds when two batches race."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from bases.services import base_revoke
from hours import services
from hours.ingest import checks, ingest_records
from hours.models import ApiKey, TrainingRecord
from kit.errors import WrongState
from plans import services as plan_services
from plans.models import TrainingClass

from .conftest import HoursWorld, ingest, make_id

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _reasons(outcome):
    return [r["reason"] for r in outcome.refused]


def _class(hw, **data):
    defaults = {
        "title": "班",
        "starts_on": datetime.date(2026, 3, 1),
        "ends_on": datetime.date(2026, 3, 31),
        "place": "成都",
        "online_platform": "",
        "capacity": 100,
        "fee": "0",
        "hours_per_trainee": "24",
        "subject_kind": "professional",
        "teachers": "李四",
    }
    return plan_services.class_create(
        actor=hw.operator, plan_item=hw.filed_plan.items.get(), data=defaults | data
    )


def test_a_class_that_has_not_ended_takes_no_record_r23(hw):
    running = _class(
        hw, starts_on=TODAY - datetime.timedelta(days=3), ends_on=TODAY + datetime.timedelta(days=3)
    )
    out = ingest(hw, hw.record(class_id=running.pk, completed_on=str(TODAY - datetime.timedelta(days=1))))
    assert out.accepted == [] and "尚未结业" in _reasons(out)[0]


def test_a_completion_date_in_the_future_is_refused(hw):
    out = ingest(hw, hw.record(completed_on=str(TODAY + datetime.timedelta(days=1))))
    assert out.accepted == [] and _reasons(out) == ["完成日期晚于今天"]


def test_a_cancelled_class_takes_no_record(hw):
    TrainingClass.objects.filter(pk=hw.klass.pk).update(status=TrainingClass.Status.CANCELLED)
    out = ingest(hw, hw.record())
    assert out.accepted == [] and _reasons(out) == ["培训班已取消"]
    assert not TrainingRecord.objects.exists()


def test_a_general_record_in_a_professional_class_is_refused_r35(hw):
    out = ingest(hw, hw.record(subject="general", class_id=hw.klass.pk))
    assert out.accepted == [] and "科目类别与培训班不符" in _reasons(out)[0]


def test_a_mixed_class_credits_each_subject_up_to_its_part_r35(hw):
    mixed = _class(hw, hours_per_trainee="24", general_hours="8")
    out = ingest(
        hw,
        hw.record(1, class_id=mixed.pk, subject="general", hours="8"),
        hw.record(2, class_id=mixed.pk, subject="professional", hours="16"),
        hw.record(3, class_id=mixed.pk, subject="general", hours="9"),
        hw.record(4, class_id=mixed.pk, subject="professional", hours="17"),
    )
    assert sorted(out.accepted) == ["r1", "r2"]
    assert {r["external_id"]: r["reason"] for r in out.refused} == {
        "r3": "学时超过该培训班公需科目学时 8.0",
        "r4": "学时超过该培训班专业科目学时 16.0",
    }


def test_a_mixed_class_caps_each_subject_across_rows_and_batches_r35(hw):
    """Rows of one person add up per subject kind: two general rows may not pass the class's general part, even
    while the class's total hours still have room (R-35's two thirds could otherwise be gamed)."""
    mixed = _class(hw, hours_per_trainee="24", general_hours="8")
    person = {"id_number": make_id(7), "name": "学员7", "class_id": mixed.pk}
    out = ingest(
        hw,
        hw.record(1, subject="general", hours="5", **person),
        hw.record(2, subject="general", hours="4", **person),
        hw.record(3, subject="professional", hours="16", **person),
    )
    assert sorted(out.accepted) == ["r1", "r3"]
    assert _reasons(out) == ["该学员在此培训班的公需科目学时合计将超过 8.0"]
    later = ingest(hw, hw.record(4, subject="general", hours="3.5", **person))
    assert later.accepted == [] and _reasons(later) == ["该学员在此培训班的公需科目学时合计将超过 8.0"]
    fits = ingest(hw, hw.record(5, subject="general", hours="3", **person))
    assert fits.accepted == ["r5"]
    assert TrainingRecord.objects.filter(klass=mixed, subject="general").count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"general_hours": "24"}, "general_hours"),
        ({"general_hours": "0"}, "general_hours"),
        ({"general_hours": "8", "subject_kind": "general"}, "general_hours"),
    ],
)
def test_a_mixed_class_needs_a_general_part_below_its_hours(hw, data, field):
    from kit.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        _class(hw, **data)
    assert field in refused.value.field_errors


def test_revoking_a_base_revokes_its_keys_and_refuses_its_records_r28(hw, client):
    assert ingest(hw, hw.record(1)).accepted == ["r1"]
    base_revoke(actor=hw.cd_approver, base=hw.b, reasons="弄虚作假")
    key = ApiKey.objects.get(pk=hw.key.pk)
    assert key.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_key.revoked", object_id=str(key.pk)).exists()
    assert services.api_key_authenticate(hw.secret) is None
    response = client.post(
        reverse("api-hours-records"),
        {"records": [hw.record(2)]},
        content_type="application/json",
        headers={"authorization": f"Api-Key {hw.secret}"},
    )
    assert response.status_code == 401
    hw.b.refresh_from_db()
    out = ingest(hw, hw.record(3))
    assert out.accepted == [] and "基地资格已撤销" in _reasons(out)[0]
    # What was credited before the revocation stays valid.
    assert TrainingRecord.objects.get(external_id="r1").status == TrainingRecord.Status.VALID
    with pytest.raises(WrongState):
        services.api_key_issue(actor=hw.operator, label="新密钥", base=hw.b)
    client.force_login(hw.operator)
    page = client.get(reverse("hours:home")).content.decode()
    assert 'data-testid="base-revoked"' in page and 'data-action="upload"' not in page


def test_a_key_of_a_revoked_base_fails_even_before_it_is_marked(hw):
    from bases.models import Base

    Base.objects.filter(pk=hw.b.pk).update(status=Base.Status.REVOKED)
    assert services.api_key_authenticate(hw.secret) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the race needs two PostgreSQL sessions")
@pytest.mark.django_db(transaction=True)
def test_two_racing_batches_cannot_credit_a_person_beyond_the_class_hours_r35(monkeypatch):
    hw = HoursWorld()
    assert ingest(hw, hw.record(1, hours="4")).accepted == ["r1"]  # the person exists: both batches query
    real = checks._credited

    def slow_credited(*args, **kwargs):
        found = real(*args, **kwargs)
        time.sleep(0.5)  # both batches have read the credited hours before either writes, without a lock
        return found

    monkeypatch.setattr(checks, "_credited", slow_credited)
    barrier, outcomes = threading.Barrier(2), []

    def send(n):
        try:
            barrier.wait()
            outcomes.append(
                ingest_records(
                    base=hw.b, records=[hw.record(1, external_id=f"x{n}", hours="20")], source="api"
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(o.accepted) for o in outcomes) == [0, 1]
    total = sum(TrainingRecord.objects.filter(klass=hw.klass, status="valid").values_list("hours", flat=True))
    assert total == Decimal("24")
