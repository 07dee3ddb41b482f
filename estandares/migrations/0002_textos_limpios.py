"""Free-text fields become TextoCorto / TextoLargo (estandares.entradas): NFC, no control or
direction characters, and a maximum length on every text. Only the models change: the
columns keep their type and length, so the database is not touched (an AlterField would
have SQLite copy every table for nothing)."""

import estandares.entradas
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("estandares", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="categoria",
                    name="descripcion",
                    field=estandares.entradas.TextoLargo(
                        blank=True, max_length=10000, verbose_name="descripción"
                    ),
                ),
                migrations.AlterField(
                    model_name="categoria",
                    name="nombre",
                    field=estandares.entradas.TextoCorto(max_length=150, verbose_name="nombre"),
                ),
                migrations.AlterField(
                    model_name="perfil",
                    name="descripcion",
                    field=estandares.entradas.TextoLargo(
                        blank=True, max_length=10000, verbose_name="descripción"
                    ),
                ),
                migrations.AlterField(
                    model_name="perfil",
                    name="nombre",
                    field=estandares.entradas.TextoCorto(max_length=150, verbose_name="nombre"),
                ),
                migrations.AlterField(
                    model_name="publicacion",
                    name="notas",
                    field=estandares.entradas.TextoLargo(
                        blank=True, max_length=10000, verbose_name="notas"
                    ),
                ),
                migrations.AlterField(
                    model_name="publicacion",
                    name="titulo",
                    field=estandares.entradas.TextoCorto(max_length=250, verbose_name="título"),
                ),
                migrations.AlterField(
                    model_name="publicacion",
                    name="version",
                    field=estandares.entradas.TextoCorto(
                        max_length=20, unique=True, verbose_name="versión"
                    ),
                ),
                migrations.AlterField(
                    model_name="requisito",
                    name="ayuda",
                    field=estandares.entradas.TextoCorto(
                        blank=True, max_length=300, verbose_name="ayuda"
                    ),
                ),
                migrations.AlterField(
                    model_name="requisito",
                    name="fundamento",
                    field=estandares.entradas.TextoCorto(max_length=300, verbose_name="fundamento"),
                ),
                migrations.AlterField(
                    model_name="requisito",
                    name="nombre",
                    field=estandares.entradas.TextoCorto(max_length=200, verbose_name="nombre"),
                ),
            ],
            database_operations=[],
        )
    ]
