"""Load Sichuan's province, 21 prefectures and 183 counties (GB/T 2260) from accounts/data/sichuan-regions.csv.

The preference flags are loaded as defaults only; the provincial administrator edits them afterwards (R-20).
Re-running creates only missing codes: it never overwrites flags an administrator changed, nor deletes a code.
"""

from django.db import migrations


def load(apps, schema_editor):
    from accounts.regions import load_regions

    load_regions(apps.get_model("accounts", "Region"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
