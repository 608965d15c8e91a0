# Fewer, better-shaped indexes on the hours tables, which take millions of rows a year: every index is paid on each
# insert. The new ones are created before the ones they replace are dropped.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bases", "0003_alter_notice_kind"),
        ("hours", "0003_person_year_index_includes_class"),
        ("plans", "0001_initial"),
    ]

    operations = [
        # (person, year, class): the per-class cap probes all three; the person-year summary reads the prefix.
        migrations.AddIndex(
            model_name="trainingrecord",
            index=models.Index(
                fields=["person", "year", "klass"],
                include=("subject", "hours", "status"),
                name="record_person_year_class_idx",
            ),
        ),
        migrations.RemoveIndex(model_name="trainingrecord", name="record_person_year_idx"),
        # A plain unique constraint on the hash: unique=True also built a LIKE-pattern index nothing uses.
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(fields=("id_hash",), name="person_id_hash_unique"),
        ),
        migrations.AlterField(model_name="person", name="id_hash", field=models.CharField(max_length=64)),
        # The single-column base and person indexes are prefixes of (base, external_id), (base, year) and
        # (person, year, class); nothing reads records or feed entries by class or record alone. References from
        # the two high-volume tables are kept by the ingestion service, not checked per row (see the model).
        migrations.AlterField(
            model_name="trainingrecord",
            name="base",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="bases.base",
            ),
        ),
        migrations.AlterField(
            model_name="trainingrecord",
            name="klass",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="plans.trainingclass",
                verbose_name="培训班",
            ),
        ),
        migrations.AlterField(
            model_name="trainingrecord",
            name="person",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="hours.person",
            ),
        ),
        migrations.AlterField(
            model_name="feedentry",
            name="record",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="hours.trainingrecord",
            ),
        ),
    ]
