"""Expert evaluation: at least three experts, conflict of interest, scoring bounds, isolation of experts."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from applications import services, workflow
from applications.models import ExpertAssignment
from audit.models import AuditEvent
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState

pytestmark = pytest.mark.django_db

GOOD = {"staff": 20, "management": 15, "facilities": 12, "remote": 12, "scale": 12, "credit": 8}


def score(a, scores=GOOD):
    services.assignment_declare(actor=a.expert, assignment_id=a.pk, has_conflict=False)
    return services.assignment_submit_scores(
        actor=a.expert, assignment_id=a.pk, scores=scores, comment="意见"
    )


def test_expert_of_the_applying_institution_cannot_be_assigned(world):
    app = world.to_state("demonstration")
    Membership.objects.create(user=world.experts[0], organization=world.inst, role="base_operator")
    with pytest.raises(InvalidInput) as exc:
        services.expert_assign(
            actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
        )
    assert "须回避" in exc.value.field_errors["experts"][0]
    assert not ExpertAssignment.objects.filter(application=app).exists()


def test_non_expert_cannot_be_assigned(world):
    app = world.to_state("demonstration")
    with pytest.raises(InvalidInput, match="选派失败"):
        services.expert_assign(
            actor=world.cd_reviewer, application=app, experts=[world.operator], reason="该领域专家不足"
        )


def test_fewer_than_three_experts_cannot_be_assigned(world):
    app = world.to_state("demonstration")
    with pytest.raises(InvalidInput, match="至少需要选派 3 位专家") as exc:
        services.expert_assign(
            actor=world.cd_reviewer, application=app, experts=world.experts[:2], reason="该领域专家不足"
        )
    assert "experts" in exc.value.field_errors
    assert not ExpertAssignment.objects.filter(application=app).exists()


def test_one_more_expert_may_join_a_panel_of_three(world):
    app = world.to_state("demonstration")
    services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
    )
    assert (
        len(
            services.expert_assign(
                actor=world.cd_reviewer, application=app, experts=world.experts[3:4], reason="该领域专家不足"
            )
        )
        == 1
    )


def test_only_the_reviewer_of_the_authority_assigns(world):
    app = world.to_state("demonstration")
    with pytest.raises(PermissionRefused):
        services.expert_assign(
            actor=world.cd_approver, application=app, experts=world.experts[:3], reason="该领域专家不足"
        )
    with pytest.raises(NotVisible):
        services.expert_assign(
            actor=world.my_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
        )


def test_fewer_than_three_scores_block_completion(world):
    app = world.to_state("demonstration")
    assignments = services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
    )
    score(assignments[0])
    score(assignments[1])
    with pytest.raises(WrongState, match="至少需要 3 位专家"):
        workflow.MACHINE.run(app, "complete_expert_review", actor=world.cd_reviewer)
    score(assignments[2])
    assert workflow.MACHINE.run(app, "complete_expert_review", actor=world.cd_reviewer).state == "site_visit"


def test_declared_conflict_needs_a_replacement_expert(world):
    app = world.to_state("demonstration")
    assignments = services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
    )
    services.assignment_declare(
        actor=assignments[0].expert, assignment_id=assignments[0].pk, has_conflict=True, note="曾在该单位兼职"
    )
    score(assignments[1])
    score(assignments[2])
    with pytest.raises(WrongState):
        workflow.MACHINE.run(app, "complete_expert_review", actor=world.cd_reviewer)
    (extra,) = services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=[world.experts[3]], reason="该领域专家不足"
    )
    score(extra)
    assert workflow.MACHINE.run(app, "complete_expert_review", actor=world.cd_reviewer).state == "site_visit"
    assert AuditEvent.objects.filter(action="expert.conflict_declared").count() == 1


def test_scoring_requires_the_declaration_first(world):
    app = world.to_state("demonstration")
    (a, *_rest) = services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
    )
    with pytest.raises(WrongState, match="声明"):
        services.assignment_submit_scores(actor=a.expert, assignment_id=a.pk, scores=GOOD, comment="x")


@pytest.mark.parametrize(
    ("item", "value"), [("staff", 26), ("credit", -1), ("remote", 7.3), ("scale", "abc")]
)
def test_scores_outside_the_rubric_are_refused(world, item, value):
    app = world.to_state("demonstration")
    (a, *_rest) = services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
    )
    services.assignment_declare(actor=a.expert, assignment_id=a.pk, has_conflict=False)
    with pytest.raises(InvalidInput) as exc:
        services.assignment_submit_scores(
            actor=a.expert, assignment_id=a.pk, scores={**GOOD, item: value}, comment="x"
        )
    assert item in exc.value.field_errors
    a.refresh_from_db()
    assert a.status == "accepted" and a.total is None


def test_submitted_scores_are_final_and_audited(world):
    app = world.to_state("demonstration")
    (a, *_rest) = services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
    )
    result = score(a)
    assert result.total == 79
    with pytest.raises(WrongState, match="不能修改"):
        services.assignment_submit_scores(
            actor=a.expert, assignment_id=a.pk, scores={**GOOD, "staff": 25}, comment="x"
        )
    assert AuditEvent.objects.filter(action="expert.scores_submitted", actor=a.expert).count() == 1


def test_experts_see_only_their_assignments(client, world):
    app = world.to_state("demonstration")
    assignments = services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
    )
    client.force_login(world.experts[3])
    assert client.get(reverse("applications:detail", args=[app.pk])).status_code == 404
    assert client.get(reverse("applications:assignment", args=[assignments[0].pk])).status_code == 404
    client.force_login(world.experts[0])
    assert client.get(reverse("applications:assignment", args=[assignments[0].pk])).status_code == 200
    assert client.get(reverse("applications:assignment", args=[assignments[1].pk])).status_code == 404


def test_scores_stay_blind_between_experts_until_all_have_scored(client, world):
    """Issue 18: an expert sees no peer's score, even after scoring, until every serving expert has scored."""
    app = world.to_state("demonstration")
    a1, a2, a3 = services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
    )
    score(a2, {**GOOD, "staff": 11})
    client.force_login(world.experts[0])
    services.assignment_declare(actor=a1.expert, assignment_id=a1.pk, has_conflict=False)
    body = client.get(reverse("applications:assignment", args=[a1.pk])).content.decode()
    assert "70.0" not in body and 'data-testid="peers"' not in body
    services.assignment_submit_scores(actor=a1.expert, assignment_id=a1.pk, scores=GOOD, comment="意见")
    body = client.get(reverse("applications:assignment", args=[a1.pk])).content.decode()
    assert "70.0" not in body and 'data-testid="peers"' not in body and 'data-testid="peers-blind"' in body
    score(a3)
    body = client.get(reverse("applications:assignment", args=[a1.pk])).content.decode()
    assert 'data-testid="peers"' in body and "70.0" in body


def test_a_recused_expert_does_not_keep_the_scores_blind(client, world):
    app = world.to_state("demonstration")
    a1, a2, a3 = services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
    )
    services.assignment_declare(
        actor=a3.expert, assignment_id=a3.pk, has_conflict=True, note="曾在该单位兼职"
    )
    score(a1)
    score(a2, {**GOOD, "staff": 11})
    client.force_login(world.experts[0])
    body = client.get(reverse("applications:assignment", args=[a1.pk])).content.decode()
    assert 'data-testid="peers"' in body and "70.0" in body


def test_authority_sees_every_score_and_the_average(client, world):
    app = world.to_state("demonstration")
    a1, a2, a3 = services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家不足"
    )
    score(a1, {**GOOD, "staff": 25})  # 84
    score(a2, {**GOOD, "staff": 19})  # 78
    client.force_login(world.cd_reviewer)
    response = client.get(reverse("applications:detail", args=[app.pk]))
    assert response.context["average"] == 81
    assert 'data-testid="average">81.0' in response.content.decode()
    assert 'data-testid="spread">78.0–84.0' in response.content.decode()
    client.force_login(world.operator)
    body = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert 'data-testid="average"' not in body
