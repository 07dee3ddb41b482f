"""The free text that is published (title, justification, item descriptions, decision
explanations, conditions, a cancellation's reason, the contract's number and supplier, the
reasons catalogue) refuses personal data (estandares.datos_personales). Only validators
change: no SQL (sqlmigrate says no-op)."""

import estandares.datos_personales
import estandares.entradas
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dictamenes", "0035_fraccionamiento"),
    ]

    operations = [
        migrations.AlterField(
            model_name="condicion",
            name="texto",
            field=estandares.entradas.TextoLargo(
                max_length=10000,
                validators=[estandares.datos_personales.SinDatosPersonales()],
                verbose_name="condición",
            ),
        ),
        migrations.AlterField(
            model_name="contrato",
            name="numero",
            field=estandares.entradas.TextoCorto(
                max_length=100,
                validators=[estandares.datos_personales.SinDatosPersonales()],
                verbose_name="número de contrato",
            ),
        ),
        migrations.AlterField(
            model_name="contrato",
            name="proveedor",
            field=estandares.entradas.TextoCorto(
                max_length=200,
                validators=[estandares.datos_personales.SinDatosPersonales()],
                verbose_name="proveedor",
            ),
        ),
        migrations.AlterField(
            model_name="decisionpartida",
            name="texto",
            field=estandares.entradas.TextoLargo(
                blank=True,
                max_length=10000,
                validators=[estandares.datos_personales.SinDatosPersonales()],
                verbose_name="explicación",
            ),
        ),
        migrations.AlterField(
            model_name="dictamen",
            name="condiciones",
            field=estandares.entradas.TextoLargo(
                blank=True,
                max_length=10000,
                validators=[estandares.datos_personales.SinDatosPersonales()],
                verbose_name="condiciones",
            ),
        ),
        migrations.AlterField(
            model_name="dictamen",
            name="motivo_cancelacion",
            field=estandares.entradas.TextoLargo(
                blank=True,
                max_length=10000,
                validators=[estandares.datos_personales.SinDatosPersonales()],
                verbose_name="motivo de la cancelación",
            ),
        ),
        migrations.AlterField(
            model_name="motivorechazo",
            name="descripcion",
            field=estandares.entradas.TextoLargo(
                blank=True,
                max_length=2000,
                validators=[estandares.datos_personales.SinDatosPersonales()],
                verbose_name="descripción",
            ),
        ),
        migrations.AlterField(
            model_name="motivorechazo",
            name="nombre",
            field=estandares.entradas.TextoCorto(
                max_length=200,
                validators=[estandares.datos_personales.SinDatosPersonales()],
                verbose_name="motivo",
            ),
        ),
        migrations.AlterField(
            model_name="partida",
            name="descripcion",
            field=estandares.entradas.TextoCorto(
                max_length=300,
                validators=[estandares.datos_personales.SinDatosPersonales()],
                verbose_name="descripción",
            ),
        ),
        migrations.AlterField(
            model_name="solicitud",
            name="justificacion",
            field=estandares.entradas.TextoLargo(
                max_length=10000,
                validators=[estandares.datos_personales.SinDatosPersonales()],
                verbose_name="justificación",
            ),
        ),
        migrations.AlterField(
            model_name="solicitud",
            name="titulo",
            field=estandares.entradas.TextoCorto(
                max_length=250,
                validators=[estandares.datos_personales.SinDatosPersonales()],
                verbose_name="título",
            ),
        ),
    ]
