"""The random draw of experts (论证, Art. 10): who may be drawn, the draw itself, its record and replacements.

A draw is reproducible: the candidates are ordered by user id and `draw_pick(candidates, count, seed, employers)`
is a pure function of its arguments, so the seed and the candidate list recorded with the draw (and in its
audit event) give the same experts again.
"""

import random
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organization, Role, User
from audit.services import audit_record
from kit.errors import InvalidInput, PermissionRefused, WrongState

from .. import workflow
from ..effects import MIN_EXPERTS
from ..models import Application, ExpertAssignment, ExpertDraw, ExpertProfile
from ..permissions import is_reviewer
from ..selectors import pools_open_to
from .experts import assignments_create

# Nobody who reviewed the same institution within this period is drawn for it again.
RECENT_REVIEW = timedelta(days=2 * 365)
MAX_SEED = 2**31 - 1
MAX_DRAW = 15

# Why a pool member is not a candidate (recorded with the draw).
EXCLUDED_ASSIGNED = "assigned"
EXCLUDED_INSTITUTION = "institution"
EXCLUDED_RECENT = "recent_review"
EXCLUDED_UNAVAILABLE = "unavailable"
EXCLUDED_FIELDS = "fields"


def pool_experts(authority_id):
    """Return the active users of the pools open to an authority who hold the expert role there."""
    pools = Organization.objects.filter(pools_open_to([authority_id]), kind=Organization.Kind.EXPERT_POOL)
    members = Membership.objects.filter(role=Role.EXPERT, organization__in=pools).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True)


def _employer_key(profile) -> str:
    if profile is None:
        return ""
    if profile.employer_id:
        return f"org:{profile.employer_id}"
    return f"name:{profile.employer_name.strip()}" if profile.employer_name.strip() else ""


def _conflicted_units(app) -> tuple[set, set]:
    """The applicant institution and its host unit (上级主管部门), as ids and names."""
    units = [app.institution] + ([app.institution.parent] if app.institution.parent_id else [])
    return {u.pk for u in units}, {u.name for u in units}


def draw_candidates(app) -> tuple[list[int], dict, dict]:
    """Return the pool members who may be drawn for `app` (ordered by id), the excluded ones with the reason,
    and each candidate's employer key."""
    experts = list(pool_experts(app.batch.approving_authority_id).order_by("pk"))
    profiles = {p.user_id: p for p in ExpertProfile.objects.filter(user__in=experts)}
    unit_ids, unit_names = _conflicted_units(app)
    members_of_units = set(
        Membership.objects.filter(organization_id__in=unit_ids, user__in=experts).values_list(
            "user_id", flat=True
        )
    )
    recent = set(
        ExpertAssignment.objects.filter(
            application__institution=app.institution, assigned_at__gte=timezone.now() - RECENT_REVIEW
        )
        .exclude(application=app)
        .values_list("expert_id", flat=True)
    )
    assigned = set(app.assignments.values_list("expert_id", flat=True))
    wanted = set(app.fields)
    candidates, excluded, employers = [], {}, {}
    for expert in experts:
        profile = profiles.get(expert.pk)
        if expert.pk in assigned:
            excluded[str(expert.pk)] = EXCLUDED_ASSIGNED
        elif (
            expert.pk in members_of_units
            or (profile is not None and profile.employer_id in unit_ids)
            or (profile is not None and profile.employer_name.strip() in unit_names)
        ):
            excluded[str(expert.pk)] = EXCLUDED_INSTITUTION
        elif expert.pk in recent:
            excluded[str(expert.pk)] = EXCLUDED_RECENT
        elif profile is None or not profile.available:
            excluded[str(expert.pk)] = EXCLUDED_UNAVAILABLE
        elif not wanted & set(profile.fields):
            excluded[str(expert.pk)] = EXCLUDED_FIELDS
        else:
            candidates.append(expert.pk)
            employers[expert.pk] = _employer_key(profile)
    return candidates, excluded, employers


def draw_pick(candidates: list[int], count: int, seed: int, employers: dict, taken=()) -> list[int]:
    """Shuffle the candidates with `seed` and take the first `count`, at most one expert per employer (and none
    of an employer in `taken`, the employers of the experts already serving)."""
    order = sorted(candidates)
    # A reproducible draw, not a secret: the seed is published in the audit trail.
    random.Random(seed).shuffle(order)  # noqa: S311  # nosec B311
    picked, seen = [], set(taken) - {""}
    for pk in order:
        employer = employers.get(pk, "")
        if employer and employer in seen:
            continue
        picked.append(pk)
        seen.add(employer)
        if len(picked) == count:
            break
    return picked


def _check_seed(seed):
    if seed is None:
        return secrets.randbelow(MAX_SEED) + 1
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        message = _("随机种子应为 0 至 %(m)d 的整数。") % {"m": MAX_SEED}
        raise InvalidInput(message, field_errors={"seed": [message]})
    return seed


