"""Ingestion of training records (R-23, R-31): validate each record, then apply the accepted ones in one
transaction. The same external_id with the same content changes nothing; with new content it is a correction
kept in the history, until the year is closed.

Sized for provincial volume: one query each for classes, closed years, persons and existing records per batch;
on PostgreSQL new rows go in with COPY.

A batch goes through the modules in this order: `parse` (checks that need no database), `lookups` (the batch's
few queries), `checks` (classes, closed years, the per-class cap), `persons` and `write` (the transaction's
writes; `pgcopy` for PostgreSQL's COPY); `batch` drives them and retries; `void` voids records.
"""

from .batch import duplicate_refusal, ingest_records, split_duplicates
from .outcome import Outcome
from .void import records_void

__all__ = ["Outcome", "duplicate_refusal", "ingest_records", "records_void", "split_duplicates"]
