"""What a queued batch keeps while it waits, and what it keeps once it is done — never a plaintext ID number.

A chunk's payload holds each record with its ID number encrypted like the person table (`id_encrypted`); the
worker decrypts it just before applying the chunk. When the batch ends, the refused records are kept with
their reasons, row numbers and a masked ID number (for the refused-rows download), every payload is emptied
and the uploaded workbook is deleted.
"""

import contextlib

from django.conf import settings

from . import crypto
from .models import IngestChunk


def sealed(records: list) -> list:
    """Return the records for a chunk, each ID number replaced by its encrypted form."""
    out = []
    for rec in records:
        rec = dict(rec)
        id_number = rec.pop("id_number", None)
        if isinstance(id_number, str) and id_number:
            rec["id_encrypted"] = crypto.encrypt(id_number)
        elif id_number is not None:
            rec["id_number"] = id_number  # not a string: parsing refuses it, and it cannot be an ID number
        out.append(rec)
    return out


def opened(payload: list) -> list:
    """Return a chunk's records with their ID numbers decrypted, for the ingestion to check and hash."""
    out = []
    for rec in payload:
        rec = dict(rec)
        token = rec.pop("id_encrypted", None)
        if token is not None:
            rec["id_number"] = crypto.decrypt(token)
        out.append(rec)
    return out


def upload_path(batch_id):
    return settings.MEDIA_ROOT / "hours" / "uploads" / f"{batch_id}.xlsx"


def batch_seal_after(batch) -> None:
    """Keep the refused rows (masked) on the batch, empty every payload and delete the uploaded workbook."""
    rows = {}
    for chunk in IngestChunk.objects.filter(batch=batch).only("payload"):
        for rec in chunk.payload:
            if rec.get("_row") is not None:
                rows[rec["_row"]] = rec
    for item in batch.refused:
        rec = rows.get(item.get("row"))
        if rec is not None and "record" not in item:
            item["record"] = _masked_record(rec)
    batch.save(update_fields=["refused"])
    IngestChunk.objects.filter(batch=batch).update(payload=[])
    with contextlib.suppress(FileNotFoundError):
        upload_path(batch.pk).unlink()


def _masked_record(rec: dict) -> dict:
    out = {k: v for k, v in rec.items() if k not in ("id_encrypted", "id_number", "_row")}
    token = rec.get("id_encrypted")
    try:
        out["id_number"] = crypto.mask(crypto.decrypt(token)) if token else ""
    except Exception:  # noqa: BLE001  (an undecryptable token shows no ID at all)
        out["id_number"] = ""
    return out
