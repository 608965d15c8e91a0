"""Work regions of a batch (R-20): the county codes a record may name, read once per batch, and each person's
latest known work region, written in one statement."""

from django.db import connection

from accounts.models import Region

from ..models import Person
from .lookups import _is_postgresql


def _county_codes(records) -> frozenset:
    """Return the codes of Sichuan's counties in use, when a record of the batch names a work region; no query
    otherwise (most platforms do not send one)."""
    if not any(type(raw) is dict and raw.get("work_region") not in (None, "") for raw in records):
        return frozenset()
    return frozenset(
        Region.objects.filter(level=Region.Level.COUNTY, is_active=True).values_list("code", flat=True)
    )


PERSON_REGION_SQL = (
    "UPDATE hours_person AS p SET work_region_id = u.r, work_region_on = u.d "
    "FROM unnest(%s::bigint[], %s::text[], %s::date[]) AS u(id, r, d) "
    "WHERE p.id = u.id AND (p.work_region_on IS NULL OR p.work_region_on < u.d "
    "OR (p.work_region_on = u.d AND p.work_region_id IS DISTINCT FROM u.r))"
)


def _note_work_regions(valid, existing, closed, person_ids) -> None:
    """Set each person's work region to the one of their latest record in the batch that names one, unless a
    record completed later already gave theirs. Records refused for a closed year say nothing."""
    latest = {}
    for rec in valid:
        old = existing.get(rec["external_id"])
        if rec["work_region"] is None or (old is not None and old.year in closed):
            continue
        person_id = person_ids[rec["id_hash"]]
        if person_id not in latest or latest[person_id][1] <= rec["completed_on"]:
            latest[person_id] = (rec["work_region"], rec["completed_on"])
    if not latest:
        return
    # In id order, so that batches updating the same people lock their rows in the same order.
    ids = sorted(latest)
    if _is_postgresql():
        with connection.cursor() as cur:
            cur.execute(PERSON_REGION_SQL, [ids, [latest[i][0] for i in ids], [latest[i][1] for i in ids]])
        return
    _note_work_regions_orm(latest)


def _note_work_regions_orm(latest) -> None:
    """Do what PERSON_REGION_SQL does through the ORM (SQLite, in development)."""
    changed = []
    for pk, region, since in Person.objects.filter(pk__in=latest).values_list(
        "pk", "work_region_id", "work_region_on"
    ):
        new_region, on = latest[pk]
        if since is None or since < on or (since == on and region != new_region):
            changed.append(Person(pk=pk, work_region_id=new_region, work_region_on=on))
    Person.objects.bulk_update(changed, ["work_region", "work_region_on"], batch_size=1000)
