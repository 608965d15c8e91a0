"""Storing evidence documents of change requests and misconduct reports (checked like application uploads)."""

from kit.uploads import check_upload

from .models import Evidence


def store_evidence(upload, *, change_request=None, report=None) -> Evidence:
    checked = check_upload(upload)
    return Evidence.objects.create(
        change_request=change_request,
        report=report,
        file=upload,
        original_name=(upload.name or "")[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
