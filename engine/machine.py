"""Transition tables and the one function that runs them.

A workflow is a `Machine`: a noun for messages, the rows a user may see, the organization an event belongs to,
and a table of `Transition`s. `Machine.run` does what every state change needs, in one transaction: lock the
row through `visible_to(actor)`, check the role, the source state, the comment and the guard, change the
state, save only what changed, write one audit event and queue notifications (their e-mails leave on commit).
A rule that only one object has lives in that transition's guard or effect, never in an `if action == …`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.labels import register_action_labels, register_state_labels
from audit.services import audit_record
from kit.errors import DomainError, InvalidInput, NotVisible, PermissionRefused, WrongState

COMMENT_REQUIRED = gettext_lazy("请填写意见或理由。")
SEPARATION = gettext_lazy(
    "按照职责分离要求，办理过本%(noun)s前一环节的人员不能再执行“%(a)s”，请由其他人员办理。"
)


@dataclass(frozen=True)
class Transition:
    """One row of a workflow's table.

    `allowed(user, obj)` says who may press it; `guard(obj, actor, *, comment, **data)` refuses with a domain
    error when a rule is unmet; `effect(obj, actor, *, comment, **data)` runs after the new state is saved and
    may set the `fields` it names, which are saved after it. `offered(obj, **context)` hides the button when
    pressing it makes no sense now (the guard still decides when it is pressed). `note(obj)` adds words to
    the audit comment. `preparers(obj)` returns the ids of the users who prepared the object for this step:
    they may not take it themselves (segregation of duties), whatever roles they hold.
    """

    action: str
    label: Any
    sources: tuple
    target: str
    allowed: Callable[[Any, Any], bool]
    guard: Callable | None = None
    effect: Callable | None = None
    fields: tuple = ()
    needs_comment: bool = False
    confirm: Any = ""
    style: str = "primary"
    # True when the guard reads only the object (not the user's input), so the UI can run it in advance and
    # show why the button cannot be pressed yet.
    precheck: bool = True
    offered: Callable | None = None
    note: Callable | None = None
    # The audit code's last part when it predates the machine (audit codes in the trail never change).
    event: str = ""
    preparers: Callable | None = None
    # Why a preparer may not press it, naming both duties; a generic sentence when empty.
    separation: Any = ""


@dataclass(frozen=True, eq=False)
class Machine:
    """A workflow: its table and how to find, lock, audit and announce its objects."""

    name: str
    noun: Any
    model: type
    visible_to: Callable
    organization: Callable
    transitions: Sequence[Transition]
    state_field: str = "state"
    related: tuple = ()
    touch: tuple = ()
    comment_field: str = ""
    notify: Callable | None = None
    table: dict = field(init=False, repr=False)

    def __post_init__(self):
        table = {t.action: t for t in self.transitions}
        if len(table) != len(self.transitions):
            raise ValueError(f"{self.name}: two transitions share an action")
        object.__setattr__(self, "table", table)
        register_action_labels({self.code(t.action): t.label for t in self.transitions})
        register_action_labels({f"{self.name}.{t.event}": t.label for t in self.transitions if t.event})
        choices = self.model._meta.get_field(self.state_field).choices or ()
        register_state_labels(self.model._meta.label_lower, dict(choices))

    # --- reading ------------------------------------------------------------------------------------------

    def code(self, action: str) -> str:
        """Return the audit action code of a transition: `<machine>.<action>` (or its older event name)."""
        spec = self.table.get(action)
        return f"{self.name}.{spec.event if spec and spec.event else action}"

    def transition(self, action: str) -> Transition:
        spec = self.table.get(action)
        if spec is None:
            raise InvalidInput(_("未知的操作。"), field_errors={"action": [_("未知的操作。")]})
        return spec

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def available(self, obj, user, **context) -> list[Transition]:
        """Return the transitions `user` may press now (guards run when pressed, so their message shows)."""
        return [
            t
            for t in self.transitions
            if self.state_of(obj) in t.sources
            and t.allowed(user, obj)
            and (t.offered is None or t.offered(obj, **context))
            and not self.prepared_by(t, obj, user)
        ]

    def prepared_by(self, spec: Transition, obj, user) -> bool:
        """Whether `user` prepared `obj` for this step, and so may not take it (segregation of duties)."""
        return spec.preparers is not None and getattr(user, "pk", None) in spec.preparers(obj)

    def action_states(self, obj, user) -> list[tuple[Transition, str]]:
        """Return the available transitions with, for each, why it cannot be pressed yet ('' when it can)."""
        states = []
        for spec in self.available(obj, user):
            reason = ""
            if spec.guard and spec.precheck:
                try:
                    spec.guard(obj, user, comment="")
                except DomainError as exc:
                    reason = exc.message
            states.append((spec, reason))
        return states

    # --- writing ------------------------------------------------------------------------------------------

    def lock(self, target, actor):
        """Return the row of `target` (an object or a pk) locked for update, as `actor` may see it (404)."""
        pk = getattr(target, "pk", target)
        obj = (
            self.visible_to(actor)
            .select_for_update(of=("self",))
            .select_related(*self.related)
            .filter(pk=pk)
            .first()
        )
        if obj is None:
            raise NotVisible(_("未找到该%(noun)s。") % {"noun": self.noun})
        return obj

    def check(self, obj, spec: Transition, actor) -> None:
        """Refuse (403) a user the transition does not allow, then (409) an object in another state, then (409)
        the user who prepared the object for this step."""
        if not spec.allowed(actor, obj):
            raise PermissionRefused(_("您无权执行“%(a)s”。") % {"a": spec.label})
        if self.state_of(obj) not in spec.sources:
            raise WrongState(
                _("%(noun)s当前状态为“%(s)s”，不能执行“%(a)s”。")
                % {"noun": self.noun, "s": self.state_label(obj), "a": spec.label}
            )
        if self.prepared_by(spec, obj, actor):
            raise WrongState(str(spec.separation or SEPARATION % {"noun": self.noun, "a": spec.label}))

    def state_label(self, obj) -> str:
        return str(getattr(obj, f"get_{self.state_field}_display")())

    def run(self, target, action: str, *, actor, comment: str = "", **data):
        """Run one transition in one transaction and return the changed object."""
        spec = self.transition(action)
        comment = (comment or "").strip()
        with transaction.atomic():
            obj = self.lock(target, actor)
            self.check(obj, spec, actor)
            if spec.needs_comment and not comment:
                raise InvalidInput(COMMENT_REQUIRED, field_errors={"comment": [str(COMMENT_REQUIRED)]})
            if spec.guard:
                spec.guard(obj, actor, comment=comment, **data)
            before = self.state_of(obj)
            self._change_state(obj, spec, comment)
            if spec.effect:
                spec.effect(obj, actor, comment=comment, **data)
                if spec.fields:
                    obj.save(update_fields=list(spec.fields))
            audit_record(
                actor=actor,
                action=self.code(action),
                obj=obj,
                organization=self.organization(obj),
                from_state=before,
                to_state=self.state_of(obj),
                comment=" ".join(part for part in (comment, spec.note(obj) if spec.note else "") if part),
            )
            if self.notify:
                self.notify(obj, action, actor, comment)
        return obj

    def _change_state(self, obj, spec: Transition, comment: str) -> None:
        setattr(obj, self.state_field, spec.target)
        fields = [self.state_field, *self.touch]
        if self.comment_field and comment:
            setattr(obj, self.comment_field, comment)
            fields.append(self.comment_field)
        obj.save(update_fields=fields)
