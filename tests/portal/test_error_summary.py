"""Every portal form shows an error summary at its top that links each wrong field, and keeps what was typed."""

import importlib
import inspect
import re

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.template.loader import render_to_string

from accounts.models import Organization
from tests.applications.conftest import World

FORM_MODULES = [
    "accounts.forms",
    "applications.forms",
    "audit.forms",
    "bases.forms",
    "hours.forms",
    "inspections.forms",
    "plans.forms",
]
TYPED = "保留这段输入"
BARE_REQUIRED = "该字段是必填项。"


def portal_form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            # The sign-in form belongs to the sign-in pages, which render it themselves.
            if (
                cls.__module__ == name
                and issubclass(cls, forms.BaseForm)
                and not issubclass(cls, AuthenticationForm)
            ):
                yield cls


def _kwargs(cls, world, app):
    """The constructor arguments a form needs beyond its data (its scope, its instance)."""
    from applications.models import StaffMember
    from bases.models import Base

    extra = {
        "MemberCreateForm": {"organization": world.inst},
        "BatchForm": {"authorities": Organization.objects.filter(pk=world.chengdu.pk)},
        "ExpertAssignForm": {"application": app},
        "PanelMeetingForm": {"rows": []},
        "RoundForm": {"scope": Base.objects.all()},
    }
    if cls.__name__ == "ScoreForm" and cls.__module__ == "applications.forms":
        return {"rubric": [{"key": "a", "label": "甲", "max": 10}]}
    if cls.__name__ == "ScoreForm":
        from accounts.models import User

        return {"staff": User.objects.all()}
    if issubclass(cls, forms.ModelForm):
        model = cls._meta.model
        if model is type(app):
            return {"instance": app}
        if model is StaffMember:
            return {}
    return extra.get(cls.__name__, {})


def _invalid_data(form):
    """Type text into every text field and leave the rest empty: the required choices and numbers fail."""
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField) and not isinstance(field, forms.ChoiceField):
            data[form.add_prefix(name)] = TYPED
    return data


@pytest.mark.django_db
def test_every_portal_form_lists_each_error_in_its_summary_and_keeps_the_input():
    world = World()
    app = world.draft()
    checked = 0
    for cls in portal_form_classes():
        blank = cls(**_kwargs(cls, world, app))
        form = cls(data=_invalid_data(blank), **_kwargs(cls, world, app))
        if form.is_valid():
            continue  # a filter form: every field optional
        html = render_to_string("includes/form.html", {"form": form})
        summary = re.search(r"<div[^>]*data-error-summary.*?</div>", html, re.S)
        assert summary, f"{cls.__name__}: no error summary"
        for name, errors in form.errors.items():
            for error in errors:
                assert str(error) in summary.group(0), f"{cls.__name__}.{name}: {error} not in the summary"
                assert str(error) != BARE_REQUIRED, f"{cls.__name__}.{name}: bare required message"
            if name in form.fields and not form[name].is_hidden:
                anchor = form[name].id_for_label or form[name].auto_id
                if isinstance(form.fields[name].widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                    anchor = f"{form[name].auto_id}_0"
                assert f'href="#{anchor}"' in summary.group(0), f"{cls.__name__}.{name}: no link to the field"
                assert f'id="{anchor}"' in html, f"{cls.__name__}.{name}: the link points nowhere"
        if TYPED in _invalid_data(blank).values() and any(
            isinstance(f.widget, forms.TextInput | forms.Textarea) for f in form.fields.values()
        ):
            assert TYPED in html, f"{cls.__name__}: the typed text was not kept"
        checked += 1
    assert checked >= 25


@pytest.mark.django_db
def test_a_form_without_errors_shows_no_summary():
    from hours.forms import LookupForm

    assert "data-error-summary" not in render_to_string("includes/form.html", {"form": LookupForm()})


def _summary(response) -> str:
    html = response.content.decode()
    found = re.search(r"<div[^>]*data-error-summary.*?</ul>", html, re.S)
    assert found, "no error summary on the page"
    return found.group(0)


@pytest.mark.django_db
def test_refused_staff_list_is_shown_again_as_pasted_with_the_wrong_line_in_the_summary(client):
    from applications.models import StaffMember

    world = World()
    app = world.draft()
    client.force_login(world.operator)
    pasted = "张三, 教授, 数字经济, 教师, 专职\n李四, 讲师, 数字经济, 厨师, 专职"
    response = client.post(f"/applications/{app.pk}/staff/add/", {"paste-lines": pasted})
    assert response.status_code == 200
    summary = _summary(response)
    assert "第 2 行" in summary and 'href="#id_paste-lines"' in summary
    assert "李四, 讲师, 数字经济, 厨师, 专职" in response.content.decode()
    assert not StaffMember.objects.exists()


@pytest.mark.django_db
def test_refused_person_is_shown_again_as_typed(client):
    world = World()
    app = world.draft()
    client.force_login(world.operator)
    response = client.post(
        f"/applications/{app.pk}/staff/add/", {"one-name": "王五", "one-title": "研究员", "one-field": ""}
    )
    assert response.status_code == 200
    summary = _summary(response)
    assert 'href="#id_one-field"' in summary and BARE_REQUIRED not in summary
    assert 'value="研究员"' in response.content.decode()


@pytest.mark.django_db
def test_refused_plan_item_is_shown_again_open_and_as_typed(client):
    from tests.plans.conftest import PlanWorld

    pw = PlanWorld()
    plan = pw.plan(items=0)
    client.force_login(pw.operator)
    response = client.post(f"/plans/{plan.pk}/items/", {"title": "我的研修班", "field": "数字经济"})
    assert response.status_code == 200
    summary = _summary(response)
    assert 'href="#id_service_form"' in summary and 'href="#id_planned_trainees"' in summary
    html = response.content.decode()
    assert 'value="我的研修班"' in html and '<details class="mb-4" open>' in html
    assert not plan.items.exists()


@pytest.mark.django_db
def test_refused_registration_keeps_the_input_and_names_each_missing_field(client):
    response = client.post("/accounts/register/", {"name": "某某培训学院", "phone": "abc"})
    assert response.status_code == 200
    summary = _summary(response)
    assert 'href="#id_credit_code"' in summary and BARE_REQUIRED not in summary
    assert 'value="某某培训学院"' in response.content.decode()
