"""The application's history (办理记录) says what happened in words: the sections and fields an edit changed by
their names, never the service's codes (issue "A portal people can find their way in", "Words, not codes")."""

import pytest
from django.conf import settings
from django.urls import reverse

from applications import services
from audit.models import AuditEvent

from .conftest import pdf

pytestmark = pytest.mark.django_db


def history(client, user, app, language="zh-hans") -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    start = page.index('data-testid="history"')
    return page[start : page.index("</ol>", start)]


def test_an_edit_is_told_with_the_sections_name_and_the_fields_verbose_names(client, world):
    app = world.draft()
    services.application_update(
        actor=world.operator,
        application=app,
        section="institution",
        data={"legal_representative": "王五", "contact_phone": "028-87654321"},
    )
    event = AuditEvent.objects.get(action="application.edited")
    # The trail keeps the codes: it reads the same in every language.
    assert event.comment == "institution: legal_representative, contact_phone"
    page = history(client, world.operator, app)
    assert "修改了 机构基本情况：法定代表人、联系电话" in page
    assert "legal_representative" not in page and "institution:" not in page
    english = history(client, world.operator, app, "en")
    assert "Legal representative" in english and "Phone number" in english
    assert "legal_representative" not in english


def test_a_removed_attachment_is_told_by_its_kind_and_name(client, world):
    app = world.draft()
    attachment = services.attachment_upload(
        actor=world.operator, application=app, kind="rule_teaching", upload=pdf("教学制度.pdf")
    )
    services.attachment_remove(actor=world.operator, application=app, attachment_id=attachment.pk)
    assert AuditEvent.objects.get(action="application.attachment_removed").comment == (
        "rule_teaching: 教学制度.pdf"
    )
    page = history(client, world.operator, app)
    assert page.count("教学组织管理制度：教学制度.pdf") == 2  # uploaded, then removed
    assert f">{attachment.pk}<" not in page and "rule_teaching" not in page


def test_staff_counts_are_told_in_words(client, world):
    app = world.draft()
    services.staff_add(
        actor=world.operator,
        application=app,
        people=[
            {
                "name": "李四",
                "title": "教授",
                "field": "数字经济",
                "category": "teacher",
                "employment": "full_time",
            }
        ],
    )
    page = history(client, world.operator, app)
    assert "添加师资人员" in page and "1 名人员" in page


def test_the_api_history_gives_the_comment_in_words_beside_the_stored_one(client, world):
    app = world.draft()
    services.application_update(
        actor=world.operator, application=app, section="institution", data={"legal_representative": "王五"}
    )
    client.force_login(world.operator)
    body = client.get(f"/api/v1/applications/{app.pk}/history/").json()
    edit = next(e for e in body if e["action"] == "application.edited")
    assert edit["comment"] == "institution: legal_representative"
    assert edit["comment_text"] == "修改了 机构基本情况：法定代表人"


def test_an_objection_and_its_resolution_are_told_without_ids_or_status_codes(client, world):
    app = world.to_state("publicity")
    objection = services.objection_lodge(
        application=app, name="赵六", phone="028-12345678", content="该机构的实训场所为临时租用。"
    )
    services.objection_resolve(
        actor=world.cd_approver, objection_id=objection.pk, upheld=False, outcome="经核实，不成立"
    )
    page = history(client, world.cd_reviewer, app)
    assert "收到公示异议" in page and f"#{objection.pk}" not in page and "objection" not in page
    assert "待处理 → 异议不成立" in page and "经核实，不成立" in page
    assert "open" not in page and "dismissed" not in page
