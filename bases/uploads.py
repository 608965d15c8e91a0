"""Storing evidence documents of change requests and misconduct reports (checked like application uploads)."""

from kit.uploads import stored_file_fields

from .models import Evidence


def store_evidence(upload, *, change_request=None, report=None) -> Evidence:
    return Evidence.objects.create(change_request=change_request, report=report, **stored_file_fields(upload))