def _lock_for_draw(actor, application):
    app = workflow.MACHINE.lock(application, actor)
    if not is_reviewer(actor, app):
        raise PermissionRefused(_("只有认定部门的审核员可以抽取专家。"))
    if app.state != Application.State.DEMONSTRATION:
        raise WrongState(_("只有处于专家论证阶段的申报可以抽取专家。"))
    return app


def _record(actor, app, *, seed, count, candidates, excluded, drawn, replaces=None) -> ExpertDraw:
    draw = ExpertDraw.objects.create(
        application=app,
        seed=seed,
        count=count,
        candidates=candidates,
        excluded=excluded,
        drawn=drawn,
        replaces=replaces,
        drawn_by=actor,
    )
    audit_record(
        actor=actor,
        action="application.experts_drawn",
        obj=app,
        organization=app.batch.approving_authority,
        # The seed, the candidates and the result (user ids), so the draw can be re-run and checked.
        comment=f"seed={seed} count={count} candidates={','.join(map(str, candidates))} "
        f"drawn={','.join(map(str, drawn))}" + (f" replaces={replaces.expert_id}" if replaces else ""),
    )
    return draw


def _too_few(available, count):
    message = _("符合条件的候选专家只有 %(n)d 位，不足 %(c)d 位，请补充专家库或改为指定专家。") % {
        "n": available,
        "c": count,
    }
    return InvalidInput(message, field_errors={"count": [message]})


def expert_draw(
    *, actor, application, count: int = MIN_EXPERTS, seed: int | None = None, due_on=None
) -> ExpertDraw:
    """Draw `count` experts (at least 3) at random from the pools open to the application's authority, in its
    fields, with the exclusions of the issue: the applicant institution's and its host unit's people, anyone
    who reviewed the institution in the last two years, the unavailable, and two of one employer. Record the
    seed, the candidates and the result, and assign the drawn experts."""
    if isinstance(count, bool) or not isinstance(count, int) or not MIN_EXPERTS <= count <= MAX_DRAW:
        message = _("抽取人数应为 %(a)d 至 %(b)d 位。") % {"a": MIN_EXPERTS, "b": MAX_DRAW}
        raise InvalidInput(message, field_errors={"count": [message]})
    seed = _check_seed(seed)
    with transaction.atomic():
        app = _lock_for_draw(actor, application)
        candidates, excluded, employers = draw_candidates(app)
        serving = app.assignments.exclude(status__in=ExpertAssignment.NOT_SERVING)
        taken = {
            _employer_key(getattr(a.expert, "expert_profile", None)) for a in serving.select_related("expert")
        }
        drawn = draw_pick(candidates, count, seed, employers, taken)
        if len(drawn) < count:
            raise _too_few(len(drawn), count)
        draw = _record(
            actor, app, seed=seed, count=count, candidates=candidates, excluded=excluded, drawn=drawn
        )
        experts = sorted(User.objects.filter(pk__in=drawn), key=lambda u: drawn.index(u.pk))
        assignments_create(actor=actor, app=app, experts=experts, due_on=due_on, drawn=True)
    return draw


def expert_replace(*, actor, assignment_id: int, seed: int | None = None, due_on=None) -> ExpertDraw:
    """Replace an expert who declared a conflict or declined by one further draw with the same exclusions."""
    seed = _check_seed(seed)
    with transaction.atomic():
        replaced = ExpertAssignment.objects.filter(pk=assignment_id).select_related("application").first()
        if replaced is None:
            raise InvalidInput(
                _("未找到该评审任务。"), field_errors={"assignment": [_("未找到该评审任务。")]}
            )
        app = _lock_for_draw(actor, replaced.application_id)
        if replaced.status not in ExpertAssignment.NOT_SERVING:
            raise WrongState(_("只有已回避或谢绝参加的专家可以替换。"))
        if ExpertDraw.objects.filter(replaces=replaced).exists():
            raise WrongState(_("该专家已被替换。"))
        candidates, excluded, employers = draw_candidates(app)
        serving = app.assignments.exclude(status__in=ExpertAssignment.NOT_SERVING).select_related("expert")
        taken = {_employer_key(getattr(a.expert, "expert_profile", None)) for a in serving}
        drawn = draw_pick(candidates, 1, seed, employers, taken)
        if not drawn:
            raise _too_few(0, 1)
        draw = _record(
            actor,
            app,
            seed=seed,
            count=1,
            candidates=candidates,
            excluded=excluded,
            drawn=drawn,
            replaces=replaced,
        )
        assignments_create(
            actor=actor, app=app, experts=list(User.objects.filter(pk__in=drawn)), due_on=due_on, drawn=True
        )
    return draw
