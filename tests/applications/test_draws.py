"""The random draw of experts (论证, Art. 10, R-16): exclusions, a recorded reproducible seed, replacements,
and manual choice only with a reason."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organization, Role
from applications import services
from applications.models import Application, ExpertAssignment, ExpertDraw, ExpertProfile
from audit.models import AuditEvent
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from tests.factories import OrganizationFactory, member

pytestmark = pytest.mark.django_db


class Pool:
    """Ten experts in the application's field (数字经济) in the provincial pool, each of another employer."""

    def __init__(self, world):
        self.world = world
        self.experts = []
        for i in range(10):
            user = member(world.pool, Role.EXPERT, username=f"pool{i}", email=f"pool{i}@example.cn")
            ExpertProfile.objects.create(
                user=user, fields=["数字经济"], title="教授", employer_name=f"单位{i}", region_id="510100"
            )
            self.experts.append(user)

    def profile(self, i):
        return self.experts[i].expert_profile


@pytest.fixture
def pool(world):
    return Pool(world)


def draw(world, app, **kwargs):
    return services.expert_draw(actor=world.cd_reviewer, application=app, **kwargs)


def test_the_draw_assigns_the_experts_and_records_seed_candidates_and_result(world, pool):
    app = world.to_state("demonstration")
    result = draw(world, app, seed=20261206)
    assert result.seed == 20261206 and result.count == 3 and len(result.drawn) == 3
    assigned = list(app.assignments.order_by("id").values_list("expert_id", "drawn"))
    assert sorted(assigned) == sorted((pk, True) for pk in result.drawn)
    # The four experts of the world fixture have no profile (no fields, unknown availability): not candidates.
    assert result.candidates == sorted(u.pk for u in pool.experts)
    event = AuditEvent.objects.get(action="application.experts_drawn", object_id=str(app.pk))
    assert "seed=20261206" in event.comment and f"drawn={','.join(map(str, result.drawn))}" in event.comment
    assert f"candidates={','.join(map(str, result.candidates))}" in event.comment


def test_re_running_the_draw_with_the_recorded_seed_gives_the_same_experts(world, pool):
    app = world.to_state("demonstration")
    first = draw(world, app, seed=7)
    again = services.draw_pick(first.candidates, first.count, first.seed, {})
    assert again == first.drawn
    other = world.to_state("demonstration", **world.applicant("另一学院甲"))
    assert draw(world, other, seed=7).drawn == first.drawn  # same seed, same candidates: same experts


def test_a_generated_seed_is_recorded(world, pool):
    app = world.to_state("demonstration")
    result = draw(world, app)
    assert result.seed > 0
    assert services.draw_pick(result.candidates, 3, result.seed, {}) == result.drawn


def test_the_draw_excludes_conflicts_recent_reviewers_the_unavailable_and_other_fields(world, pool):
    app = world.to_state("demonstration")
    host = OrganizationFactory(name="测试学院上级主管部门", region_id="510100")
    world.inst.parent = host
    world.inst.save()
    Membership.objects.create(user=pool.experts[0], organization=world.inst, role=Role.BASE_OPERATOR)
    ExpertProfile.objects.filter(user=pool.experts[1]).update(employer=world.inst, employer_name="")
    ExpertProfile.objects.filter(user=pool.experts[2]).update(employer_name="测试学院上级主管部门")
    ExpertProfile.objects.filter(user=pool.experts[3]).update(available=False)
    ExpertProfile.objects.filter(user=pool.experts[4]).update(fields=["卫生健康"])
    # pool5 reviewed the same institution a year ago; pool6 did three years ago (no longer excluded).
    past = world.submitted(batch=world.sc_batch)
    for expert, days in ((pool.experts[5], 365), (pool.experts[6], 3 * 365)):
        a = ExpertAssignment.objects.create(application=past, expert=expert, assigned_by=world.sc_reviewer)
        ExpertAssignment.objects.filter(pk=a.pk).update(assigned_at=timezone.now() - timedelta(days=days))
    app = Application.objects.get(pk=app.pk)
    candidates, excluded, _employers = services.draw_candidates(app)
    reasons = {int(k): v for k, v in excluded.items() if int(k) in {u.pk for u in pool.experts}}
    assert reasons == {
        pool.experts[0].pk: "institution",
        pool.experts[1].pk: "institution",
        pool.experts[2].pk: "institution",
        pool.experts[3].pk: "unavailable",
        pool.experts[4].pk: "fields",
        pool.experts[5].pk: "recent_review",
    }
    assert candidates == [u.pk for u in pool.experts[6:]]
    result = draw(world, app, count=4, seed=1)
    assert set(result.drawn) == set(candidates)
    assert result.excluded[str(pool.experts[5].pk)] == "recent_review"


def test_two_experts_of_one_employer_are_not_drawn_together(world, pool):
    app = world.to_state("demonstration")
    ExpertProfile.objects.filter(user__in=pool.experts).update(employer_name="同一单位")
    ExpertProfile.objects.filter(user__in=pool.experts[:2]).update(employer_name="另一单位")
    with pytest.raises(InvalidInput, match="只有 2 位"):
        draw(world, app, seed=3)
    assert not app.assignments.exists() and not ExpertDraw.objects.exists()


