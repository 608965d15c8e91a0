"""The batch's 评审汇总表 (Art. 10's 评审, R-13, R-16): ranked, resolved at a dated meeting, exported to Excel."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications import selectors
from applications.models import Application, PanelResolution

pytestmark = pytest.mark.django_db


def at_panel(world, name, scores):
    return world.to_state("panel_review", scores=scores, **world.applicant(name))


def test_the_sheet_ranks_by_mean_score_then_priority(world):
    low = at_panel(world, "低分学院", (10, 12, 14))
    high = at_panel(world, "高分学院", (24, 22, 23))
    tied = at_panel(world, "同分学院", (10, 12, 14))
    Application.objects.filter(pk=tied.pk).update(priority=True)
    world.to_state("site_visit", **world.applicant("未考察学院"))  # not yet before the panel
    rows = selectors.panel_sheet(user=world.cd_reviewer, batch=world.cd_batch)
    assert [r.application.pk for r in rows] == [high.pk, tied.pk, low.pk]
    assert [r.rank for r in rows] == [1, 2, 3]
    top = rows[0]
    assert (float(top.mean), float(top.low), float(top.high), top.scored) == (82.0, 81.0, 83.0, 3)
    assert float(top.spread) == 2.0
    assert top.visit.passed and top.checklist_met == top.checklist_total


def test_the_sheet_page_runs_a_fixed_number_of_queries(client, world):
    at_panel(world, "甲学院", (20, 20, 20))
    client.force_login(world.cd_reviewer)
    url = reverse("applications:panel", args=[world.cd_batch.pk])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    at_panel(world, "乙学院", (21, 21, 21))
    at_panel(world, "丙学院", (22, 22, 22))
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert response.content.decode().count('data-testid="panel-row"') == 3
    assert len(three) == len(one)


def test_the_panel_records_its_resolutions_from_the_page(client, world):
    first = at_panel(world, "甲学院", (20, 20, 20))
    second = at_panel(world, "乙学院", (22, 22, 22))
    client.force_login(world.cd_reviewer)
    url = reverse("applications:panel", args=[world.cd_batch.pk])
    response = client.post(
        url,
        {
            "held_on": timezone.localdate().isoformat(),
            "members": "评审组七人",
            f"conclusion_{first.pk}": "passed",
            f"for_{first.pk}": "6",
            f"against_{first.pk}": "1",
            f"remarks_{first.pk}": "同意",
            f"conclusion_{second.pk}": "failed",
            f"for_{second.pk}": "2",
            f"against_{second.pk}": "5",
        },
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=first.pk).state == "decision"
    assert Application.objects.get(pk=second.pk).state == "decision"
    assert PanelResolution.objects.get(application=second).passed is False
    page = client.get(url).content.decode()
    assert "赞成 6，反对 1，弃权 0" in page


def test_bad_input_keeps_what_was_typed_and_records_nothing(client, world):
    app = at_panel(world, "甲学院", (20, 20, 20))
    client.force_login(world.cd_reviewer)
    url = reverse("applications:panel", args=[world.cd_batch.pk])
    response = client.post(
        url,
        {"held_on": "", "members": "评审组七人", f"conclusion_{app.pk}": "passed", f"for_{app.pk}": "-3"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "评审组七人" in body and 'value="-3"' in body
    assert "请填写评审会日期" in body
    assert f"{app}：赞成票" in body  # the error summary names the application of the refused cell
    assert Application.objects.get(pk=app.pk).state == "panel_review"
    response = client.post(url, {"held_on": timezone.localdate().isoformat()})
    assert response.status_code == 400 and "请至少为一项申报选择评审结论" in response.content.decode()


def test_another_authority_and_the_applicant_do_not_see_the_sheet(client, world):
    at_panel(world, "甲学院", (20, 20, 20))
    for user in (world.my_reviewer, world.operator):
        client.force_login(user)
        assert client.get(reverse("applications:panel", args=[world.cd_batch.pk])).status_code == 404
        assert client.get(reverse("applications:panel_excel", args=[world.cd_batch.pk])).status_code == 404
    client.force_login(world.cd_approver)  # reads the sheet it decides from, records nothing
    response = client.get(reverse("applications:panel", args=[world.cd_batch.pk]))
    assert response.status_code == 200 and response.context["form"] is None


def test_the_sheet_is_exported_to_excel_ranked(client, world):
    at_panel(world, "低分学院", (10, 12, 14))
    at_panel(world, "高分学院", (24, 22, 23))
    client.force_login(world.cd_approver)
    response = client.get(reverse("applications:panel_excel", args=[world.cd_batch.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("排名", "拟建基地名称", "申报单位", "专家平均分")
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [(1, "高分学院", 82.0), (2, "低分学院", 71.0)]


def test_the_approver_reads_the_panel_resolution_on_the_application_and_the_applicant_does_not(client, world):
    app = world.to_state("decision")
    client.force_login(world.cd_approver)
    body = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert 'data-testid="panel-resolution"' in body and "赞成 5，反对 0，弃权 0" in body
    client.force_login(world.operator)
    body = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert 'data-testid="panel-resolution"' not in body
