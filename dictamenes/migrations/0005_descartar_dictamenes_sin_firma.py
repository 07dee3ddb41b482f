from django.db import migrations


def descartar(apps, schema_editor):
    # Before e.firma signing existed, a confirmation created unsigned dictamen rows (only in
    # development databases). They cannot be verified, so they do not survive this change.
    apps.get_model("dictamenes", "Dictamen").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("dictamenes", "0004_plazos_por_omision")]

    operations = [migrations.RunPython(descartar, migrations.RunPython.noop)]
