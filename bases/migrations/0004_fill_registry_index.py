"""Fill the registry columns (city, fields, search text) of bases created before every path set them.

Bases recognised through the portal had empty columns until their first approved change request, so the public
search and the city filter did not find them.
"""

from django.db import migrations

from bases.indexing import INDEX_FIELDS, index_columns


def fill_registry_index(apps, schema_editor):
    Base = apps.get_model("bases", "Base")
    stale = []
    for base in Base.objects.select_related("institution", "region__parent").iterator(chunk_size=500):
        columns = index_columns(
            name=base.name,
            institution=base.institution,
            fields=base.fields,
            region=base.region,
            certificate_no=base.certificate_no,
        )
        if any(getattr(base, attr) != value for attr, value in columns.items()):
            for attr, value in columns.items():
                setattr(base, attr, value)
            stale.append(base)
    Base.objects.bulk_update(stale, INDEX_FIELDS, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("bases", "0003_alter_notice_kind")]

    operations = [migrations.RunPython(fill_registry_index, migrations.RunPython.noop)]
