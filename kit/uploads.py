"""Checks on uploaded documents: type by content (not by name), size, and zip-bomb safety for DOCX/XLSX."""

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from kit.errors import InvalidInput

ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png", "docx": "docx", "xlsx": "xlsx"}
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    content_type: str
    size: int
    sha256: str


def _sniff(head: bytes, upload) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as zf:
                infos = zf.infolist()
                if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
                    return None
                names = {i.filename for i in infos}
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def check_upload(upload) -> CheckedUpload:
    """Accept PDF, JPG, PNG, DOCX or XLSX of at most 20 MB whose content matches its extension."""
    name = upload.name or ""
    ext = EXTENSIONS.get(name.rsplit(".", 1)[-1].lower() if "." in name else "")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput(
            _("文件“%(name)s”超过 20 MB。") % {"name": name},
            field_errors={"file": [_("文件不得超过 20 MB。")]},
        )
    if upload.size == 0:
        raise InvalidInput(
            _("文件“%(name)s”为空。") % {"name": name}, field_errors={"file": [_("文件为空。")]}
        )
    upload.seek(0)
    head = upload.read(8)
    kind = _sniff(head, upload)
    if ext is None or kind is None or kind != ext:
        message = _("仅接受 PDF、JPG、PNG、DOCX、XLSX 文件，且文件内容须与扩展名一致。")
        raise InvalidInput(message, field_errors={"file": [message]})
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(kind=kind, content_type=ALLOWED[kind], size=upload.size, sha256=digest.hexdigest())


def stored_file_fields(upload, *, with_sha256: bool = True) -> dict:
    """Check an upload and return the columns every stored document has: the file, its name as sent, its type
    by content, its size (and its SHA-256)."""
    checked = check_upload(upload)
    fields = {
        "file": upload,
        "original_name": (upload.name or "")[:200],
        "content_type": checked.content_type,
        "size": checked.size,
    }
    if with_sha256:
        fields["sha256"] = checked.sha256
    return fields
