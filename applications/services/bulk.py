"""Bulk actions on a batch's list: the same engine transition (or the expert draw) per application, each in its
own transaction, and a report of what happened to each one."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kit.errors import DomainError, InvalidInput, PermissionRefused

from .. import workflow
from ..permissions import can_run_panel
from .draws import expert_draw

# The actions a reviewer may run on several applications of a batch at once, with their labels.
BULK_ACTIONS = {
    "start_review": gettext_lazy("受理并开始形式审核"),
    "draw_experts": gettext_lazy("随机抽取专家（每项 3 位）"),
    "complete_site_visit": gettext_lazy("提交评审会评审"),
}
MAX_BULK = 200


@dataclass(frozen=True)
class BulkResult:
    application_id: int
    name: str
    done: bool
    message: str


def _run_one(actor, batch, action, pk) -> str:
    # One transaction per application: a refusal rolls back that application's changes only.
    with transaction.atomic():
        app = workflow.MACHINE.lock(pk, actor)
        if app.batch_id != batch.pk:
            raise InvalidInput(_("该申报不属于本批次。"))
        if action == "draw_experts":
            draw = expert_draw(actor=actor, application=app)
            return _("已抽取 %(n)d 位专家（随机种子 %(s)d）") % {"n": len(draw.drawn), "s": draw.seed}
        workflow.MACHINE.run(app, action, actor=actor)
        return str(workflow.MACHINE.table[action].label)


def applications_bulk(*, actor, batch, action: str, application_ids: list[int]) -> list[BulkResult]:
    """Run `action` on each application of `batch`. Each one runs in its own transaction (the machine's or the
    draw's), so an application is either wholly done or left as it was; a refusal names its reason and does not
    stop the others."""
    if action not in BULK_ACTIONS:
        raise InvalidInput(_("未知的操作。"), field_errors={"action": [_("未知的操作。")]})
    ids = list(dict.fromkeys(application_ids))
    if not ids:
        raise InvalidInput(
            _("请至少选择一项申报。"), field_errors={"applications": [_("请至少选择一项申报。")]}
        )
    if len(ids) > MAX_BULK:
        message = _("一次最多处理 %(n)d 项申报。") % {"n": MAX_BULK}
        raise InvalidInput(message, field_errors={"applications": [message]})
    if not can_run_panel(actor, batch):
        raise PermissionRefused(_("只有认定部门的审核员可以批量办理本批次的申报。"))
    names = dict(workflow.MACHINE.visible_to(actor).filter(pk__in=ids).values_list("pk", "base_name"))
    results = []
    for pk in ids:
        try:
            message = _run_one(actor, batch, action, pk)
        except DomainError as exc:
            results.append(BulkResult(pk, names.get(pk) or f"#{pk}", False, exc.message))
        else:
            results.append(BulkResult(pk, names.get(pk) or f"#{pk}", True, message))
    return results
