"""Supervision's audit events in words (issue "A portal people can find their way in", "Words, not codes"): the
machines' notes (average and result R-26, ratings R-27) and the services' counts, seeds and deadlines are said in
words, and a comment a person typed before a note is kept as typed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats

from audit.labels import describe_comment
from audit.models import AuditEvent
from inspections import services
from inspections.models import Rectification
from tests.inspections.conftest import TODAY

pytestmark = pytest.mark.django_db


def said(action, comment):
    return describe_comment(AuditEvent(action=action, comment=comment))


def test_a_scored_and_confirmed_inspection_is_told_by_its_average_and_result(w):
    (insp,) = w.spot().inspections.all()
    w.score(insp, 90)
    services.inspection_confirm(actor=w.cd_approver, inspection_id=insp.pk)
    scored = AuditEvent.objects.get(action="inspection.scored", object_id=str(insp.pk))
    assert scored.comment == "90.0 qualified"
    assert describe_comment(scored) == "平均分：90.0；结论：合格"
    confirmed = AuditEvent.objects.get(action="inspection.confirmed", object_id=str(insp.pk))
    assert describe_comment(confirmed) == "结论：合格"


def test_a_typed_comment_before_a_machines_note_is_kept_as_typed():
    assert said("inspection.confirmed", "复核无误 unqualified") == "复核无误；结论：不合格"
    assert said("inspection.scored", "现场检查 62.5 basic") == "现场检查；平均分：62.5；结论：基本合格"


def test_a_changed_rating_is_told_with_both_ratings_and_the_reason_r27(w):
    (assessment,) = services.assessments_propose(actor=w.cd_reviewer, authority=w.chengdu, year=2026)
    rating = "excellent" if assessment.proposed_rating != "excellent" else "good"
    services.assessment_confirm(
        actor=w.cd_approver, assessment_id=assessment.pk, rating=rating, reason="获省级表彰"
    )
    event = AuditEvent.objects.get(action="assessment.confirmed", object_id=str(assessment.pk))
    words = describe_comment(event)
    assert words.startswith("评估等次：") and words.endswith("；获省级表彰")
    assert assessment.proposed_rating not in words and rating not in words
    assert said("assessment.proposed", "year=2026 n=3") == "2026 年度；3 个基地"


def test_a_round_and_a_rectification_order_are_told_in_words():
    assert (
        said("inspection.round_opened", "spot_check bases=3 seed=8f2c")
        == "不定期抽查；3 个基地；抽签种子：8f2c"
    )
    assert said("inspection.round_opened", "periodic bases=12 seed=") == "定期检查；12 个基地"
    assert said("rectification.ordered", "deadline=2026-09-30") == "整改期限：2026年9月30日"


def history(client, user, url) -> str:
    client.force_login(user)
    page = client.get(url).content.decode()
    start = page.index('data-testid="history"')
    return page[start : page.index("</ol>", start)]


def test_the_inspection_and_rectification_histories_say_the_notes_in_words(client, w):
    (insp,) = w.spot().inspections.all()
    w.score(insp, 40)
    deadline = TODAY + datetime.timedelta(days=10)
    services.inspection_confirm(
        actor=w.cd_approver, inspection_id=insp.pk, rectification_items="补齐管理制度", deadline=deadline
    )
    page = history(client, w.cd_approver, reverse("inspections:inspection", args=[insp.pk]))
    assert "平均分：40.0；结论：不合格" in page and "unqualified" not in page
    rect = Rectification.objects.get(inspection=insp)
    page = history(client, w.operator, reverse("inspections:rectification", args=[rect.pk]))
    assert f"整改期限：{formats.date_format(deadline, 'DATE_FORMAT')}" in page and "deadline" not in page
