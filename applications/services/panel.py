"""The panel (评审, Art. 10): a dated meeting of a batch resolves on each application that passed the visit."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from kit.errors import DomainError, InvalidInput, PermissionRefused, WrongState

from .. import workflow
from ..models import Batch, PanelMeeting
from ..permissions import can_run_panel

VOTE_FIELDS = ("votes_for", "votes_against", "votes_abstain")


def _clean_resolution(raw: dict) -> tuple[dict, list]:
    errors = []
    passed = raw.get("passed")
    if not isinstance(passed, bool):
        errors.append(_("请选择评审结论（通过或不通过）。"))
    clean = {"passed": passed, "remarks": (raw.get("remarks") or "").strip()}
    for name in VOTE_FIELDS:
        value = raw.get(name) or 0
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 999:
            errors.append(_("票数应为 0 至 999 的整数。"))
            break
        clean[name] = value
    return clean, errors


def panel_resolutions_record(
    *, actor, batch: Batch, held_on, members: str = "", resolutions: dict
) -> PanelMeeting:
    """Record a dated panel meeting of `batch` and its resolution on each application (keyed by id): each one
    runs the workflow's `record_panel_resolution` transition. All or nothing: one refused resolution records
    none of them, and the errors name each application."""
    if not can_run_panel(actor, batch):
        raise PermissionRefused(_("只有认定部门的审核员可以录入评审会结论。"))
    errors = {}
    if held_on is None:
        errors["held_on"] = [_("请填写评审会日期。")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("评审会日期不能晚于今天。")]
    if not resolutions:
        errors["resolutions"] = [_("请至少录入一项申报的评审会结论。")]
    cleaned = {}
    for app_id, raw in (resolutions or {}).items():
        cleaned[app_id], item_errors = _clean_resolution(raw)
        if item_errors:
            errors[str(app_id)] = item_errors
    if errors:
        raise InvalidInput(_("评审会结论有误，未录入任何结论。"), field_errors=errors)
    with transaction.atomic():
        meeting = PanelMeeting.objects.create(
            batch=batch, held_on=held_on, members=(members or "").strip(), recorded_by=actor
        )
        refusals = []
        for app_id, resolution in cleaned.items():
            try:
                app = workflow.MACHINE.lock(app_id, actor)
                if app.batch_id != batch.pk:
                    raise InvalidInput(_("该申报不属于本批次。"))
                workflow.MACHINE.run(
                    app, "record_panel_resolution", actor=actor, meeting=meeting, resolution=resolution
                )
            except DomainError as exc:
                errors[str(app_id)] = [exc.message]
                refusals.append(exc)
        if errors:
            # Raising inside the block rolls back the meeting and every resolution recorded before the refusal.
            # Applications that are all in another state are a conflict (409), anything else is bad input.
            error = WrongState if all(isinstance(e, WrongState) for e in refusals) else InvalidInput
            raise error(_("评审会结论有误，未录入任何结论。"), field_errors=errors)
        audit_record(
            actor=actor,
            action="batch.panel_meeting_recorded",
            obj=batch,
            organization=batch.approving_authority,
            comment=f"held_on={held_on.isoformat()} count={len(cleaned)}",
        )
    return meeting
