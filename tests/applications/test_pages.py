"""The pages of the recognition workflow as each role sees them."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import Application, StaffMember
from bases.models import InstitutionBar

pytestmark = pytest.mark.django_db


def test_every_step_page_renders_for_the_applicant(client, world):
    app = world.draft()
    client.force_login(world.operator)
    for step in ["institution", "staff", "management", "resources", "scale", "credit", "review"]:
        response = client.get(reverse("applications:edit", args=[app.pk, step]))
        assert response.status_code == 200, step
        assert "四川省专业技术人员继续教育基地申报表" in response.content.decode()


def test_step_saves_as_draft_and_moves_on(client, world):
    app = world.draft()
    client.force_login(world.operator)
    response = client.post(
        reverse("applications:edit", args=[app.pk, "scale"]),
        {
            "trainees_year1": "1800",
            "trainees_year2": "1900",
            "trainees_year3": "2100",
            "key_fields_served": "数字经济",
            "next": "1",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("applications:edit", args=[app.pk, "credit"])
    app.refresh_from_db()
    assert app.trainees_year3 == 2100 and app.state == "draft"


def test_step_with_bad_input_shows_errors_and_saves_nothing(client, world):
    app = world.draft()
    client.force_login(world.operator)
    response = client.post(
        reverse("applications:edit", args=[app.pk, "scale"]),
        {"trainees_year1": "-3", "trainees_year3": "abc"},
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    app.refresh_from_db()
    assert app.trainees_year1 is None


def test_pasted_staff_list_is_added_whole_or_not_at_all(client, world):
    app = world.draft()
    client.force_login(world.operator)
    url = reverse("applications:staff_add", args=[app.pk])
    bad = "张三, 教授, 数字经济, 教师, 专职\n李四, 讲师, 数字经济, 厨师, 专职\n"
    response = client.post(url, {"paste-lines": bad}, follow=True)
    assert "第 2 行" in response.content.decode()
    assert not StaffMember.objects.exists()
    good = "张三\t教授\t数字经济\t教师\t专职\n李四，讲师，智能制造，教师，兼职\n王五, 研究员, 人才政策, 政策研究, 专职\n"
    client.post(url, {"paste-lines": good})
    assert set(app.staff.values_list("name", "category", "employment")) == {
        ("张三", "teacher", "full_time"),
        ("李四", "teacher", "part_time"),
        ("王五", "policy_research", "full_time"),
    }


def test_another_institution_cannot_open_or_edit(client, world):
    app = world.draft()
    client.force_login(world.other_operator)
    assert client.get(reverse("applications:detail", args=[app.pk])).status_code == 404
    assert client.get(reverse("applications:edit", args=[app.pk, "scale"])).status_code == 404
    response = client.post(reverse("applications:edit", args=[app.pk, "scale"]), {"trainees_year3": "1"})
    assert response.status_code == 404
    assert Application.objects.get(pk=app.pk).trainees_year3 is None


def test_submit_page_lists_unmet_conditions(client, world):
    app = world.draft()
    client.force_login(world.operator)
    response = client.post(
        reverse("applications:transition", args=[app.pk]), {"action": "submit"}, follow=True
    )
    body = response.content.decode()
    assert "项申报条件未满足" in body
    assert "专职教师不少于 8 人" in body
    assert Application.objects.get(pk=app.pk).state == "draft"


def test_barred_institution_is_told_why_on_the_batch_page(client, world):
    InstitutionBar.objects.create(
        institution=world.inst, reason="faked_application", detail="2025 年申报材料造假"
    )
    client.force_login(world.operator)
    body = client.get(reverse("applications:batches")).content.decode()
    assert "弄虚作假" in body
    assert "名义申报" not in body


def test_excel_form_is_laid_out_like_the_official_form(client, world):
    app = world.submitted()
    client.force_login(world.cd_reviewer)
    response = client.get(reverse("applications:excel", args=[app.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert values[0] == "四川省专业技术人员继续教育基地申报表"
    assert "一、申报单位基本情况" in values and "七、基本条件核对（《办法》第八条）" in values
    assert "测试继续教育基地" in values
    assert world.inst.credit_code in values


def test_dashboard_lists_what_waits_for_each_role(client, world):
    app = world.submitted()
    client.force_login(world.cd_reviewer)
    assert "待受理：测试继续教育基地" in client.get(reverse("portal:dashboard")).content.decode()
    client.force_login(world.my_reviewer)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert "待受理：" not in body and reverse("applications:detail", args=[app.pk]) not in body


def test_application_list_query_count_does_not_grow_with_rows(client, world):
    client.force_login(world.sc_reviewer)
    world.submitted()
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("applications:list")).status_code == 200
    others = [world.other_inst, world.my_inst]
    for inst in others:
        op = inst.memberships.create(user=world.experts[3], role="base_operator").user
        Application.objects.create(
            batch=world.sc_batch, institution=inst, created_by=op, state="submitted", base_name="x"
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("applications:list")).status_code == 200
    assert len(large) == len(small)


def test_batch_creation_page_for_authority_admin(client, world):
    client.force_login(world.cd_admin)
    assert client.get(reverse("applications:batch_create")).status_code == 200
    response = client.post(
        reverse("applications:batch_create"),
        {
            "authority": world.chengdu.pk,
            "title": "第二批",
            "opens_at": "2026-12-01T09:00",
            "closes_at": "2026-11-01T09:00",
            "publicity_working_days": "5",
        },
    )
    assert response.status_code == 200
    assert "截止时间须晚于开始时间" in response.content.decode()
    client.force_login(world.cd_reviewer)
    assert client.get(reverse("applications:batch_create")).status_code == 404


def test_inbox_shows_unread_count_and_marks_read(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.submitted()
    client.force_login(world.cd_reviewer)
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert 'data-testid="inbox"' in body and "1 条未读" in body
    note = world.cd_reviewer.notifications.get()
    # Opening a message marks it read, so it is a POST: a GET (a link, a prefetch) changes nothing.
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 405
    note.refresh_from_db()
    assert note.read_at is None
    response = client.post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302 and response.url == note.url
    note.refresh_from_db()
    assert note.read_at is not None
