"""Create demo data so that every screen has something to show. Idempotent; refuses to run without the
development defaults (DEBUG=1 or PORTAL_ENV=development)."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from accounts.demo import demo_accounts_table

# Each app with demo data has a `demo.seed(*, stdout, context)`; they run in dependency order and pass on
# what they created through `context`.
DEMO_MODULES = [
    "accounts.demo",
    "applications.demo",
    "bases.demo",
    "plans.demo",
    "inspections.demo",
    "hours.demo",
    "stats.demo",
    "accounts.demo_two_factor",  # last: every staff account exists by then
]


class Command(BaseCommand):
    help = "Create demo organizations, accounts and workflow data (development only)."

    def handle(self, *args, **options):
        if not (settings.DEBUG or getattr(settings, "DEV_DEFAULTS", False)):
            raise CommandError(
                "seed_demo creates accounts with a published password: "
                "it runs only with DEBUG=1 or PORTAL_ENV=development."
            )

        context = {}
        # Demo notifications still land in the inboxes; their e-mails are kept in memory, not printed.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            for name in DEMO_MODULES:
                result = import_module(name).seed(stdout=self.stdout, context=context)
                if isinstance(result, dict):
                    context.update(result)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(demo_accounts_table())
