"""The ground layer on its own: page helpers, the audit hook of the layers below audit, stored files."""

from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from applications.demo import tiny_pdf
from kit import trail
from kit.errors import InvalidInput, WrongState
from kit.pages import found_or_404, showing_refusal, transition_from_post
from kit.uploads import stored_file_fields


@dataclass(frozen=True)
class Spec:
    label: str


class FakeMachine:
    """What kit needs of a workflow machine: `run` and `table` (kit imports no engine)."""

    table = {"approve": Spec("批准")}

    def __init__(self, refusal=None):
        self.calls, self.refusal = [], refusal

    def run(self, target, action, *, actor, comment="", **data):
        self.calls.append((target, action, actor, comment, data))
        if self.refusal:
            raise self.refusal


def post(rf, data):
    request = rf.post("/", data)
    request.user = "someone"
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_transition_from_post_runs_the_named_action_and_says_so(rf):
    machine, request = FakeMachine(), post(rf, {"action": "approve", "comment": "同意"})
    assert transition_from_post(request, machine, 7, extra={"k": 1}) is True
    assert machine.calls == [(7, "approve", "someone", "同意", {"k": 1})]
    assert [str(m) for m in get_messages(request)] == ["已完成：批准。"]


def test_transition_from_post_shows_a_refusal_and_reports_failure(rf):
    machine, request = FakeMachine(WrongState("已处理")), post(rf, {"action": "approve"})
    assert transition_from_post(request, machine, 7) is False
    assert [str(m) for m in get_messages(request)] == ["已处理"]


def test_showing_refusal_skips_the_rest_of_the_block_and_keeps_going(rf):
    request, after = post(rf, {}), []
    with showing_refusal(request, message_only=True):
        raise InvalidInput("金额无效", field_errors={"fee": ["金额无效"]})
        after.append("unreached")  # noqa: B018 (what follows the refused call must not run)
    assert after == [] and [str(m) for m in get_messages(request)] == ["金额无效"]


def test_found_or_404():
    assert found_or_404(3) == 3
    with pytest.raises(Http404):
        found_or_404(None)


def test_the_trail_needs_a_recorder_and_passes_events_to_it(monkeypatch):
    monkeypatch.setattr(trail, "_recorder", None)
    with pytest.raises(ImproperlyConfigured):
        trail.record(action="account.created")
    seen = []
    trail.register_recorder(lambda **event: seen.append(event) or "row")
    assert trail.record(action="account.created", comment="x") == "row"
    assert seen == [{"action": "account.created", "comment": "x"}]


def test_the_audit_app_registers_its_recorder():
    from audit.services import audit_record

    assert trail._recorder is audit_record


def test_stored_file_fields_checks_the_content_and_keeps_the_name():
    upload = SimpleUploadedFile("证明.pdf", tiny_pdf("证明"), content_type="text/plain")
    fields = stored_file_fields(upload)
    assert (fields["original_name"], fields["content_type"], fields["size"]) == (
        "证明.pdf",
        "application/pdf",
        upload.size,
    )
    assert len(fields["sha256"]) == 64
    assert "sha256" not in stored_file_fields(upload, with_sha256=False)
    with pytest.raises(InvalidInput):
        stored_file_fields(SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf"))
