"""Article 8 conditions (R-05..R-12), the bar of Art. 24 (R-15), priority (R-13) and the batch window (R-04)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications import workflow
from applications.models import Application, StaffMember
from applications.rules import article8_checklist
from bases.models import Base, InstitutionBar
from kit.errors import WrongState

pytestmark = pytest.mark.django_db


def check(app, key):
    return next(c for c in article8_checklist(app) if c.key == key)


def set_staff_count(app, category, employment, n):
    app.staff.filter(category=category, employment=employment).delete()
    StaffMember.objects.bulk_create(
        [
            StaffMember(
                application=app, name=f"p{i}", title="t", field="f", category=category, employment=employment
            )
            for i in range(n)
        ]
    )


R07 = [
    ("full_time_teachers", "teacher", "full_time", 8),
    ("part_time_teachers", "teacher", "part_time", 15),
    ("policy_research", "policy_research", "full_time", 2),
    ("online_technical", "online_technical", "full_time", 2),
]


@pytest.mark.parametrize(("key", "category", "employment", "bound"), R07)
@pytest.mark.parametrize(("delta", "met"), [(-1, False), (0, True), (1, True)])
def test_r07_staff_thresholds_at_below_and_above(world, key, category, employment, bound, delta, met):
    """R-07: counts come from the listed people; each threshold holds at its bound, fails one below."""
    app = world.complete()
    set_staff_count(app, category, employment, bound + delta)
    assert check(app, key).met is met
    if not met:
        with pytest.raises(WrongState, match="未满足") as exc:
            workflow.MACHINE.run(app, "submit", actor=world.operator)
        assert any("第八条（二）" in r for r in exc.value.reasons)
        assert Application.objects.get(pk=app.pk).state == "draft"


def test_r07_part_time_policy_staff_do_not_count_as_full_time(world):
    app = world.complete()
    set_staff_count(app, "policy_research", "full_time", 0)
    set_staff_count(app, "policy_research", "part_time", 5)
    assert not check(app, "policy_research").met


@pytest.mark.parametrize(("trainees", "met"), [(1999, False), (2000, True), (2001, True)])
def test_r11_provincial_batch_needs_2000_trainees(world, trainees, met):
    """R-11: a provincial base trains at least 2,000 professionals a year."""
    app = world.complete(batch=world.sc_batch, trainees=trainees)
    assert check(app, "scale").met is met
    if met:
        assert workflow.MACHINE.run(app, "submit", actor=world.operator).state == "submitted"
    else:
        with pytest.raises(WrongState):
            workflow.MACHINE.run(app, "submit", actor=world.operator)


def test_r11_threshold_does_not_apply_to_municipal_batch(world):
    app = world.complete(batch=world.cd_batch, trainees=300)
    assert check(app, "scale").met


def test_r08_missing_rule_document_blocks_submission_and_is_named(world):
    app = world.complete()
    app.attachments.filter(kind="rule_funds").update(is_current=False)
    item = check(app, "management")
    assert not item.met
    assert "培训经费管理制度" in item.detail
    with pytest.raises(WrongState) as exc:
        workflow.MACHINE.run(app, "submit", actor=world.operator)
    assert any("培训经费管理制度" in r for r in exc.value.reasons)


def test_r12_credit_needs_declaration_and_evidence(world):
    app = world.complete()
    app.attachments.filter(kind="credit_evidence").update(is_current=False)
    Application.objects.filter(pk=app.pk).update(credit_declared=False)
    app.refresh_from_db()
    item = check(app, "credit")
    assert not item.met
    assert "未作信用承诺" in item.detail and "未上传信用证明材料" in item.detail


def test_every_unmet_condition_is_listed_on_refusal(world):
    app = world.draft()
    with pytest.raises(WrongState) as exc:
        workflow.MACHINE.run(app, "submit", actor=world.operator)
    assert len(exc.value.reasons) == len([c for c in article8_checklist(app) if not c.met]) >= 8


def test_r15_institution_with_revoked_base_cannot_apply_or_submit(world):
    """R-15: an institution whose base was revoked is refused, and told why."""
    app = world.complete()
    Base.objects.create(
        name="旧基地",
        institution=world.inst,
        approving_authority=world.chengdu,
        level="municipal",
        region_id="510107",
        certificate_no="川继基市〔2020〕001号",
        certificate_year=2020,
        certificate_seq=1,
        recognised_on="2020-05-01",
        status="revoked",
    )
    with pytest.raises(WrongState, match="第二十四条") as exc:
        workflow.MACHINE.run(app, "submit", actor=world.operator)
    assert "旧基地" in str(exc.value)
    assert Application.objects.get(pk=app.pk).state == "draft"
    with pytest.raises(WrongState, match="第二十四条"):
        world.draft(batch=world.sc_batch)


def test_r15_faked_application_bar_refuses_new_application(world):
    InstitutionBar.objects.create(
        institution=world.inst, reason="faked_application", detail="2025 年申报材料造假"
    )
    with pytest.raises(WrongState, match="申请过程中弄虚作假"):
        world.draft()


def test_r04_submission_outside_the_batch_window_is_refused(world):
    app = world.complete()
    type(world.cd_batch).objects.filter(pk=world.cd_batch.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    app.refresh_from_db()
    with pytest.raises(WrongState, match="不在申报期内"):
        workflow.MACHINE.run(app, "submit", actor=world.operator)


def test_r04_municipal_batch_is_not_open_to_another_citys_institution(world):
    my_operator = world.my_inst.memberships.create(user=world.other_operator, role="base_operator").user
    with pytest.raises(WrongState, match="不接受本机构申报"):
        world.draft(batch=world.cd_batch, operator=my_operator, institution=world.my_inst)


def test_r13_provincial_application_of_an_institution_with_a_municipal_base_is_priority(world):
    Base.objects.create(
        name="市级基地",
        institution=world.inst,
        approving_authority=world.chengdu,
        level="municipal",
        region_id="510107",
        certificate_no="川继基市〔2025〕001号",
        certificate_year=2025,
        certificate_seq=1,
        recognised_on="2025-05-01",
    )
    app = world.complete(batch=world.sc_batch)
    workflow.MACHINE.run(app, "submit", actor=world.operator)
    app.refresh_from_db()
    assert app.priority is True


def test_r13_no_priority_without_an_existing_base(world):
    app = world.complete(batch=world.sc_batch)
    workflow.MACHINE.run(app, "submit", actor=world.operator)
    app.refresh_from_db()
    assert app.priority is False
