"""我的待办: every piece of waiting work, for every role, by group with counts, each item linking to its object
(R-16, R-22, R-25..R-29, R-34), in a bounded number of queries."""

import pytest
from django.urls import reverse

from applications.models import Application
from bases.models import ChangeRequest
from inspections import services as inspection_services
from tests.factories import InstitutionFactory
from tests.portal.todo_world import TodoWorld

pytestmark = pytest.mark.django_db

# Pages that list objects: a 我的待办 item never links to one of them.
LIST_PATHS = {
    "/applications/",
    "/applications/batches/",
    "/applications/expert/",
    "/plans/",
    "/plans/dashboard/",
    "/inspections/",
    "/inspections/rectifications/",
    "/bases/manage/",
    "/bases/reports/",
}


@pytest.fixture(autouse=True)
def _eager_and_quiet(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def tw(db):
    return TodoWorld()


def sections(client, user):
    client.force_login(user)
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    return {s.group.key: s for s in response.context["sections"]}


def items(client, user):
    return [item for s in sections(client, user).values() for item in s.items]


def test_each_role_sees_its_waiting_work_and_every_item_opens_its_object(client, tw):
    objects = tw.everything()
    expected = {
        tw.cd_reviewer: {
            ("application", reverse("applications:detail", args=[objects["application"].pk])),
            ("change_request", reverse("bases:change", args=[objects["change_request"].pk])),
            ("report", reverse("bases:report", args=[objects["report"].pk])),
            ("plan", reverse("plans:detail", args=[objects["submitted_plan"].pk])),
            ("inspection", reverse("inspections:inspection", args=[objects["planned_inspection"].pk])),
        },
        tw.cd_approver: {
            ("change_request", reverse("bases:change", args=[objects["change_request"].pk])),
            ("report", reverse("bases:report", args=[objects["report"].pk])),
            ("plan", reverse("plans:detail", args=[objects["submitted_plan"].pk])),
            ("inspection", reverse("inspections:inspection", args=[objects["scored_inspection"].pk])),
        },
        tw.host: {("plan", reverse("plans:detail", args=[objects["host_plan"].pk]))},
        tw.experts[0]: {
            (
                "expert",
                reverse(
                    "applications:assignment",
                    args=[objects["expert_app"].assignments.get(expert=tw.experts[0]).pk],
                ),
            )
        },
    }
    for user, wanted in expected.items():
        got = {(item.category, item.url) for item in items(client, user)}
        assert wanted <= got, user.username
        for item in items(client, user):
            assert item.url.split("?")[0].split("#")[0] not in LIST_PATHS, item
            assert client.get(item.url).status_code == 200, item
    operator_items = {(i.category, i.url) for i in items(client, tw.operator)}
    assert ("rectification", reverse("inspections:rectification", args=[objects["rectification"].pk])) in (
        operator_items
    )
    assert not {i for i in operator_items if i[0] in ("report", "change_request")}  # nothing to decide


def test_applicant_sees_each_submitted_application_with_who_acts_next(client, tw):
    app = tw.submitted_application()
    progress = [
        i for i in sections(client, tw.operator)["my_application"].items if i.url.endswith(f"/{app.pk}/")
    ]
    assert [i.next_step for i in progress] == ["等待成都市人力资源和社会保障局受理"]
    Application.objects.filter(pk=app.pk).update(state="demonstration")
    (item,) = [i for i in items(client, tw.operator) if i.url.endswith(f"/{app.pk}/")]
    assert item.title.startswith("专家论证：") and "评审专家评分中" in item.next_step
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert "下一步：" in body and "评审专家评分中，由成都市人力资源和社会保障局组织" in body


def test_new_institution_is_told_to_apply_in_the_open_batches(client, tw):
    got = sections(client, tw.newcomer_admin)["batch"].items
    assert {i.url for i in got} == {
        reverse("applications:batch", args=[tw.cd_batch.pk]),
        reverse("applications:batch", args=[tw.sc_batch.pk]),
    }
    assert all(i.title.startswith("在开放批次中申报：") and i.due for i in got)
    page = client.get(got[0].url).content.decode()
    assert "以“新来学院”名义申报" in page
    tw.draft(operator=tw.newcomer_admin, institution=tw.newcomer)
    assert "batch" not in sections(client, tw.newcomer_admin)  # no longer new: its application is listed


def test_returned_change_request_waits_for_the_operator(client, tw):
    from bases import workflow

    cr = tw.change_request(tw.base(name="退回基地"))
    workflow.MACHINE.run(cr, "return", actor=tw.cd_reviewer, comment="请补充证明")
    assert ChangeRequest.objects.get(pk=cr.pk).state == "returned"
    (item,) = sections(client, tw.operator)["change_request"].items
    assert item.url == reverse("bases:change", args=[cr.pk]) and item.detail == "请补充证明"
    assert sections(client, tw.cd_approver)["change_request"].count == 0


def test_round_to_publish_and_assessments_to_confirm(client, tw):
    base = tw.base(name="评估基地")
    rnd = tw.spot_check(base)
    inspection = rnd.inspections.get()
    tw.score(inspection)
    inspection_services.inspection_confirm(actor=tw.cd_approver, inspection_id=inspection.pk)
    (item,) = sections(client, tw.cd_reviewer)["inspection"].items
    assert item.title == f"检查结果待公布：{rnd.title}" and item.url == reverse(
        "inspections:round", args=[rnd.pk]
    )
    created = inspection_services.assessments_propose(actor=tw.cd_reviewer, authority=tw.chengdu, year=2026)
    got = sections(client, tw.cd_approver)["assessment"].items
    assert {i.url for i in got} == {
        reverse("inspections:assessments") + f"?year=2026#assessment-{a.pk}" for a in created
    }
    page = client.get(got[0].url).content.decode()
    assert f'id="assessment-{created[0].pk}"' in page


def test_plan_to_start_links_to_its_start_page_which_starts_it(client, tw):
    base = tw.base(name="待编制基地")
    (item,) = [i for i in sections(client, tw.operator)["plan"].items if base.name in i.title]
    assert item.url.startswith(reverse("plans:start") + "?")
    page = client.get(item.url)
    assert page.status_code == 200 and "开始编制" in page.content.decode()
    response = client.post(reverse("plans:start"), {"base": base.pk, "year": item.due.year + 1})
    plan = base.plans.get()
    assert response.url == reverse("plans:detail", args=[plan.pk])
    (item,) = [i for i in sections(client, tw.operator)["plan"].items if base.name in i.title]
    assert item.url == reverse("plans:detail", args=[plan.pk])
    assert client.get(reverse("plans:start"), {"base": base.pk, "year": plan.year}).url == item.url
    assert client.get(reverse("plans:start"), {"base": base.pk, "year": "x"}).status_code == 404


def test_counts_per_group_and_empty_groups_say_what_will_appear(client, tw):
    tw.submitted_application()
    got = sections(client, tw.cd_reviewer)
    assert got["application"].count == 1
    assert {"change_request", "report", "plan", "inspection", "rectification"} <= set(got)
    assert got["report"].count == 0
    body = client.get(reverse("portal:dashboard")).content.decode()
    assert "暂无。这里会显示：公众举报的基地违规行为" in body
    assert list(got)[0] == "application"  # groups with items come first
    assert list(sections(client, tw.my_reviewer).values())[0].count == 0


def test_dashboard_query_count_stays_bounded_for_a_staff_user_with_many_items(
    client, tw, django_assert_max_num_queries
):
    def add_work(n):
        for i in range(n):
            base = tw.base(name=f"基地{Application.objects.count()}-{i}")
            tw.change_request(base)
            tw.report(base)
            tw.plan_submitted(base)
            Application.objects.create(
                batch=tw.cd_batch,
                institution=InstitutionFactory(),
                created_by=tw.other_operator,
                state="submitted",
            )

    add_work(1)
    client.force_login(tw.cd_reviewer)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portal:dashboard"))
    add_work(12)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("portal:dashboard"))
    assert sum(s.count for s in response.context["sections"]) >= 4 * 13
