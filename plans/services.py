"""Every write to annual plans, their items, amendments, training classes and quality evaluations."""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from bases.models import Base
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState

from . import workflow
from .models import (
    CLASS_FIELDS,
    ITEM_FIELDS,
    AnnualPlan,
    Mode,
    PlanItem,
    PlanState,
    ServiceForm,
    SubjectKind,
    TrainingClass,
    YearlyEvaluation,
)
from .permissions import is_base_staff


def _base_for(actor, base):
    if not is_base_staff(actor, base):
        raise NotVisible(_("未找到该基地。"))
    if base.status == Base.Status.REVOKED:
        raise WrongState(_("该基地已被撤销。"))


def plan_create(*, actor, base, year: int, today=None) -> AnnualPlan:
    """Start the plan of a year: next year's (due 31 December), or this year's if it is still missing (late)."""
    _base_for(actor, base)
    today = today or timezone.localdate()
    if year not in (today.year, today.year + 1):
        raise InvalidInput(
            _("只能编制本年度或下一年度的计划。"),
            field_errors={"year": [_("只能编制本年度或下一年度的计划。")]},
        )
    try:
        with transaction.atomic():
            plan = AnnualPlan.objects.create(base=base, year=year, created_by=actor)
            audit_record(
                actor=actor,
                action="plan.created",
                obj=plan,
                organization=base.institution,
                to_state=plan.state,
            )
    except IntegrityError as exc:
        raise WrongState(_("该基地 %(y)d 年度的计划已存在。") % {"y": year}) from exc
    return plan


def _lock_editable(actor, plan) -> AnnualPlan:
    """Lock a plan for an edit by the base's staff: 404 unseen, 403 not theirs, 409 not editable."""
    locked = workflow.MACHINE.lock(plan, actor)
    if not is_base_staff(actor, locked.base):
        raise PermissionRefused(_("只有基地经办人可以编辑计划。"))
    if not locked.is_editable:
        raise WrongState(_("计划当前状态为“%(s)s”，不能修改。") % {"s": locked.get_state_display()})
    return locked


def plan_delete_draft(*, actor, plan) -> None:
    """Delete a draft plan (or amendment) started by mistake: never submitted, no classes under it.

    The audit event keeps what was deleted (base, year, kind) since the row itself is gone afterwards.
    """
    with transaction.atomic():
        locked = _lock_editable(actor, plan)
        if locked.state != PlanState.DRAFT or locked.first_submitted_at is not None:
            raise WrongState(_("只有从未报送的草稿计划可以删除。"))
        if TrainingClass.objects.filter(plan_item__plan=locked).exists():
            raise WrongState(_("该计划下已开设培训班，不能删除。"))
        audit_record(
            actor=actor,
            action="plan.deleted",
            obj=locked,
            organization=locked.base.institution,
            from_state=locked.state,
            comment=str(locked),
        )
        locked.items.all().delete()
        locked.delete()


def plan_update(*, actor, plan, summary_narrative=None, amendment_reason=None) -> AnnualPlan:
    """Save the plan's texts; record which of them changed (a save that changes nothing is not an event)."""
    with transaction.atomic():
        locked = _lock_editable(actor, plan)
        texts = {"summary_narrative": summary_narrative, "amendment_reason": amendment_reason}
        changed = []
        for field, value in texts.items():
            if value is not None and getattr(locked, field) != value.strip():
                setattr(locked, field, value.strip())
                changed.append(field)
        locked.save(update_fields=["summary_narrative", "amendment_reason", "updated_at"])
        if changed:
            audit_record(
                actor=actor,
                action="plan.edited",
                obj=locked,
                organization=locked.base.institution,
                comment=", ".join(changed),
            )
    return locked


