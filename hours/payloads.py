"""What a queued batch keeps while it waits, and what it keeps once it is done — never a plaintext ID number.

A chunk's payload is its records as one encrypted token (the key of the person table, HOURS_ID_KEYS), so that
sealing and opening cost one encryption per chunk, not one per record; the worker opens it just before applying
the chunk. When the batch ends, each chunk's refused records are kept with their reasons, row numbers and a
masked ID number (for the refused-rows download), every payload is emptied and the uploaded workbook is deleted.
"""

import json

from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder

from . import crypto
from .models import IngestChunk


def sealed(records: list) -> dict:
    """Return a chunk's payload: its records as one encrypted token, and how many there are."""
    # DjangoJSONEncoder: a workbook cell may hold a time or a duration (parsing refuses it, with its reason).
    text = json.dumps(records, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)
    return {"records_encrypted": crypto.encrypt(text), "count": len(records)}


def opened(payload) -> list:
    """Return a chunk's records, ID numbers in clear, for the ingestion to check and hash."""
    if isinstance(payload, dict):
        return json.loads(crypto.decrypt(payload["records_encrypted"])) if payload else []
    # A chunk queued before payloads were sealed whole: each record holds its ID number encrypted.
    out = []
    for rec in payload:
        rec = dict(rec)
        token = rec.pop("id_encrypted", None)
        if token is not None:
            rec["id_number"] = crypto.decrypt(token)
        out.append(rec)
    return out


def rotated(payload):
    """Return the payload encrypted with the current key (`manage.py rotate_id_keys`)."""
    if isinstance(payload, dict):
        return (
            {**payload, "records_encrypted": crypto.rotate(payload["records_encrypted"])} if payload else {}
        )
    return [
        {**rec, "id_encrypted": crypto.rotate(rec["id_encrypted"])} if rec.get("id_encrypted") else rec
        for rec in payload
    ]


def upload_name(batch_id) -> str:
    """The storage name of a batch's uploaded workbook (kept only until the batch ends)."""
    return f"hours/uploads/{batch_id}.xlsx"


def batch_seal_after(batch) -> None:
    """Keep each chunk's refused rows (masked), empty every payload and delete the uploaded workbook. One chunk
    is opened at a time."""
    with_refusals = IngestChunk.objects.filter(batch=batch).exclude(refused=[]).values_list("pk", flat=True)
    for chunk_id in list(with_refusals):
        chunk = IngestChunk.objects.only("payload", "refused").get(pk=chunk_id)
        try:
            records = opened(chunk.payload)
        except Exception:  # noqa: BLE001  (its key dropped: the refusals are kept without their records)
            records = []
        rows = {rec["_row"]: rec for rec in records if rec.get("_row") is not None}
        for item in chunk.refused:
            rec = rows.get(item.get("row"))
            if rec is not None and "record" not in item:
                item["record"] = _masked_record(rec)
        chunk.payload = []
        chunk.save(update_fields=["payload", "refused"])
    IngestChunk.objects.filter(batch=batch).update(payload=[])
    default_storage.delete(upload_name(batch.pk))  # nothing to do when there is none


def _masked_record(rec: dict) -> dict:
    out = {k: v for k, v in rec.items() if k not in ("id_number", "_row")}
    id_number = rec.get("id_number")
    out["id_number"] = crypto.mask(id_number) if isinstance(id_number, str) and id_number else ""
    return out
