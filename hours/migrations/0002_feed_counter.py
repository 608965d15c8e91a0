from django.db import migrations


def create_counter(apps, schema_editor):
    apps.get_model("hours", "FeedCounter").objects.get_or_create(id=1, defaults={"last": 0})


class Migration(migrations.Migration):
    dependencies = [("hours", "0001_initial")]
    operations = [migrations.RunPython(create_counter, migrations.RunPython.noop)]