def _clean_item(data: dict) -> dict:
    errors = {}
    clean = {}
    for name, choices in [("service_form", ServiceForm), ("subject_kind", SubjectKind), ("mode", Mode)]:
        if data.get(name) not in choices.values:
            errors[name] = [_("请选择。")]
        clean[name] = data.get(name)
    for name, limit in [("title", 150), ("field", 60)]:
        value = (data.get(name) or "").strip()
        if not value:
            errors[name] = [_("请填写。")]
        clean[name] = value[:limit]
    for name in ("planned_classes", "planned_trainees"):
        try:
            value = int(data.get(name))
            if value < 1 or value > 1_000_000:
                raise ValueError
            clean[name] = value
        except (TypeError, ValueError):
            errors[name] = [_("请填写正整数。")]
    for name, minimum in [("hours_per_trainee", Decimal("0.5")), ("fee_per_trainee", Decimal("0"))]:
        try:
            value = Decimal(str(data.get(name, "0") or "0"))
            if value < minimum or value > Decimal("99999"):
                raise InvalidOperation
            clean[name] = value
        except (InvalidOperation, ValueError):
            errors[name] = [_("请填写有效的数值。")]
    clean["public_interest"] = bool(data.get("public_interest"))
    clean["partner"] = (data.get("partner") or "").strip()[:120]
    if errors:
        raise InvalidInput(_("计划项目有误，请按提示修改。"), field_errors=errors)
    return clean


def plan_item_save(*, actor, plan, data: dict, regions=(), item=None) -> PlanItem:
    """Add an item to an editable plan, or change one. R-20: public-interest items name the regions they favour."""
    with transaction.atomic():
        locked = _lock_editable(actor, plan)
        clean = _clean_item(data)
        if item is None:
            item = PlanItem.objects.create(plan=locked, **clean)
        else:
            item = PlanItem.objects.select_for_update().get(pk=item.pk, plan=locked)
            for k, v in clean.items():
                setattr(item, k, v)
            item.save()
        item.preference_regions.set(regions if clean["public_interest"] else [])
        audit_record(
            actor=actor,
            action="plan.item_saved",
            obj=locked,
            organization=locked.base.institution,
            comment=item.title,
        )
    return item


def plan_item_remove(*, actor, plan, item_id) -> None:
    with transaction.atomic():
        locked = _lock_editable(actor, plan)
        item = PlanItem.objects.filter(pk=item_id, plan=locked).first()
        if item is None:
            raise NotVisible(_("未找到该项目。"))
        if item.classes.exists():
            raise WrongState(_("该项目下已有培训班，不能删除。"))
        item.delete()
        audit_record(
            actor=actor,
            action="plan.item_removed",
            obj=locked,
            organization=locked.base.institution,
            # The item's title, as a save records it: the row and its id are gone.
            comment=item.title,
        )


def amendment_create(*, actor, plan, today=None) -> AnnualPlan:
    """Amend a filed plan during its year; the amendment starts as a copy and takes the same path."""
    today = today or timezone.localdate()
    with transaction.atomic():
        original = workflow.MACHINE.lock(plan, actor)
        _base_for(actor, original.base)
        if original.kind != AnnualPlan.Kind.PLAN or original.state != PlanState.FILED:
            raise WrongState(_("只有已备案的年度计划可以调整。"))
        if today.year != original.year:
            raise WrongState(_("计划调整只能在计划年度内进行。"))
        if AnnualPlan.objects.filter(amends=original).exclude(state=PlanState.FILED).exists():
            raise WrongState(_("该计划已有未完成的调整。"))
        amendment = AnnualPlan.objects.create(
            base=original.base,
            year=original.year,
            kind=AnnualPlan.Kind.AMENDMENT,
            amends=original,
            created_by=actor,
        )
        source = (
            AnnualPlan.objects.filter(amends=original, state=PlanState.FILED).order_by("-filed_at").first()
            or original
        )
        for item in source.items.all():
            regions = list(item.preference_regions.all())
            copy = PlanItem.objects.create(
                plan=amendment, continues=item.continues or item, **{f: getattr(item, f) for f in ITEM_FIELDS}
            )
            copy.preference_regions.set(regions)
        audit_record(
            actor=actor,
            action="plan.amendment_created",
            obj=amendment,
            organization=original.base.institution,
        )
    return amendment


# --- training classes (R-23, R-24) --------------------------------------------------------------------------


