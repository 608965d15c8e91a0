"""A queued batch's outcome is kept per chunk (accepted external_ids, refusals) with counts on the batch, instead
of two lists on the batch rewritten whole after every chunk. Existing batches keep their outcome: the counts are
taken from their lists, and their accepted list moves to their first chunk."""

from django.db import migrations, models


def move_outcome_to_chunks(apps, schema_editor):
    IngestBatch = apps.get_model("hours", "IngestBatch")
    IngestChunk = apps.get_model("hours", "IngestChunk")
    for batch in IngestBatch.objects.iterator(chunk_size=100):
        batch.accepted_count, batch.refused_count = len(batch.accepted), len(batch.refused)
        batch.save(update_fields=["accepted_count", "refused_count"])
        if batch.accepted:
            chunk, _created = IngestChunk.objects.get_or_create(
                batch=batch, index=0, defaults={"payload": [], "applied": True}
            )
            chunk.accepted = batch.accepted
            chunk.save(update_fields=["accepted"])


class Migration(migrations.Migration):
    dependencies = [
        ("hours", "0006_work_region"),
    ]

    operations = [
        migrations.AddField(
            model_name="ingestbatch",
            name="accepted_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ingestbatch",
            name="refused_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="ingestchunk",
            name="accepted",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="ingestchunk",
            name="refused",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(move_outcome_to_chunks, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="ingestbatch",
            name="accepted",
        ),
    ]