def test_fewer_than_three_or_too_few_candidates_are_refused(world, pool):
    app = world.to_state("demonstration")
    with pytest.raises(InvalidInput) as refused:
        draw(world, app, count=2)
    assert "count" in refused.value.field_errors
    with pytest.raises(InvalidInput) as refused:
        draw(world, app, seed=-1)
    assert "seed" in refused.value.field_errors
    with pytest.raises(InvalidInput, match="只有 10 位"):
        draw(world, app, count=11)


def test_a_recused_expert_is_replaced_by_a_further_draw(world, pool):
    app = world.to_state("demonstration")
    first = draw(world, app, seed=11)
    recused = app.assignments.get(expert_id=first.drawn[0])
    with pytest.raises(WrongState, match="只有已回避"):
        services.expert_replace(actor=world.cd_reviewer, assignment_id=recused.pk)
    services.assignment_declare(
        actor=recused.expert, assignment_id=recused.pk, has_conflict=True, note="曾任顾问"
    )
    replacement = services.expert_replace(actor=world.cd_reviewer, assignment_id=recused.pk, seed=5)
    assert replacement.replaces == recused and len(replacement.drawn) == 1
    assert replacement.drawn[0] not in first.drawn
    assert app.assignments.exclude(status="conflict").count() == 3
    with pytest.raises(WrongState, match="已被替换"):
        services.expert_replace(actor=world.cd_reviewer, assignment_id=recused.pk)


def test_only_the_authority_reviewer_draws_in_the_evaluation_stage(world, pool):
    app = world.to_state("demonstration")
    with pytest.raises(PermissionRefused):
        services.expert_draw(actor=world.cd_approver, application=app)
    with pytest.raises(NotVisible):
        services.expert_draw(actor=world.my_reviewer, application=app)
    early = world.to_state("formal_review", **world.applicant("早期学院"))
    with pytest.raises(WrongState, match="专家论证阶段"):
        draw(world, early)
    assert not ExpertDraw.objects.exists()


def test_drawn_experts_are_told_only_on_commit(world, pool, django_capture_on_commit_callbacks):
    app = world.to_state("demonstration")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = draw(world, app, seed=2)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    drawn = {f"pool{pool.experts.index(u)}@example.cn" for u in pool.experts if u.pk in result.drawn}
    assert {m.to[0] for m in mail.outbox} == drawn


def test_manual_choice_needs_a_reason_which_is_recorded(world):
    app = world.to_state("demonstration")
    with pytest.raises(InvalidInput) as refused:
        services.expert_assign(
            actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason=" "
        )
    assert "reason" in refused.value.field_errors
    services.expert_assign(
        actor=world.cd_reviewer, application=app, experts=world.experts[:3], reason="该领域专家库人数不足"
    )
    assert set(app.assignments.values_list("choice_reason", flat=True)) == {"该领域专家库人数不足"}
    assert AuditEvent.objects.filter(action="application.expert_chosen", object_id=str(app.pk)).count() == 3


def test_the_draw_page_form_draws_and_shows_the_seed(client, world, pool):
    app = world.to_state("demonstration")
    client.force_login(world.cd_reviewer)
    url = reverse("applications:expert_draw", args=[app.pk])
    response = client.post(url, {"count": "3", "seed": "42"}, follow=True)
    assert "随机种子 42" in response.content.decode()
    assert app.assignments.count() == 3
    response = client.post(url, {"count": "abc"}, follow=True)
    assert response.status_code == 200 and app.assignments.count() == 3
    client.force_login(world.operator)
    assert client.post(url, {"count": "3"}).status_code in (302, 404)
    assert app.assignments.count() == 3


def test_a_pool_under_another_authority_is_not_drawn_from(world, pool):
    other_pool = OrganizationFactory(
        name="绵阳专家库", kind=Organization.Kind.EXPERT_POOL, region_id="510700", parent=world.mianyang
    )
    outsider = member(other_pool, Role.EXPERT, username="my_expert")
    ExpertProfile.objects.create(user=outsider, fields=["数字经济"], employer_name="绵阳单位")
    app = world.to_state("demonstration")
    candidates, _excluded, _employers = services.draw_candidates(app)
    assert outsider.pk not in candidates


def test_an_expert_who_declines_is_replaced_and_sees_nothing_more(client, world, pool):
    """Issue 18: a declined expert (unavailable for this review) is replaced by a further draw, like a recused one."""
    app = world.to_state("demonstration")
    first = draw(world, app, seed=13)
    declining = app.assignments.get(expert_id=first.drawn[1])
    client.force_login(declining.expert)
    url = reverse("applications:assignment", args=[declining.pk])
    response = client.post(url, {"form": "declare", "has_conflict": "2", "note": ""})
    assert response.status_code == 200 and "请说明无法参加的原因" in response.content.decode()
    client.post(url, {"form": "declare", "has_conflict": "2", "note": "出差在外，无法按期评审"})
    declining.refresh_from_db()
    assert declining.status == "declined"
    assert AuditEvent.objects.filter(action="expert.declined", object_id=str(app.pk)).exists()
    assert client.get(reverse("applications:detail", args=[app.pk])).status_code == 404
    replacement = services.expert_replace(actor=world.cd_reviewer, assignment_id=declining.pk, seed=8)
    assert replacement.replaces == declining and replacement.drawn[0] not in first.drawn
    assert app.assignments.exclude(status__in=ExpertAssignment.NOT_SERVING).count() == 3
    client.force_login(world.cd_reviewer)
    body = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert "谢绝参加" in body and f'data-testid="replace-{declining.pk}"' not in body