def _check_plan_takes_classes(plan) -> None:
    """R-23 (Art. 21): classes run only under the latest filed plan of their year."""
    if plan.state != PlanState.FILED:
        raise WrongState(
            _(
                "该计划尚未备案（当前状态：%(s)s）。未经审核同意并备案的，不得以继续教育基地名义开展培训（《办法》第二十一条）。"
            )
            % {"s": plan.get_state_display()}
        )
    if (
        plan.kind == AnnualPlan.Kind.PLAN
        and AnnualPlan.objects.filter(amends=plan, state=PlanState.FILED).exists()
    ):
        raise WrongState(_("该计划已调整，请在最新备案的调整计划下开班。"))


def _class_date_errors(plan, starts, ends) -> dict:
    if not starts or not ends:
        return {"starts_on": [_("请填写开班和结业日期。")]}
    errors = {}
    if ends < starts:
        errors["ends_on"] = [_("结业日期不能早于开班日期。")]
    if starts.year != plan.year or ends.year != plan.year:
        errors["starts_on"] = [_("培训班日期须在计划年度（%(y)d 年）内。") % {"y": plan.year}]
    return errors


def _class_number_errors(data) -> dict:
    errors = {}
    try:
        capacity = int(data.get("capacity"))
        if capacity < 1:
            raise ValueError
    except (TypeError, ValueError):
        errors["capacity"] = [_("请填写正整数。")]
    try:
        hours = Decimal(str(data.get("hours_per_trainee")))
        if hours <= 0 or (hours * 2) % 1 != 0 or hours > 1000:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["hours_per_trainee"] = [_("人均学时须大于 0，最小单位 0.5。")]
    return errors


def _class_errors(plan, data) -> dict:
    """Return the field errors of a class's data (empty when it may be opened)."""
    errors = _class_date_errors(plan, data.get("starts_on"), data.get("ends_on"))
    if not (data.get("place") or "").strip() and not (data.get("online_platform") or "").strip():
        errors["place"] = [_("请填写培训地点或线上平台。")]
    if not (data.get("teachers") or "").strip():
        errors["teachers"] = [_("请填写授课教师。")]
    if not (data.get("title") or "").strip():
        errors["title"] = [_("请填写培训班名称。")]
    errors.update(_class_number_errors(data))
    if data.get("subject_kind") not in SubjectKind.values:
        errors["subject_kind"] = [_("请选择科目类别。")]
    errors.update(_class_mix_errors(data))
    return errors


def _class_mix_errors(data) -> dict:
    """A mixed class (R-35) is a professional class with a part of general hours, less than its hours."""
    general = data.get("general_hours")
    if general in (None, ""):
        return {}
    try:
        general, hours = Decimal(str(general)), Decimal(str(data.get("hours_per_trainee")))
    except (InvalidOperation, ValueError):
        return {"general_hours": [_("请填写数字。")]}
    if data.get("subject_kind") != SubjectKind.PROFESSIONAL:
        return {"general_hours": [_("只有专业科目培训班可以包含公需科目学时。")]}
    if not 0 < general < hours or (general * 2) % 1 != 0:
        return {"general_hours": [_("公需科目学时须大于 0、小于人均学时，最小单位 0.5。")]}
    return {}


def class_create(*, actor, plan_item, data: dict) -> TrainingClass:
    """R-23 (Art. 21): a class belongs to an item of a filed plan (or filed amendment) of its year."""
    item = PlanItem.objects.select_related("plan__base").get(pk=plan_item.pk)
    plan = item.plan
    _base_for(actor, plan.base)
    _check_plan_takes_classes(plan)
    errors = _class_errors(plan, data)
    if errors:
        raise InvalidInput(_("培训班信息有误，请按提示修改。"), field_errors=errors)
    with transaction.atomic():
        klass = TrainingClass.objects.create(
            plan_item=item,
            base=plan.base,
            year=plan.year,
            created_by=actor,
            **{
                f: (data.get(f) if data.get(f) is not None else "")
                for f in CLASS_FIELDS
                if f not in ("fee", "general_hours")
            },
            fee=Decimal(str(data.get("fee") or "0")),
            general_hours=Decimal(str(data["general_hours"]))
            if data.get("general_hours") not in (None, "")
            else None,
        )
        audit_record(
            actor=actor,
            action="class.created",
            obj=klass,
            organization=plan.base.institution,
            to_state=klass.status,
        )
    return klass


