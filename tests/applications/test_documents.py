"""The 申报表 as PDF (R-14): the paper form's structure, its version and fingerprint, and who may fetch it."""

import pytest
from django.urls import reverse

from applications.documents import form_version, version_fingerprint
from tests.documents import embedded_fonts, pdf_text, read_pdf, save_screens

pytestmark = pytest.mark.django_db


def form(client, app):
    return client.get(reverse("applications:form_pdf", args=[app.pk]))


def test_r14_form_pdf_has_the_paper_forms_structure_with_cjk_text(client, world):
    app = world.submitted()
    client.force_login(world.operator)
    response = form(client, app)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    save_screens("form", response.content, pages=3)
    text = pdf_text(response.content)
    assert any("Noto-Sans-CJK-SC" in f for f in embedded_fonts(response.content))
    for heading in [
        "四川省专业技术人员继续教育基地申报表",
        "单位名称",
        "拟建基地名称",
        "申报级别",
        "申报日期",
        "一、申报单位基本情况",
        "二、师资队伍",
        "专职教师",
        "兼职教师",
        "三、管理机构与管理制度",
        "教学组织管理制度",
        "四、设施条件与远程教育",
        "五、培训规模",
        "六、社会信用",
        "七、基本条件核对（《办法》第八条）",
        "八、申报材料清单",
        "单位负责人签字",
        "单位盖章",
        "主管部门意见",
    ]:
        assert heading in text, heading
    assert world.inst.name in text and "测试继续教育基地" in text
    # The sections come in the paper form's order.
    positions = [
        text.index(h) for h in ["一、申报单位", "二、师资队伍", "七、基本条件核对", "单位负责人签字"]
    ]
    assert positions == sorted(positions)


def test_r14_every_page_is_numbered_and_carries_the_version_and_fingerprint(client, world):
    app = world.submitted()
    client.force_login(world.operator)
    content = form(client, app).content
    reader = read_pdf(content)
    version = app.versions.get()
    fingerprint = version_fingerprint(version)
    total = len(reader.pages)
    assert total >= 3
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"第 {number} 页 共 {total} 页" in text
        assert f"第 1 版 · 校验码 {fingerprint[:16]}" in text
    assert fingerprint in pdf_text(content)  # the full fingerprint on the cover


def test_r14_fingerprint_is_that_of_the_submitted_version(world):
    app = world.submitted()
    v = form_version(app)
    assert not v.is_draft and v.number == 1
    assert v.fingerprint == version_fingerprint(app.versions.get())
    assert len(v.fingerprint) == 64


def test_r14_draft_prints_marked_as_draft_without_fingerprint(client, world):
    """A draft (no submitted version) still prints, marked 草稿, so the institution can check it first."""
    app = world.complete()
    client.force_login(world.operator)
    response = form(client, app)
    assert response.status_code == 200
    save_screens("form-draft", response.content, pages=1)
    text = pdf_text(response.content)
    assert "草稿：未提交，不能作为申报材料" in text
    assert "· 校验码" not in text and "校验码（SHA-256）" not in text
    assert (
        "草稿" in response["Content-Disposition"] or "%E8%8D%89%E7%A8%BF" in response["Content-Disposition"]
    )


def test_r14_returned_application_prints_as_draft_of_the_next_version(client, world):
    app = world.submitted()
    reviewer, _approver = world.reviewers_of(app)
    from applications import workflow

    workflow.MACHINE.run(app, "start_review", actor=reviewer)
    workflow.MACHINE.run(app, "return", actor=reviewer, comment="请补充师资")
    client.force_login(world.operator)
    text = pdf_text(form(client, app).content)
    assert "草稿" in text and "最近提交第 1 版" in text


def test_form_pdf_file_name_is_the_documents_not_a_persons(client, world):
    app = world.submitted()
    client.force_login(world.operator)
    disposition = form(client, app)["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "v1.pdf" in disposition
    assert world.operator.username not in disposition


@pytest.mark.parametrize("who", ["other_operator", "my_reviewer", "anonymous"])
def test_form_pdf_is_404_outside_the_applications_visibility(client, world, who):
    app = world.submitted()
    if who != "anonymous":
        client.force_login(getattr(world, who))
    assert form(client, app).status_code == 404


def test_form_pdf_for_the_reviewing_authority_and_province(client, world):
    app = world.submitted()
    for user in (world.cd_reviewer, world.sc_reviewer):
        client.force_login(user)
        assert form(client, app).status_code == 200


def test_a_draft_is_404_to_the_authority_as_on_its_page(client, world):
    app = world.complete()
    client.force_login(world.cd_reviewer)
    assert form(client, app).status_code == 404


def test_r14_version_page_shows_the_fingerprint_printed_on_the_form(client, world):
    app = world.submitted()
    client.force_login(world.operator)
    response = client.get(reverse("applications:version", args=[app.pk, 1]))
    assert version_fingerprint(app.versions.get()) in response.content.decode()


def test_r14_detail_page_links_the_form_pdf(client, world):
    app = world.submitted()
    client.force_login(world.operator)
    page = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert reverse("applications:form_pdf", args=[app.pk]) in page


def test_form_pdf_renders_in_english_mode(world):
    """The English interface gets the same document (its strings go through gettext like the pages')."""
    from django.utils import translation

    from applications.documents import form_pdf

    app = world.submitted()
    with translation.override("en"):
        pdf, filename = form_pdf(app)
    assert pdf.startswith(b"%PDF-") and filename.endswith("v1.pdf")


def test_a_submitted_versions_pdf_is_rendered_once_and_a_drafts_every_time(world, settings, monkeypatch):
    from applications import documents
    from kit import pdf as kit_pdf

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    renders = []
    real = kit_pdf.render_pdf

    def counting(template, context):
        renders.append(template)
        return real(template, context)

    monkeypatch.setattr(kit_pdf, "render_pdf", counting)
    monkeypatch.setattr(documents, "render_pdf", counting)
    app = world.submitted()
    first, _name = documents.form_pdf(app)
    second, _name = documents.form_pdf(app)
    assert first == second and len(renders) == 1
    draft = world.complete(institution=world.other_inst, operator=world.other_operator)
    documents.form_pdf(draft)
    documents.form_pdf(draft)
    assert len(renders) == 3


def test_form_pdf_queries_do_not_grow_with_the_staff_list(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications import services

    app = world.complete()
    client.force_login(world.operator)
    with CaptureQueriesContext(connection) as few:
        assert form(client, app).status_code == 200
    services.staff_add(
        actor=world.operator,
        application=app,
        people=[
            {
                "name": f"加列{i}",
                "title": "讲师",
                "field": "数字经济",
                "category": "teacher",
                "employment": "part_time",
            }
            for i in range(30)
        ],
    )
    with CaptureQueriesContext(connection) as many:
        assert form(client, app).status_code == 200
    assert len(many) == len(few)
