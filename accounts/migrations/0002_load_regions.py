"""Load Sichuan's province, 21 prefectures and 183 counties (GB/T 2260) from accounts/data/sichuan-regions.csv.

The preference flags are loaded as defaults only; the provincial administrator edits them afterwards (R-20).
Re-running updates names but never overwrites flags an administrator changed, and never deletes a code.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "sichuan-regions.csv"


def load_regions(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    with CSV_PATH.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # Parents before children: province, then prefectures, then counties.
    order = {"province": 0, "prefecture": 1, "county": 2}
    for row in sorted(rows, key=lambda r: order[r["level"]]):
        Region.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "level": row["level"],
                "parent_id": row["parent_code"] or None,
                "is_ethnic_area": row["ethnic_area"] == "1",
                "is_old_revolutionary_area": row["old_revolutionary_area"] == "1",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
