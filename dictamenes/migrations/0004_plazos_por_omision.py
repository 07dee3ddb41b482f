from django.db import migrations

PLAZOS = {
    "admision": 2,
    "subsanar": 5,
    "revision_area": 5,
    "revision_estrategica": 3,
    "firma": 2,
}


def crear(apps, schema_editor):
    PlazoEtapa = apps.get_model("dictamenes", "PlazoEtapa")
    for etapa, dias in PLAZOS.items():
        PlazoEtapa.objects.get_or_create(etapa=etapa, defaults={"dias_habiles": dias})


class Migration(migrations.Migration):
    dependencies = [("dictamenes", "0003_solicitudes")]

    operations = [migrations.RunPython(crear, migrations.RunPython.noop)]
