# Where a trainee works: an optional county on each record, and the latest one known on the person. Both
# columns are nullable, so adding them rewrites no rows of the big tables.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_load_regions"),
        ("hours", "0005_id_blocks"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="work_region",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.region",
                verbose_name="工作地区",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="work_region_on",
            field=models.DateField(blank=True, null=True, verbose_name="工作地区确认日期"),
        ),
        migrations.AddField(
            model_name="trainingrecord",
            name="work_region",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.region",
                verbose_name="工作地区",
            ),
        ),
    ]
