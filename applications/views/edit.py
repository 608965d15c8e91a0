"""The step-by-step application form and its staff list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kit.ints import safe_int
from kit.pages import showing_refusal

from .. import services, workflow
from ..forms import (
    AttachmentForm,
    CreditStepForm,
    InstitutionStepForm,
    ManagementStepForm,
    ResourcesStepForm,
    ScaleStepForm,
    StaffMemberForm,
    StaffPasteForm,
)
from ..models import RULE_KINDS, AttachmentKind
from ..permissions import can_edit_application
from ..rules import article8_checklist, bar_reason, staff_counts
from .common import application_or_404

STEPS = [
    ("institution", _("机构基本情况"), InstitutionStepForm),
    ("staff", _("师资队伍"), None),
    ("management", _("管理机构与制度"), ManagementStepForm),
    ("resources", _("设施与远程教育"), ResourcesStepForm),
    ("scale", _("培训规模"), ScaleStepForm),
    ("credit", _("社会信用"), CreditStepForm),
    ("review", _("核对与提交"), None),
]
STEP_KEYS = [s[0] for s in STEPS]
# The documents each step asks for, uploaded on that step's page.
STEP_DOCUMENTS = {
    "management": RULE_KINDS,
    "credit": [AttachmentKind.CREDIT_EVIDENCE],
    "institution": [AttachmentKind.QUALIFICATION],
}


@login_required
def application_edit(request, pk, step):
    app = application_or_404(request, pk)
    if step not in STEP_KEYS:
        raise Http404
    if not can_edit_application(request.user, app):
        messages.error(request, _("申报当前状态为“%(s)s”，不能修改。") % {"s": app.get_state_display()})
        return redirect("applications:detail", pk=app.pk)
    index = STEP_KEYS.index(step)
    form_class = STEPS[index][2]
    form = form_class(request.POST or None, instance=app) if form_class else None
    saved = (
        request.method == "POST"
        and form is not None
        and form.is_valid()
        and _save_step(request, app, step, form)
    )
    if saved:
        target = STEP_KEYS[index + 1] if "next" in request.POST and index + 1 < len(STEP_KEYS) else step
        return redirect("applications:edit", pk=app.pk, step=target)
    return _render_step(request, pk, step, form)


def _render_step(request, pk, step, form=None, **forms_shown):
    """Render one step of the form; a refused form in `form` or `forms_shown` keeps what the user typed."""
    # Read it again: validating the model form wrote the submitted values onto this instance.
    app = application_or_404(request, pk)
    context = {
        "app": app,
        "step": step,
        "steps": STEPS,
        "index": STEP_KEYS.index(step),
        "form": form,
        "comments": [c for c in app.section_comments.all() if c.version == app.version and c.section == step],
        "active_nav": "applications",
        **_step_extras(request, app, step),
        **forms_shown,
    }
    return render(request, "applications/application_edit.html", context)


def _save_step(request, app, step, form) -> bool:
    """Save one section of the application from its valid form; return whether the service accepted it."""
    data = (
        form.section_data()
        if hasattr(form, "section_data")
        else {k: form.cleaned_data[k] for k in form.Meta.fields if k in form.cleaned_data}
    )
    with showing_refusal(request, form):
        services.application_update(actor=request.user, application=app, section=step, data=data)
        messages.success(request, _("已保存。"))
        return True
    return False


def _step_extras(request, app, step) -> dict:
    """Return what only this step of the form shows: the staff list, the documents, or the final check."""
    if step == "staff":
        return {
            "staff": app.staff.all(),
            "counts": staff_counts(app),
            "one_form": StaffMemberForm(prefix="one"),
            "paste_form": StaffPasteForm(prefix="paste"),
        }
    if step in STEP_DOCUMENTS:
        current = {a.kind: a for a in app.attachments.all() if a.is_current}
        return {
            "documents": [(k, current.get(k)) for k in STEP_DOCUMENTS[step]],
            "upload_form": AttachmentForm(),
        }
    if step == "review":
        return {
            "checklist": article8_checklist(app),
            "bar": bar_reason(app.institution),
            "batch_open": app.batch.is_open(),
            "actions": [
                (t, why)
                for t, why in workflow.MACHINE.action_states(app, request.user)
                if t.action == "submit"
            ],
            "other_docs": [
                a for a in app.attachments.all() if a.is_current and a.kind == AttachmentKind.OTHER
            ],
        }
    return {}


@login_required
@require_POST
def staff_add(request, pk):
    app = application_or_404(request, pk)
    if "paste-lines" in request.POST:
        form = StaffPasteForm(request.POST, prefix="paste")
        if form.is_valid():
            rows, errors = services.parse_staff_lines(form.cleaned_data["lines"])
            for e in errors:
                form.add_error("lines", e)
            if errors:
                form.add_error(None, _("名单有误，未添加任何人员。请修改后重新提交。"))
        forms_shown = {"paste_form": form}
    else:
        form = StaffMemberForm(request.POST, prefix="one")
        rows = [form.cleaned_data] if form.is_valid() else []
        forms_shown = {"one_form": form}
    if form.is_valid():
        with showing_refusal(request, form):
            services.staff_add(actor=request.user, application=app, people=rows)
            messages.success(request, _("已添加 %(n)d 人。") % {"n": len(rows)})
            return redirect("applications:edit", pk=app.pk, step="staff")
    # Refused: show the step again with the list or the person as typed, the errors on top and at the field.
    return _render_step(request, app.pk, "staff", **forms_shown)


@login_required
@require_POST
def staff_remove(request, pk):
    app = application_or_404(request, pk)
    ids = [i for i in (safe_int(v) for v in request.POST.getlist("staff")) if i is not None]
    with showing_refusal(request):
        removed = services.staff_remove(actor=request.user, application=app, staff_ids=ids)
        messages.success(request, _("已删除 %(n)d 人。") % {"n": removed})
    return redirect("applications:edit", pk=app.pk, step="staff")
