"""Each clause check of the Article 8 checklist on its own (R-05..R-12, R-14): what it reads and what it says.

A complete application meets every clause; each test spoils one thing in memory and reads the one item.
"""

import pytest

from applications.models import AttachmentKind
from applications.rules import (
    CLAUSES,
    article8_checklist,
    check_application_form,
    check_credit,
    check_legal_person,
    check_management,
    check_remote_education,
    check_resources,
    check_scale,
    check_staff,
)

pytestmark = pytest.mark.django_db


def attached(app):
    return {a.kind for a in app.attachments.all() if a.is_current}


def only(checks):
    assert len(checks) == 1
    return checks[0]


def test_checklist_is_the_clauses_in_order_and_a_complete_application_meets_them(world):
    app = world.complete()
    items = article8_checklist(app)
    assert [c.key for c in items] == [
        "legal_person",
        "base_facts",
        "full_time_teachers",
        "part_time_teachers",
        "policy_research",
        "online_technical",
        "management",
        "resources",
        "remote",
        "scale",
        "credit",
    ]
    assert items == [c for clause in CLAUSES for c in clause(app, attached(app))]
    assert all(c.met for c in items)


def test_r05_institution_type_outside_article_9_is_unmet(world):
    """R-05: only the institution types listed in Art. 9 may apply."""
    app = world.complete()
    app.institution_type = "government_agency"
    item = only(check_legal_person(app, attached(app)))
    assert (item.met, item.detail) == (False, "机构类型不属于第九条所列类型")
    assert item.article == "第八条（一）、第九条"


def test_r06_legal_person_needs_registration_a_valid_code_qualifications_and_a_representative(world):
    """R-06: registered in Sichuan, a credit code with a correct check character, every unmet part named."""
    app = world.complete()
    assert only(check_legal_person(app, attached(app))).detail == "已满足"
    code = app.institution.credit_code
    app.institution.credit_code = code[:-1] + ("0" if code[-1] != "0" else "1")
    app.registered_in_sichuan = False
    app.training_qualification = "  "
    app.legal_representative = ""
    item = only(check_legal_person(app, attached(app)))
    assert not item.met
    assert item.detail == "未确认在省内依法登记；统一社会信用代码无效；未填写培训资质；未填写法定代表人"


def test_r06_registration_and_qualification_certificate_must_be_attached(world):
    app = world.complete()
    item = only(check_legal_person(app, attached(app) - {AttachmentKind.QUALIFICATION}))
    assert (item.met, item.detail) == (False, "未上传法人登记及培训资质证明")


def test_r14_application_form_names_each_missing_basic_fact(world):
    """R-14: the form's basic facts (name, fields, region, address, contact) are all filled in."""
    app = world.complete()
    app.base_name = ""
    app.fields = []
    app.region_id = None
    app.contact_phone = " "
    item = only(check_application_form(app, attached(app)))
    assert (item.key, item.article) == ("base_facts", "第十条（一）")
    assert (item.met, item.detail) == (False, "未填写：拟建基地名称、培训领域、所在区划、联系人及电话")


def test_r07_staff_check_gives_each_threshold_and_the_gap(world):
    """R-07: four items, counted from the listed people, each saying how many are missing."""
    app = world.complete()
    app.staff.filter(category="teacher", employment="part_time").delete()
    items = check_staff(app, attached(app))
    assert [c.key for c in items] == [
        "full_time_teachers",
        "part_time_teachers",
        "policy_research",
        "online_technical",
    ]
    assert {c.article for c in items} == {"第八条（二）"}
    assert items[1].detail == "已列 0 人，要求不少于 15 人，尚缺 15 人"
    assert items[0].detail == "已列 9 人，要求不少于 8 人"


def test_r08_management_needs_an_organ_and_a_full_time_manager(world):
    """R-08: the management organ and at least one full-time manager, besides the eight rules."""
    app = world.complete()
    app.management_organ = ""
    app.full_time_managers = 0
    item = only(check_management(app, attached(app)))
    assert (item.met, item.detail) == (False, "未填写管理机构；无专职管理人员")


def test_r09_resources_name_each_unfilled_item(world):
    """R-09: funding, classrooms, equipment and library; the practical site is for specialised fields only."""
    app = world.complete()
    app.practical_site = ""
    assert only(check_resources(app, attached(app))).met
    app.classrooms = ""
    app.library_resources = "  "
    item = only(check_resources(app, attached(app)))
    assert (item.met, item.detail) == (False, "未填写：固定教室、专业图书资料")


def test_r10_remote_education_needs_infrastructure_and_a_platform(world):
    """R-10: network infrastructure and a named platform with its address and features."""
    app = world.complete()
    app.platform_url = ""
    app.platform_features = ""
    item = only(check_remote_education(app, attached(app)))
    assert (item.key, item.article) == ("remote", "第八条（五）")
    assert (item.met, item.detail) == (False, "未填写：平台网址、平台功能")


def test_r11_each_of_the_last_three_years_must_be_stated(world):
    """R-11: the application states the trainee numbers of each of the last three years."""
    app = world.complete(batch=world.sc_batch)
    app.trainees_year2 = None
    item = only(check_scale(app, attached(app)))
    assert (item.met, item.detail) == (False, "请填写近三年每年的培训人数")


def test_r11_provincial_detail_says_the_minimum_is_reached(world):
    app = world.complete(batch=world.sc_batch, trainees=2000)
    year = app.trainee_years[-1][0]
    item = only(check_scale(app, attached(app)))
    assert item.label == "省级基地每年培训专业技术人才不少于 2000 名"
    assert (item.met, item.detail) == (True, f"{year} 年培训 2000 人，达到省级基地每年 2000 人的要求")


def test_r11_key_fields_served_must_be_named(world):
    """R-11: training serves key economic fields and modern services, which the application names."""
    app = world.complete(trainees=300)
    year = app.trainee_years[-1][0]
    app.key_fields_served = ""
    item = only(check_scale(app, attached(app)))
    assert item.label == "近三年培训规模"
    assert (item.met, item.detail) == (False, f"{year} 年培训 300 人；未填写服务的重点领域")


def test_r12_credit_statement_must_be_written(world):
    """R-12: besides the declaration and the evidence, the credit situation is explained."""
    app = world.complete()
    app.credit_statement = ""
    item = only(check_credit(app, attached(app)))
    assert (item.met, item.detail) == (False, "未填写信用情况说明")
