"""The error summary every form shows at its top (GOV.UK pattern): a heading and a link to each wrong field."""

from django import forms, template

register = template.Library()


def _field_anchor(bound_field) -> str:
    # A group of radios or checkboxes has no element with the field's own id: link to its first choice.
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


def summary_errors(*forms_or_formsets) -> list[dict]:
    """Return every error of the given forms (and formsets) as {label, message, anchor}, in field order."""
    rows: list[dict] = []
    for item in forms_or_formsets:
        if item is None or item == "":
            continue
        if isinstance(item, forms.BaseFormSet):
            rows += [{"label": "", "message": e, "anchor": ""} for e in item.non_form_errors()]
            for form in item.forms:
                rows += summary_errors(form)
            continue
        if not getattr(item, "is_bound", False):
            continue
        rows += [{"label": "", "message": e, "anchor": ""} for e in item.non_field_errors()]
        for bound_field in item:
            anchor = "" if bound_field.is_hidden else _field_anchor(bound_field)
            for error in bound_field.errors:
                rows.append({"label": bound_field.label, "message": error, "anchor": anchor})
    return rows


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms_or_formsets):
    """Render the error summary of one or more forms (nothing when they have no errors)."""
    return {"errors": summary_errors(*forms_or_formsets)}
