"""Inspection and assessment reports as PDF (R-25..R-27): the nine items, scores, result; who may fetch them."""

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import ITEMS
from tests.documents import flat_text, save_screens

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def confirmed(w, value=85):
    insp = w.spot().inspections.get()
    w.score(insp, value)
    services.inspection_confirm(actor=w.cd_approver, inspection_id=insp.pk)
    insp.refresh_from_db()
    return insp


def test_r26_inspection_report_lists_the_nine_items_scores_and_result(client, w):
    insp = confirmed(w)
    client.force_login(w.cd_reviewer)
    response = client.get(reverse("inspections:inspection_pdf", args=[insp.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    save_screens("inspection-report", response.content, pages=1)
    text = flat_text(response.content)
    assert "继续教育基地检查报告" in text and "受检基地" in text and w.inst.name in text
    for _key, label in ITEMS:
        assert str(label) in text
    assert "合格" in text and "85" in text and "检查意见" in text
    assert "尚未确认" not in text
    assert w.cd_reviewer2.display_name not in text  # no inspector is named


def test_unconfirmed_inspection_report_says_so(client, w):
    insp = w.spot().inspections.get()
    w.score(insp, 70)
    client.force_login(w.cd_reviewer)
    text = flat_text(client.get(reverse("inspections:inspection_pdf", args=[insp.pk])).content)
    assert "检查结论尚未确认" in text


def test_inspection_report_for_the_base_itself_and_404_elsewhere(client, w):
    insp = confirmed(w)
    url = reverse("inspections:inspection_pdf", args=[insp.pk])
    client.force_login(w.operator)
    assert client.get(url).status_code == 200
    for user in (w.other_operator, w.my_reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404  # the public: not a public document


def test_r27_assessment_report_shows_inputs_score_and_rating(client, w):
    a = services.assessments_propose(actor=w.cd_reviewer, authority=w.chengdu, year=TODAY.year)[0]
    client.force_login(w.cd_reviewer)
    url = reverse("inspections:assessment_pdf", args=[a.pk])
    response = client.get(url)
    assert response.status_code == 200
    save_screens("assessment-report", response.content, pages=1)
    text = flat_text(response.content)
    assert "继续教育基地动态评估报告" in text and a.base.name in text
    assert "当年检查结果" in text and str(a.score) in text and a.get_rating_display() in text
    assert "评估结果尚未公布" in text
    for user in (w.other_operator, w.my_reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_inspection_page_and_assessment_list_link_the_reports(client, w):
    insp = confirmed(w)
    client.force_login(w.cd_reviewer)
    page = client.get(reverse("inspections:inspection", args=[insp.pk])).content.decode()
    assert reverse("inspections:inspection_pdf", args=[insp.pk]) in page
    a = services.assessments_propose(actor=w.cd_reviewer, authority=w.chengdu, year=TODAY.year)[0]
    page = client.get(reverse("inspections:assessments"), {"year": TODAY.year}).content.decode()
    assert reverse("inspections:assessment_pdf", args=[a.pk]) in page
