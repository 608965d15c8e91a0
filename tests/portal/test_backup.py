"""Backups that restore (issue 16): `backup` writes the database and every stored file with a manifest; the drill
backs up, wipes, restores and finds every table's rows and every file's hash again; a damaged backup is refused."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from accounts.models import Organization, User
from audit.models import AuditEvent
from audit.services import audit_record
from portal import backup
from tests.factories import InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the storage follows the setting (Django's setting_changed)
    return settings.MEDIA_ROOT


@pytest.fixture
def world(media):
    institution = InstitutionFactory(name="备份演练学院")
    user = UserFactory(username="drill_user")
    audit_record(actor=user, action="account.created", obj=user, comment="")
    default_storage.save("applications/1/证明材料.pdf", ContentFile(b"%PDF-1.4 drill\n"))
    default_storage.save("hours/uploads/batch.xlsx", ContentFile(b"PK\x03\x04 workbook bytes"))
    assert (media / "hours" / "uploads" / "batch.xlsx").exists()
    return institution, user


def test_drill_restores_every_row_and_every_file(world, tmp_path):
    institution, user = world
    folder, manifest, result = backup.drill(tmp_path / "backups")
    assert result.ok, (result.tables, result.files)
    assert manifest["database"]["tables"]["accounts_organization"] >= 1
    assert set(manifest["files"]) == {"applications/1/证明材料.pdf", "hours/uploads/batch.xlsx"}
    # The rows and files are back after the wipe.
    assert Organization.objects.filter(name="备份演练学院").exists()
    assert User.objects.filter(username="drill_user").exists()
    assert AuditEvent.objects.filter(action="account.created").exists()
    with default_storage.open("applications/1/证明材料.pdf", "rb") as fh:
        assert fh.read() == b"%PDF-1.4 drill\n"


def test_compare_reports_missing_rows_and_changed_files(world, tmp_path):
    folder = backup.backup(tmp_path / "backups")
    manifest = backup.read_manifest(folder)
    Organization.objects.filter(name="备份演练学院").delete()
    default_storage.delete("hours/uploads/batch.xlsx")
    default_storage.save("hours/uploads/batch.xlsx", ContentFile(b"something else"))
    result = backup.compare(manifest)
    assert not result.ok
    assert tuple(t for t, _e, _f in result.tables if t == "accounts_organization") == (
        "accounts_organization",
    )
    assert result.files == [("hours/uploads/batch.xlsx", "content differs")]


def test_a_damaged_dump_is_refused_before_anything_is_replaced(world, tmp_path):
    folder = backup.backup(tmp_path / "backups")
    with open(folder / backup.DUMP, "ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(backup.BackupError, match="does not match"):
        backup.restore(folder)
    assert Organization.objects.filter(name="备份演练学院").exists()


def test_commands_back_up_and_ask_before_restoring(world, tmp_path, capsys):
    call_command("backup", str(tmp_path / "backups"))
    out = capsys.readouterr().out
    assert "Backup written to" in out
    folder = next((tmp_path / "backups").iterdir())
    assert json.loads((folder / "manifest.json").read_text())["format"] == 1
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(folder))
    with pytest.raises(CommandError, match="--yes"):
        call_command("backup_drill", str(tmp_path / "again"))
    call_command("restore", str(folder), "--yes")
    assert "matches the manifest" in capsys.readouterr().out
