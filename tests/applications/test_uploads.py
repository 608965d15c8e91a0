"""Uploads: PDF, JPG, PNG, DOCX, XLSX only, checked by content, at most 20 MB, served only to who may see them."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from applications import services
from applications.demo import tiny_pdf
from kit.errors import InvalidInput

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def docx_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    return buf.getvalue()


def xlsx_bytes():
    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.pdf", tiny_pdf("a")),
        ("a.png", PNG),
        ("a.jpg", JPG),
        ("a.jpeg", JPG),
        ("a.docx", docx_bytes()),
        ("a.xlsx", xlsx_bytes()),
    ],
)
def test_allowed_types_are_accepted(world, name, content):
    app = world.draft()
    attachment = services.attachment_upload(
        actor=world.operator, application=app, kind="other", upload=SimpleUploadedFile(name, content)
    )
    assert attachment.size == len(content)
    assert len(attachment.sha256) == 64
    assert name not in attachment.file.name  # stored under a random name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 64),  # a Windows executable renamed .pdf
        ("photo.png", tiny_pdf("x")),  # a PDF pretending to be a PNG
        ("report.docx", xlsx_bytes()),  # a workbook renamed .docx
        ("fake.docx", b"PK\x03\x04not really a zip"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("noextension", tiny_pdf("x")),
    ],
)
def test_forged_or_disallowed_types_are_refused_and_nothing_is_saved(world, name, content):
    app = world.draft()
    with pytest.raises(InvalidInput, match="仅接受"):
        services.attachment_upload(
            actor=world.operator, application=app, kind="other", upload=SimpleUploadedFile(name, content)
        )
    assert not app.attachments.exists()


def test_file_over_20_mb_is_refused(world, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    app = world.draft()
    with pytest.raises(InvalidInput, match="20 MB"):
        services.attachment_upload(
            actor=world.operator,
            application=app,
            kind="other",
            upload=SimpleUploadedFile("big.pdf", tiny_pdf("x") + b" " * 2000),
        )
    assert not app.attachments.exists()


def test_zip_bomb_is_refused(world, monkeypatch):
    import kit.uploads as uploads

    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED", 10)
    app = world.draft()
    with pytest.raises(InvalidInput):
        services.attachment_upload(
            actor=world.operator,
            application=app,
            kind="other",
            upload=SimpleUploadedFile("a.docx", docx_bytes()),
        )


def test_rule_document_replaces_the_previous_one(world):
    app = world.draft()
    first = services.attachment_upload(
        actor=world.operator,
        application=app,
        kind="rule_funds",
        upload=SimpleUploadedFile("v1.pdf", tiny_pdf("1")),
    )
    second = services.attachment_upload(
        actor=world.operator,
        application=app,
        kind="rule_funds",
        upload=SimpleUploadedFile("v2.pdf", tiny_pdf("2")),
    )
    first.refresh_from_db()
    assert not first.is_current and second.is_current


def test_upload_through_the_page_with_forged_type_shows_message(client, world):
    app = world.draft()
    client.force_login(world.operator)
    response = client.post(
        reverse("applications:attachment_upload", args=[app.pk]),
        {"kind": "rule_funds", "step": "management", "file": SimpleUploadedFile("x.pdf", b"GIF89a....")},
        follow=True,
    )
    assert "仅接受 PDF" in response.content.decode()
    assert not app.attachments.exists()


def test_documents_are_served_only_to_people_who_may_see_the_application(client, world):
    app = world.submitted()
    doc = app.attachments.filter(kind="rule_funds", is_current=True).get()
    url = reverse("applications:attachment", args=[doc.pk])
    client.force_login(world.operator)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(world.cd_reviewer)
    assert client.get(url).status_code == 200
    client.force_login(world.other_operator)
    assert client.get(url).status_code == 404
    client.force_login(world.my_reviewer)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
