"""What both the supervision machines and their services need: score checks and ordering a rectification."""

from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from bases.services import base_rectification_start
from kit.errors import InvalidInput

from .models import ITEM_KEYS, Rectification
from .notify import notify_rectification


def clean_scores(scores: dict) -> dict:
    """Return the nine item scores as whole numbers from 0 to 100, or raise with an error per item."""
    errors, clean = {}, {}
    for key in ITEM_KEYS:
        try:
            value = int(scores.get(key))
            if not 0 <= value <= 100:
                raise ValueError
            clean[key] = value
        except (TypeError, ValueError):
            errors[key] = [_("请填写 0 至 100 的整数。")]
    if errors:
        raise InvalidInput(_("评分有误，请按提示修改。"), field_errors=errors)
    return clean


def check_order(items, deadline) -> None:
    """An unqualified result orders a rectification: it needs the items to fix and a deadline after today."""
    errors = {}
    if not (items or "").strip():
        errors["rectification_items"] = [_("不合格的，请列明整改事项。")]
    if deadline is None or deadline <= timezone.localdate():
        errors["deadline"] = [_("请设定晚于今天的整改期限。")]
    if errors:
        raise InvalidInput(_("请填写整改事项和期限。"), field_errors=errors)


def rectification_order(*, actor, base, items, deadline, inspection=None, assessment=None) -> Rectification:
    """Open a rectification with its items and deadline, and put the base under rectification (R-27)."""
    rect = Rectification.objects.create(
        base=base,
        inspection=inspection,
        assessment=assessment,
        items=items.strip(),
        deadline=deadline,
        ordered_by=actor,
    )
    base_rectification_start(actor=actor, base=base)
    audit_record(
        actor=actor,
        action="rectification.ordered",
        obj=rect,
        organization=base.approving_authority,
        to_state=rect.state,
        comment=f"deadline={deadline}",
    )
    notify_rectification(rect, "ordered", actor)
    return rect
