"""Wait until the local server answers, then say where to go and which demo account to try (`make run`)."""

import time
import urllib.error
import urllib.request

from django.core.management.base import BaseCommand, CommandError

from accounts.demo import demo_accounts_table


class Command(BaseCommand):
    help = "Wait for the server at --url to answer /healthz/, then print where to go and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--timeout", type=float, default=60.0)

    def handle(self, *args, url, timeout, **options):
        url = url.rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise CommandError("--url must be an http:// or https:// address.")
        deadline = time.monotonic() + timeout
        while True:
            try:
                # The scheme is checked above (http or https only).
                with urllib.request.urlopen(f"{url}/healthz/", timeout=2) as response:  # noqa: S310  # nosec B310
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise CommandError(f"The server at {url} did not answer within {timeout:.0f} s.")
            time.sleep(0.3)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"The portal is up: open {url}/ (sign in at {url}/accounts/login/)")
        )
        self.stdout.write(demo_accounts_table())
        self.stdout.write("Stop with Ctrl-C.")
