from django import forms, template
from django.utils.html import format_html_join

from audit.labels import action_label, describe_comment, object_type_label, state_label

register = template.Library()


@register.simple_tag
def bs_field(bound_field):
    """Render a widget with Bootstrap classes and the ARIA links to its help text and errors."""
    widget = bound_field.field.widget
    attrs = {}
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
        attrs["aria-invalid"] = "true"
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    existing = widget.attrs.get("class", "")
    attrs["class"] = f"{existing} {css}".strip()
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_multi_checkbox(bound_field):
    return isinstance(bound_field.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect)


@register.filter
def elided_pages(page):
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """Return the current query string with some parameters replaced (filters survive paging)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag
def hidden_query(query_dict, *exclude):
    """Hidden inputs that carry a query string through a form."""
    items = [(k, v) for k, values in query_dict.lists() if k not in exclude for v in values]
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', items)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def audit_label(code):
    return action_label(code)


@register.filter
def event_comment(event):
    """The comment of an audit event in words: a service's machine comment through its app's renderer (in the
    reader's language), a comment a person typed as typed."""
    return describe_comment(event)


@register.filter(name="object_type_label")
def object_type_words(object_type):
    return object_type_label(object_type)


@register.filter
def event_states(event):
    """The change an audit event records in words, e.g. 待确认 → 已确认 ('' when it changed no state)."""
    if not (event.from_state or event.to_state):
        return ""
    before = state_label(event.object_type, event.from_state) if event.from_state else "—"
    after = state_label(event.object_type, event.to_state) if event.to_state else "—"
    return f"{before} → {after}"


@register.filter
def transition_labels(actions):
    """Return the labels of a page's available actions: Transitions, (Transition, reason) pairs, or the words
    of an action that is not a machine's transition (publishing a round, triaging a report)."""
    labels = []
    for action in actions or ():
        action = action[0] if isinstance(action, tuple) else action
        labels.append(str(getattr(action, "label", action)))
    return labels
