# The records and persons tables are written by COPY with ids drawn beforehand. Their identity sequences step by
# 10,000 so that one nextval reserves a block of ids (hours.ingest.pgcopy._next_ids) instead of one call per row.

from django.db import migrations

TABLES = ("hours_trainingrecord", "hours_person")


def step_by(increment):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite (development) numbers rows itself; ingestion uses the ORM there
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET INCREMENT BY {increment}")

    return run


class Migration(migrations.Migration):
    dependencies = [("hours", "0004_leaner_indexes")]

    operations = [migrations.RunPython(step_by(10_000), step_by(1))]