CLASS_NEXT = {
    TrainingClass.Status.OPEN: {TrainingClass.Status.RUNNING, TrainingClass.Status.CANCELLED},
    TrainingClass.Status.RUNNING: {TrainingClass.Status.COMPLETED, TrainingClass.Status.CANCELLED},
}


def class_update_progress(*, actor, klass, status: str, enrolled: int, completed: int) -> TrainingClass:
    """Move a class on (open → running → completed; or cancelled) and record its enrolled and completed counts."""
    with transaction.atomic():
        locked = TrainingClass.objects.select_for_update().select_related("base").get(pk=klass.pk)
        _base_for(actor, locked.base)
        if status != locked.status and status not in CLASS_NEXT.get(locked.status, set()):
            raise WrongState(
                _("培训班状态不能从“%(a)s”改为“%(b)s”。")
                % {
                    "a": locked.get_status_display(),
                    "b": TrainingClass.Status(status).label
                    if status in TrainingClass.Status.values
                    else status,
                }
            )
        errors = {}
        if enrolled < 0 or enrolled > locked.capacity:
            errors["enrolled_count"] = [
                _("报名人数应在 0 至计划人数（%(n)d）之间。") % {"n": locked.capacity}
            ]
        if completed < 0 or completed > enrolled:
            errors["completed_count"] = [_("结业人数不能超过报名人数。")]
        if errors:
            raise InvalidInput(_("人数有误。"), field_errors=errors)
        before = locked.status
        locked.status, locked.enrolled_count, locked.completed_count = status, enrolled, completed
        locked.save(update_fields=["status", "enrolled_count", "completed_count"])
        audit_record(
            actor=actor,
            action="class.progress",
            obj=locked,
            organization=locked.base.institution,
            from_state=before,
            to_state=status,
            comment=f"enrolled={enrolled} completed={completed}",
        )
    return locked


def class_evaluate(*, actor, klass, satisfaction, self_assessment: str) -> TrainingClass:
    """R-24: each completed class gets a course quality evaluation."""
    with transaction.atomic():
        locked = TrainingClass.objects.select_for_update().select_related("base").get(pk=klass.pk)
        _base_for(actor, locked.base)
        if locked.status != TrainingClass.Status.COMPLETED:
            raise WrongState(_("培训班结束后方可进行课程质量评估。"))
        try:
            value = Decimal(str(satisfaction))
            if value < 0 or value > 100:
                raise InvalidOperation
        except (InvalidOperation, ValueError) as exc:
            raise InvalidInput(
                _("满意度应为 0 至 100。"), field_errors={"satisfaction": [_("满意度应为 0 至 100。")]}
            ) from exc
        if not (self_assessment or "").strip():
            raise InvalidInput(
                _("请填写课程质量自评。"), field_errors={"self_assessment": [_("请填写课程质量自评。")]}
            )
        locked.satisfaction, locked.self_assessment = value, self_assessment.strip()
        locked.save(update_fields=["satisfaction", "self_assessment"])
        audit_record(
            actor=actor,
            action="class.evaluated",
            obj=locked,
            organization=locked.base.institution,
            comment=str(value),
        )
    return locked


def yearly_evaluation_save(*, actor, base, year: int, evaluation: str) -> YearlyEvaluation:
    """R-24: the base's overall quality evaluation of a year."""
    _base_for(actor, base)
    if not (evaluation or "").strip():
        raise InvalidInput(
            _("请填写年度综合质量评估。"), field_errors={"evaluation": [_("请填写年度综合质量评估。")]}
        )
    with transaction.atomic():
        obj, _created = YearlyEvaluation.objects.update_or_create(
            base=base, year=year, defaults={"evaluation": evaluation.strip(), "recorded_by": actor}
        )
        audit_record(
            actor=actor,
            action="plan.yearly_evaluation",
            obj=base,
            organization=base.institution,
            comment=str(year),
        )
    return obj
