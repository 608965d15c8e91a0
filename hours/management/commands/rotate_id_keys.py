"""Re-encrypt every stored ID number — people and queued batches — with the current key (the first of
HOURS_ID_KEYS).

Rotation: put a new key first in HOURS_ID_KEYS (keep the old ones after it), deploy, run this command, then
remove the old keys. The look-up hash (HOURS_HASH_KEY) is unchanged, so look-ups keep working throughout.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from hours import crypto, payloads
from hours.models import IngestChunk, Person


class Command(BaseCommand):
    help = "Re-encrypt stored resident ID numbers with the first key of HOURS_ID_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, **options):
        crypto.reset_key_cache()
        size = options["batch_size"]
        last_id, done = 0, 0
        while True:
            with transaction.atomic():
                people = list(Person.objects.select_for_update().filter(pk__gt=last_id).order_by("pk")[:size])
                if not people:
                    break
                for p in people:
                    p.id_encrypted = crypto.rotate(p.id_encrypted)
                Person.objects.bulk_update(people, ["id_encrypted"])
            last_id, done = people[-1].pk, done + len(people)
        chunks = self._rotate_chunks()
        self.stdout.write(
            self.style.SUCCESS(f"re-encrypted {done} ID number(s) and {chunks} queued record(s)")
        )

    def _rotate_chunks(self) -> int:
        """Queued batches hold encrypted ID numbers too, until their worker applies them."""
        done = 0
        for chunk_id in IngestChunk.objects.filter(applied=False).values_list("pk", flat=True):
            with transaction.atomic():
                chunk = IngestChunk.objects.select_for_update().get(pk=chunk_id)
                chunk.payload = payloads.rotated(chunk.payload)
                chunk.save(update_fields=["payload"])
                done += (
                    chunk.payload.get("count", 0) if isinstance(chunk.payload, dict) else len(chunk.payload)
                )
        return done
