"""Load Sichuan's regions (GB/T 2260) from accounts/data/sichuan-regions.csv."""

import csv
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "data" / "sichuan-regions.csv"
LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2}


def load_regions(region_model) -> int:
    """Create the regions that are missing; never overwrite edited flags or delete a code. Return how many."""
    with CSV_PATH.open(encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: LEVEL_ORDER[r["level"]])
    existing = set(region_model.objects.values_list("code", flat=True))
    created = 0
    for row in rows:
        if row["code"] in existing:
            continue
        region_model.objects.create(
            code=row["code"],
            name=row["name"],
            level=row["level"],
            parent_id=row["parent_code"] or None,
            is_ethnic_area=row["ethnic_area"] == "1",
            is_old_revolutionary_area=row["old_revolutionary_area"] == "1",
        )
        created += 1
    return created
