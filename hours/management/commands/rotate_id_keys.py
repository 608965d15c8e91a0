"""Re-encrypt every stored ID number — people and queued batches — with the current cipher and key.

Rotating a key: put a new key first in HOURS_ID_KEYS (Fernet) or HOURS_SM4_KEYS (SM4), keep the old ones after
it, deploy, run this command, then remove the old keys. Moving to 国密: set HOURS_ID_CIPHER=sm4 and
HOURS_SM4_KEYS, keep HOURS_ID_KEYS, deploy, run this command, then drop HOURS_ID_KEYS. The look-up hash is
unchanged, so look-ups keep working throughout.

`--rehash` also recomputes every person's look-up hash under the current HOURS_HASH_KEY/HOURS_HASH_ALGORITHM
(after switching to HMAC-SM3, say). Until it has finished people not yet re-hashed are not found, so run it with
ingestion stopped.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from hours import crypto, payloads
from hours.models import IngestChunk, Person


class Command(BaseCommand):
    help = (
        "Re-encrypt stored resident ID numbers with the current cipher (HOURS_ID_CIPHER) and its first key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--rehash", action="store_true", help="also recompute the look-up hashes (HOURS_HASH_ALGORITHM)"
        )

    def handle(self, *args, **options):
        crypto.reset_key_cache()
        done = self._rotate_people(options["batch_size"], rehash=options["rehash"])
        chunks = self._rotate_chunks()
        self.stdout.write(
            self.style.SUCCESS(f"re-encrypted {done} ID number(s) and {chunks} queued record(s)")
        )

    def _rotate_people(self, size: int, *, rehash: bool) -> int:
        fields = ["id_encrypted", "id_hash"] if rehash else ["id_encrypted"]
        last_id, done = 0, 0
        while True:
            with transaction.atomic():
                people = list(Person.objects.select_for_update().filter(pk__gt=last_id).order_by("pk")[:size])
                if not people:
                    return done
                for p in people:
                    if rehash:
                        p.id_hash = crypto.lookup_hash(crypto.decrypt(p.id_encrypted))
                    p.id_encrypted = crypto.rotate(p.id_encrypted)
                Person.objects.bulk_update(people, fields)
            last_id, done = people[-1].pk, done + len(people)

    def _rotate_chunks(self) -> int:
        """Chunks hold encrypted ID numbers until their batch ends and empties them (applied or not yet)."""
        done = 0
        for chunk_id in (
            IngestChunk.objects.exclude(payload=[]).exclude(payload={}).values_list("pk", flat=True)
        ):
            with transaction.atomic():
                chunk = IngestChunk.objects.select_for_update().get(pk=chunk_id)
                chunk.payload = payloads.rotated(chunk.payload)
                chunk.save(update_fields=["payload"])
                done += (
                    chunk.payload.get("count", 0) if isinstance(chunk.payload, dict) else len(chunk.payload)
                )
        return done
