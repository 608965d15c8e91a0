"""The audit trail in words, not codes (issue "A portal people can find their way in", section "Words, not codes";
DESIGN.md "Personal data and security": the audit of every change, read by the audit administrator).

A service writes a machine comment in a stable form ("roles=expert"); the app that writes it registers a renderer,
and the page says it in the reader's language. A comment a person typed is shown as typed."""

import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import Role, User
from audit.labels import describe_comment, object_type_label
from audit.models import AuditEvent
from audit.services import audit_record
from tests.factories import member

pytestmark = pytest.mark.django_db


def said(action: str, comment: str, language: str = "zh-hans", **fields) -> str:
    with translation.override(language):
        return describe_comment(AuditEvent(action=action, comment=comment, **fields))


def test_a_comment_a_person_typed_is_shown_as_typed():
    assert said("plan.return", "请补充 a=b 的说明") == "请补充 a=b 的说明"


def test_a_machine_comment_is_said_in_the_readers_language():
    assert said("account.created", "roles=authority_reviewer,expert") == "角色：审核员、评审专家"
    english = said("account.created", "roles=authority_reviewer,expert", "en")
    assert "Reviewer" in english and "Expert reviewer" in english and "authority_reviewer" not in english


def test_a_comment_not_in_the_form_its_renderer_reads_is_shown_as_stored():
    assert said("account.created", "created by hand") == "created by hand"


def test_token_and_lockout_comments_are_words():
    assert said("auth.tokens_revoked", "reason=password_reset count=2") == "原因：重置密码，共 2 个令牌"
    assert said("auth.token_revoked", "reason=sign_out") == "原因：退出登录"
    assert said("auth.token_issued", "expiry=2026-05-01T02:00:00+00:00") == "有效期至 2026年5月1日 10:00"
    # The username and IP of a released lockout stay for the audit administrator, as words.
    assert (
        said("security.lockout_released", "username=zhangsan ip=10.0.0.1")
        == "账户 zhangsan，IP 地址 10.0.0.1"
    )
    assert said("security.otp_reset", "StaticDevice, TOTPDevice") == "已移除：备用码、动态口令"


def test_region_flags_are_said_with_their_names():
    comment = "is_remote_area: 0→1, is_ethnic_area: 1→0"
    assert said("region.flags_changed", comment) == "边远地区：否 → 是；民族地区：是 → 否"
    with translation.override("en"):
        remote = translation.gettext("边远地区")
    assert remote in said("region.flags_changed", comment, "en") and "is_remote_area" not in remote


def test_an_admin_change_is_stored_as_the_admins_json_and_said_in_the_readers_language():
    stored = json.dumps([{"changed": {"fields": ["名称"]}}], ensure_ascii=False)
    assert "名称" in said("admin.changed", stored)
    assert said("admin.changed", stored, "en") == "Changed Name."
    # Events written before: the message list's repr.
    assert said("admin.changed", "[{'changed': {'fields': ['名称']}}]", "en") == "Changed Name."
    # A list the admin did not write is shown as stored, not a 500 of the audit page.
    assert said("admin.changed", '[{"changed": {}}]') == '[{"changed": {}}]'


def test_an_admin_site_edit_writes_the_admins_json(client, province, chengdu):
    root = User.objects.create_superuser("root", "root@example.test", "Root-pass-2026!")
    client.force_login(root)
    client.post(
        reverse("admin:accounts_organization_change", args=[chengdu.pk]),
        {
            "name": "成都市人社局（改名）",
            "kind": chengdu.kind,
            "region": chengdu.region_id,
            "parent": province.pk,
            "is_active": "on",
            "registration_state": "confirmed",
        },
    )
    event = AuditEvent.objects.get(action="admin.changed", object_id=str(chengdu.pk))
    assert json.loads(event.comment) == [{"changed": {"fields": ["名称"]}}]


def test_an_export_says_its_filters_in_words():
    assert said("audit.exported", "action=account.created&duty=security_admin") == (
        "筛选条件：操作：开通账户；操作人职责：安全管理员"
    )
    assert said("audit.exported", "") == "全部记录"


def test_object_types_are_said_as_labels():
    assert object_type_label("applications.application") == "基地申报"
    assert object_type_label("plans.annualplan") == "年度计划"
    assert object_type_label("") == ""


def events_for_the_page(provincial_admin, security_admin):
    target = member(
        provincial_admin.memberships.first().organization, Role.AUTHORITY_REVIEWER, username="zhangsan"
    )
    audit_record(
        actor=provincial_admin, action="account.created", obj=target, comment="roles=authority_reviewer"
    )
    audit_record(
        actor=security_admin,
        action="security.lockout_released",
        obj=target,
        comment="username=zhangsan ip=10.0.0.1",
    )
    audit_record(
        actor=provincial_admin,
        action="admin.changed",
        object_type="applications.application",
        object_id="17",
        comment='[{"changed": {"fields": ["法定代表人", "联系电话"]}}]',
    )
    audit_record(
        actor=provincial_admin,
        action="application.edited",
        object_type="applications.application",
        object_id="17",
        comment="institution: legal_representative, contact_phone",
    )
    return target


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def table_text(page: str) -> str:
    return visible_text(re.search(r"<tbody>(.*)</tbody>", page, re.S).group(1))


def test_the_audit_page_shows_words_names_and_labels(client, provincial_admin, security_admin, audit_admin):
    target = events_for_the_page(provincial_admin, security_admin)
    client.force_login(audit_admin)
    page = client.get(reverse("audit:events")).content.decode()
    text = table_text(page)
    assert "=" not in text
    # Codes stay in attributes only (the filters' values, a title for auditors), never in the text.
    assert "applications.application" not in visible_text(page) and "accounts.user" not in visible_text(page)
    assert not re.search(r"#\d", text), text
    assert f"#{target.pk}" not in page and "#17" not in page
    assert "修改了 机构基本情况：法定代表人、联系电话" in text
    assert "账户 zhangsan，IP 地址 10.0.0.1" in text and "角色：审核员" in text
    # The label is what a reader reads; the code stays in a title for auditors.
    assert '<span title="account.created">开通账户</span>' in page
    assert "基地申报" in text and "用户" in text
    assert '<option value="applications.application">基地申报</option>' in page


def test_the_audit_export_has_the_words_and_keeps_the_codes(
    client, provincial_admin, security_admin, audit_admin
):
    events_for_the_page(provincial_admin, security_admin)
    client.force_login(audit_admin)
    response = client.get(reverse("audit:export"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    header = rows[0]
    created = dict(zip(header, next(row for row in rows if "account.created" in row), strict=True))
    assert created["操作"] == "开通账户" and created["操作代码"] == "account.created"
    assert created["对象类型"] == "用户" and created["对象类型代码"] == "accounts.user"
    assert created["说明"] == "角色：审核员" and created["说明原文"] == "roles=authority_reviewer"
    edited = dict(zip(header, next(row for row in rows if "application.edited" in row), strict=True))
    assert edited["对象类型"] == "基地申报" and edited["对象类型代码"] == "applications.application"
    assert edited["说明"] == "修改了 机构基本情况：法定代表人、联系电话"
    assert edited["说明原文"] == "institution: legal_representative, contact_phone"
