"""Every audit action code has words, in Chinese and in English, and so has every workflow state (R-37 audit
trail: the audit page, its filter, the Excel export and every history show words, never codes)."""

import ast
import io
import pathlib

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from audit.labels import action_label, known_actions, state_label
from audit.services import audit_record
from bases import workflow as base_workflow
from engine.machine import Machine
from inspections import workflow as inspection_workflow
from plans import workflow as plan_workflow

ROOT = pathlib.Path(__file__).resolve().parents[2]
PRODUCTION = [
    p
    for p in ROOT.glob("*/**/*.py")
    if not any(part in {".venv", "node_modules", "tests", "migrations"} for part in p.relative_to(ROOT).parts)
]


def written_codes() -> set[str]:
    """Return the action codes production code passes to `audit_record(action="...")` as literals."""
    codes = set()
    for path in PRODUCTION:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if (
                        kw.arg == "action"
                        and isinstance(kw.value, ast.Constant)
                        and "." in str(kw.value.value)
                    ):
                        codes.add(kw.value.value)
                    # action="a" if x else "b"
                    if kw.arg == "action" and isinstance(kw.value, ast.IfExp):
                        for branch in (kw.value.body, kw.value.orelse):
                            if isinstance(branch, ast.Constant):
                                codes.add(branch.value)
    return codes


def machines() -> list[Machine]:
    from applications import workflow as application_workflow

    return [
        application_workflow.MACHINE,
        plan_workflow.MACHINE,
        base_workflow.MACHINE,
        base_workflow.BASE,
        inspection_workflow.INSPECTION,
        inspection_workflow.ASSESSMENT,
        inspection_workflow.MACHINE,
    ]


def every_code() -> set[str]:
    codes = written_codes()
    for machine in machines():
        codes |= {machine.code(action) for action in machine.table}
    return codes


def test_the_scan_finds_the_codes_it_should():
    codes = every_code()
    assert {"auth.login", "hours.person_lookup", "plan.return", "inspection.scored", "base.revoked"} <= codes
    assert len(codes) > 60


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_action_code_has_a_label(language):
    with translation.override(language):
        unlabelled = sorted(code for code in every_code() if action_label(code) == code)
    assert unlabelled == []


def test_english_labels_are_translated():
    untranslated = []
    for code in sorted(every_code()):
        with translation.override("zh-hans"):
            chinese = action_label(code)
        with translation.override("en"):
            english = action_label(code)
        if english == chinese:
            untranslated.append(code)
    assert untranslated == []


def test_every_state_of_every_machine_has_words():
    for machine in machines():
        object_type = machine.model._meta.label_lower
        for value, _label in machine.model._meta.get_field(machine.state_field).choices:
            with translation.override("en"):
                assert state_label(object_type, value) != value, (object_type, value)


def test_an_unknown_code_is_shown_as_it_is():
    assert action_label("no.such_code") == "no.such_code"
    assert "no.such_code" not in known_actions()


@pytest.mark.django_db
def test_the_audit_page_and_its_export_show_words(client, provincial_admin, audit_admin):
    audit_record(
        actor=provincial_admin,
        action="inspection.scored",
        object_type="inspections.inspection",
        object_id="1",
        from_state="planned",
        to_state="scored",
    )
    client.force_login(audit_admin)
    page = client.get(reverse("audit:events")).content.decode()
    assert "录入检查结果" in page and "待检查 → 待确认" in page
    assert '<option value="inspection.scored">录入检查结果</option>' in page
    response = client.get(reverse("audit:export"))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    scored = next(row for row in rows if "inspection.scored" in row)
    assert {"录入检查结果", "待检查", "待确认"} <= set(scored)
