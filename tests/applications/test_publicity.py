"""公示 with objections, publication creating the Base and its notice, and filing with the province (R-03, R-17, R-18)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications import services, workflow
from applications.models import Application, Objection
from audit.models import AuditEvent
from bases.models import Base, Filing, Notice
from kit.errors import PermissionRefused, WrongState

pytestmark = pytest.mark.django_db


def end_publicity(app):
    """Stand-in for the clock: move the publicity period into the past."""
    Application.objects.filter(pk=app.pk).update(
        publicity_starts_on=timezone.localdate() - timedelta(days=10),
        publicity_ends_on=timezone.localdate() - timedelta(days=1),
    )
    app.refresh_from_db()
    return app


def test_approval_starts_publicity_for_the_batch_working_days_and_publishes_a_notice(world):
    app = world.to_state("publicity")
    assert app.state == "publicity"
    assert app.publicity_starts_on >= timezone.localdate()
    notice = Notice.objects.get(application=app, kind="publicity")
    assert notice.open_until == app.publicity_ends_on
    assert app.base_name in notice.body and "测试学院" in notice.body and "市（州）级" in notice.body


def test_publicity_notice_carries_no_personal_data(world):
    app = world.to_state("publicity")
    body = Notice.objects.get(application=app).body
    for private in [app.contact_phone, app.contact_name, app.legal_representative, "专职教师"]:
        assert private not in body


def test_publication_is_refused_before_the_period_ends(world):
    app = world.to_state("publicity")
    with pytest.raises(WrongState, match="期满后方可公布"):
        workflow.MACHINE.run(app, "publish", actor=world.cd_reviewer)


def test_open_objection_blocks_publication_until_resolved(world):
    app = world.to_state("publicity")
    objection = services.objection_lodge(
        application=app,
        name="王五",
        phone="13800000000",
        content="师资名单中有人已离职多年。",
        ip_address="10.0.0.1",
    )
    end_publicity(app)
    with pytest.raises(WrongState, match="异议未处理"):
        workflow.MACHINE.run(app, "publish", actor=world.cd_reviewer)
    with pytest.raises(PermissionRefused):
        services.objection_resolve(actor=world.operator, objection_id=objection.pk, upheld=False, outcome="x")
    services.objection_resolve(
        actor=world.cd_reviewer, objection_id=objection.pk, upheld=False, outcome="经核实，相关人员已更新。"
    )
    assert Objection.objects.get(pk=objection.pk).status == "dismissed"
    assert AuditEvent.objects.filter(action="application.objection_resolved").count() == 1
    assert workflow.MACHINE.run(app, "publish", actor=world.cd_reviewer).state == "recognised"


def test_objections_are_not_anonymous(world):
    from kit.errors import InvalidInput

    app = world.to_state("publicity")
    with pytest.raises(InvalidInput) as exc:
        services.objection_lodge(application=app, name="", phone="", content="匿名举报内容很长很长")
    assert set(exc.value.field_errors) == {"name", "phone"}
    assert not Objection.objects.exists()


def test_objections_are_rate_limited_per_ip(world):
    app = world.to_state("publicity")
    for i in range(5):
        services.objection_lodge(
            application=app,
            name=f"甲{i}",
            phone=f"1380000000{i}",
            content="异议内容足够详细的说明",
            ip_address="10.9.9.9",
        )
    with pytest.raises(PermissionRefused, match="过于频繁"):
        services.objection_lodge(
            application=app,
            name="乙",
            phone="13900000000",
            content="异议内容足够详细的说明",
            ip_address="10.9.9.9",
        )
    assert Objection.objects.count() == 5


def test_objection_after_the_period_is_refused(world):
    app = end_publicity(world.to_state("publicity"))
    with pytest.raises(WrongState, match="已结束"):
        services.objection_lodge(
            application=app, name="甲", phone="13800000000", content="异议内容足够详细的说明"
        )


def test_public_objection_form_on_the_notice_page(client, world):
    app = world.to_state("publicity")
    notice = Notice.objects.get(application=app)
    page = client.get(reverse("bases:notice", args=[notice.pk]))
    assert "提出异议" in page.content.decode()
    response = client.post(
        reverse("publicity:objection", args=[notice.pk]),
        {"name": "赵六", "phone": "028-12345678", "content": "该机构的实训场所为临时租用。"},
    )
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.ip_address == "127.0.0.1"
    # The objector's identity is not in the public notice nor in the audit comment.
    assert "赵六" not in client.get(reverse("bases:notice", args=[notice.pk])).content.decode()
    assert not AuditEvent.objects.filter(comment__contains="赵六").exists()
    bad = client.post(
        reverse("publicity:objection", args=[notice.pk]), {"name": "", "phone": "x", "content": "短"}
    )
    assert bad.status_code == 400
    assert Objection.objects.count() == 1


def test_publication_creates_the_base_notice_and_filing_for_a_municipal_base(
    world, django_capture_on_commit_callbacks
):
    app = end_publicity(world.to_state("publicity"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.MACHINE.run(app, "publish", actor=world.cd_reviewer)
    base = Base.objects.get(application=app)
    assert (base.level, base.status, base.institution, base.approving_authority) == (
        "municipal",
        "active",
        world.inst,
        world.chengdu,
    )
    assert base.certificate_no == f"川继基市〔{timezone.localdate().year}〕001号"
    assert base.fields == ["数字经济"]
    notice = Notice.objects.get(base=base, kind="recognition")
    assert base.certificate_no in notice.body
    filing = Filing.objects.get(base=base)
    assert filing.filed_with == world.province and filing.filed_by == world.chengdu
    assert AuditEvent.objects.filter(action="base.filed").exists()
    assert {m.to[0] for m in mail.outbox} >= {world.operator.email, world.inst_admin.email}


def test_provincial_base_is_not_filed_and_numbers_are_sequential_per_level(world):
    first = end_publicity(world.to_state("publicity", batch=world.sc_batch))
    workflow.MACHINE.run(first, "publish", actor=world.sc_reviewer)
    base = Base.objects.get(application=first)
    assert base.level == "provincial" and base.certificate_no.endswith("001号")
    assert not Filing.objects.filter(base=base).exists()
    municipal = end_publicity(world.to_state("publicity"))
    workflow.MACHINE.run(municipal, "publish", actor=world.cd_reviewer)
    assert Base.objects.get(application=municipal).certificate_no.endswith("001号")


def test_provincial_hr_sees_filed_bases(client, world):
    app = end_publicity(world.to_state("publicity"))
    workflow.MACHINE.run(app, "publish", actor=world.cd_reviewer)
    client.force_login(world.sc_reviewer)
    body = client.get(reverse("bases:filed")).content.decode()
    assert "测试继续教育基地" in body and "成都市人力资源和社会保障局" in body
    client.force_login(world.cd_reviewer)
    assert client.get(reverse("bases:filed")).status_code == 404


def test_decline_after_an_upheld_objection(world):
    app = world.to_state("publicity")
    objection = services.objection_lodge(
        application=app, name="甲", phone="13800000000", content="申报材料中的培训人数不实。"
    )
    services.objection_resolve(
        actor=world.cd_reviewer, objection_id=objection.pk, upheld=True, outcome="经核实，培训人数虚报。"
    )
    workflow.MACHINE.run(app, "decline", actor=world.cd_approver, comment="公示期间异议成立，不予认定。")
    assert Application.objects.get(pk=app.pk).state == "declined"
    assert [d.approved for d in app.decisions.all()] == [True, False]
    assert not Base.objects.exists()


def test_recognised_base_is_found_by_name_city_and_level_in_the_registry_and_api(client, world):
    """R-18: a base recognised through the portal is on the public list at once, findable like any other."""
    app = end_publicity(world.to_state("publicity"))
    workflow.MACHINE.run(app, "publish", actor=world.cd_reviewer)
    base = Base.objects.get(application=app)
    assert base.prefecture_id == "510100" and "测试继续教育基地" in base.search_text

    def page_names(params):
        return [b.name for b in client.get(reverse("bases:registry"), params).context["page"].object_list]

    def api_names(params):
        return [row["name"] for row in client.get("/api/v1/bases/", params).json()["results"]]

    for params in [
        {"q": "测试继续教育"},
        {"q": "测试学院"},
        {"q": "成都"},  # the city of a base in 武侯区
        {"level": "municipal", "prefecture": "510100"},
        {"prefecture": "510100", "county": "510107", "field": "数字经济"},
    ]:
        assert page_names(params) == ["测试继续教育基地"], params
        assert api_names(params) == ["测试继续教育基地"], params
    assert page_names({"prefecture": "510700"}) == [] and api_names({"level": "provincial"}) == []
