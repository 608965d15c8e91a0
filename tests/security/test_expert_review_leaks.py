"""Issue 13, "Expert reviews stay with the authority" (R-16 expert evaluation, 等保 2.0 level 3 least privilege).

Reproductions replayed here, each of which the old code let through:

- the applicant read, on the application page and from `GET /api/v1/applications/<id>/history/`, which experts
  were assigned, each score as it arrived and a conflict declaration word for word, and the comments of the
  authority's internal steps;
- an expert who had not scored yet read the other experts' assignments, scores and declarations from the API;
- an expert who declared a conflict still opened the application, its 申报表 (page, API, Excel, versions), its
  attachments and its staff list.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from applications import services, workflow
from tests.applications.conftest import World

pytestmark = pytest.mark.django_db

CONFLICT_NOTE = "本人曾在该单位兼职授课"
INTERNAL_COMMENT = "内部意见：平均分偏低，考察时重点核实师资"
GOOD = {"staff": 20, "management": 15, "facilities": 12, "remote": 12, "scale": 12, "credit": 8}
EXPERT_CODES = {
    "application.expert_assigned",
    "expert.no_conflict_declared",
    "expert.conflict_declared",
    "expert.scores_submitted",
}


@pytest.fixture(autouse=True)
def _eager_and_quiet(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def world(db):
    return World()


def score(assignment):
    services.assignment_declare(actor=assignment.expert, assignment_id=assignment.pk, has_conflict=False)
    services.assignment_submit_scores(
        actor=assignment.expert, assignment_id=assignment.pk, scores=GOOD, comment="同意"
    )


@pytest.fixture
def review(world):
    """An application in expert review: expert1 declared a conflict, expert2 and expert3 scored, expert4
    declared no conflict and has not scored yet."""
    app = world.to_state("demonstration")
    conflicted, first, second, pending = services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=world.experts, reason="指定"
    )
    services.assignment_declare(
        actor=conflicted.expert, assignment_id=conflicted.pk, has_conflict=True, note=CONFLICT_NOTE
    )
    score(first)
    score(second)
    services.assignment_declare(actor=pending.expert, assignment_id=pending.pk, has_conflict=False)
    return app, conflicted, pending


def api_history(user, app):
    api = APIClient()
    api.force_authenticate(user)
    response = api.get(f"/api/v1/applications/{app.pk}/history/")
    assert response.status_code == 200
    return response.json()


def test_applicant_history_api_has_no_expert_events_nor_declarations(world, review):
    """Issue 13 / R-16: the applicant's API history leaves out the whole expert review."""
    app, _conflicted, _pending = review
    body = api_history(world.operator, app)

    actions = {e["action"] for e in body}
    assert "application.submit" in actions and "application.pass_formal_review" in actions
    assert not actions & EXPERT_CODES
    text = str(body)
    assert CONFLICT_NOTE not in text
    assert not any(expert.username in text for expert in world.experts)


def test_applicant_history_page_has_no_expert_events(client, world, review):
    """Issue 13 / R-16: the application page's 办理记录 shows the applicant the same filtered history."""
    app, _conflicted, _pending = review
    client.force_login(world.operator)
    response = client.get(reverse("applications:detail", args=[app.pk]))

    assert response.status_code == 200
    actions = {e.action for e in response.context["history"]}
    assert "application.submit" in actions and not actions & EXPERT_CODES
    page = response.content.decode()
    assert CONFLICT_NOTE not in page and "专家提交评分" not in page and "专家申请回避" not in page


def test_internal_comments_are_blanked_for_the_applicant_and_kept_for_the_authority(world, review):
    """Issue 13: the comment of an internal step (closing the expert review) is the authority's only; the
    comment addressed to the applicant (a return for correction) stays readable."""
    app, _conflicted, pending = review
    services.assignment_submit_scores(
        actor=pending.expert, assignment_id=pending.pk, scores=GOOD, comment="可"
    )
    workflow.MACHINE.run(app, "complete_expert_review", actor=world.cd_reviewer, comment=INTERNAL_COMMENT)
    workflow.MACHINE.run(app, "return", actor=world.cd_reviewer, comment="请补充师资证明")

    applicant = {e["action"]: e["comment"] for e in api_history(world.operator, app)}
    assert applicant["application.complete_expert_review"] == ""
    assert applicant["application.return"] == "请补充师资证明"
    authority = {e["action"]: e["comment"] for e in api_history(world.cd_reviewer, app)}
    assert authority["application.complete_expert_review"] == INTERNAL_COMMENT
    assert authority["expert.conflict_declared"] == CONFLICT_NOTE


def test_expert_who_has_not_scored_sees_only_their_own_assignment(world, review):
    """Issue 13 / R-16: an expert reads their own assignment and declaration, no peer's score or declaration."""
    app, _conflicted, pending = review
    body = api_history(pending.expert, app)

    expert_events = [e for e in body if e["action"] in EXPERT_CODES]
    assert [(e["action"], e["actor"], e["comment"]) for e in expert_events] == [
        ("application.expert_assigned", world.cd_reviewer.username, pending.expert.username),
        ("expert.no_conflict_declared", pending.expert.username, ""),
    ]
    assert CONFLICT_NOTE not in str(body)


def test_authority_reads_every_expert_event(world, review):
    """The approving authority keeps the whole expert review (4 assignments, 4 declarations, 2 scores)."""
    app, _conflicted, _pending = review
    actions = [e["action"] for e in api_history(world.cd_reviewer, app)]
    assert actions.count("application.expert_assigned") == 4
    assert actions.count("expert.scores_submitted") == 2
    assert actions.count("expert.conflict_declared") == 1


def test_expert_who_declared_a_conflict_no_longer_sees_the_application(client, world, review):
    """Issue 13: after a conflict declaration, page, form, Excel, versions, attachments and API answer 404."""
    app, conflicted, pending = review
    attachment = app.attachments.filter(is_current=True).first()
    urls = [
        reverse("applications:detail", args=[app.pk]),
        reverse("applications:excel", args=[app.pk]),
        reverse("applications:version", args=[app.pk, 1]),
        reverse("applications:attachment", args=[attachment.pk]),
        f"/api/v1/applications/{app.pk}/",
        f"/api/v1/applications/{app.pk}/history/",
    ]
    client.force_login(pending.expert)  # the control: an expert without a conflict opens every one
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)

    client.force_login(conflicted.expert)
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert client.get("/api/v1/applications/").json()["count"] == 0


def test_conflicted_experts_assignment_page_shows_the_declaration_only(client, world, review):
    """Issue 13: the assignment page keeps the declaration but no staff list, attachments or checklist."""
    app, conflicted, _pending = review
    client.force_login(conflicted.expert)
    response = client.get(reverse("applications:assignment", args=[conflicted.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT_NOTE in page
    assert app.staff.first().name not in page
    assert "/applications/attachments/" not in page
    assert "attachments" not in response.context and "checklist" not in response.context
