# Issue 47: the deciding and the signing unit are texts of the institution, as its name is.

import estandares.entradas
from django.db import migrations
from django.db.models import F


def unidades_de_cada_version(apps, schema_editor):
    """Every version keeps saying what the pages said under it: the Dirección General decides
    (the field's default) and the institution itself signs."""
    Textos = apps.get_model("dictamenes", "TextosInstitucionales")
    Textos.objects.update(unidad_firma=F("institucion"))


class Migration(migrations.Migration):
    dependencies = [
        ("dictamenes", "0031_contrato_condicion_previa"),
    ]

    operations = [
        migrations.AddField(
            model_name="textosinstitucionales",
            name="unidad_resuelve",
            field=estandares.entradas.TextoCorto(
                default="Dirección General",
                help_text=(
                    "Quien decide cada solicitud en la revisión estratégica, como se nombra tras "
                    "«la» en una frase: «la … resolvió»."
                ),
                max_length=200,
                verbose_name="unidad que resuelve",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="textosinstitucionales",
            name="unidad_firma",
            field=estandares.entradas.TextoCorto(
                default="",
                help_text=(
                    "La unidad cuya persona titular firma los dictámenes, como se nombra tras "
                    "«la» en una frase: «la persona titular de la … firma»."
                ),
                max_length=200,
                verbose_name="unidad que firma",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(unidades_de_cada_version, migrations.RunPython.noop),
    ]
