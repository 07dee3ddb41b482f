"""Free-text fields become TextoCorto / TextoLargo (estandares.entradas): NFC, no control or
direction characters, and a maximum length on every text. Only the models change: the
columns keep their type and length, so the database is not touched (an AlterField would
have SQLite copy every table for nothing)."""

import estandares.entradas
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dictamenes", "0014_solicitud_cierre_anticipado"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="anexo",
                    name="nombre",
                    field=estandares.entradas.TextoCorto(
                        max_length=160, verbose_name="nombre original"
                    ),
                ),
                migrations.AlterField(
                    model_name="area",
                    name="nombre",
                    field=estandares.entradas.TextoCorto(
                        max_length=120, unique=True, verbose_name="nombre"
                    ),
                ),
                migrations.AlterField(
                    model_name="diainhabil",
                    name="descripcion",
                    field=estandares.entradas.TextoCorto(
                        max_length=200, verbose_name="descripción"
                    ),
                ),
                migrations.AlterField(
                    model_name="dictamen",
                    name="condiciones",
                    field=estandares.entradas.TextoLargo(
                        blank=True, max_length=10000, verbose_name="condiciones"
                    ),
                ),
                migrations.AlterField(
                    model_name="dictamen",
                    name="firmante_cargo",
                    field=estandares.entradas.TextoCorto(
                        max_length=200, verbose_name="cargo de quien firma"
                    ),
                ),
                migrations.AlterField(
                    model_name="dictamen",
                    name="firmante_nombre",
                    field=estandares.entradas.TextoCorto(
                        max_length=200, verbose_name="nombre de quien firma"
                    ),
                ),
                migrations.AlterField(
                    model_name="dictamen",
                    name="motivo_cancelacion",
                    field=estandares.entradas.TextoLargo(
                        blank=True, max_length=10000, verbose_name="motivo de la cancelación"
                    ),
                ),
                migrations.AlterField(
                    model_name="dictamen",
                    name="motivos",
                    field=estandares.entradas.TextoLargo(max_length=20000, verbose_name="motivos"),
                ),
                migrations.AlterField(
                    model_name="ente",
                    name="nombre",
                    field=estandares.entradas.TextoCorto(
                        max_length=200, unique=True, verbose_name="nombre"
                    ),
                ),
                migrations.AlterField(
                    model_name="ente",
                    name="siglas",
                    field=estandares.entradas.TextoCorto(
                        max_length=20, unique=True, verbose_name="siglas"
                    ),
                ),
                migrations.AlterField(
                    model_name="eventoauditoria",
                    name="descripcion",
                    field=estandares.entradas.TextoCorto(
                        max_length=300, verbose_name="descripción"
                    ),
                ),
                migrations.AlterField(
                    model_name="eventoauditoria",
                    name="motivo",
                    field=estandares.entradas.TextoLargo(
                        blank=True, max_length=20000, verbose_name="motivo"
                    ),
                ),
                migrations.AlterField(
                    model_name="lineaprograma",
                    name="categoria",
                    field=estandares.entradas.TextoCorto(
                        max_length=60, verbose_name="categoría (clave)"
                    ),
                ),
                migrations.AlterField(
                    model_name="lineaprograma",
                    name="descripcion",
                    field=estandares.entradas.TextoCorto(
                        max_length=300, verbose_name="descripción"
                    ),
                ),
                migrations.AlterField(
                    model_name="lineaprograma",
                    name="perfil",
                    field=estandares.entradas.TextoCorto(
                        blank=True, max_length=60, verbose_name="perfil (clave)"
                    ),
                ),
                migrations.AlterField(
                    model_name="opinionpartida",
                    name="opinion",
                    field=estandares.entradas.TextoLargo(
                        max_length=10000, verbose_name="opinión técnica"
                    ),
                ),
                migrations.AlterField(
                    model_name="partida",
                    name="descripcion",
                    field=estandares.entradas.TextoCorto(
                        max_length=300, verbose_name="descripción"
                    ),
                ),
                migrations.AlterField(
                    model_name="perfil",
                    name="cargo",
                    field=estandares.entradas.TextoCorto(
                        blank=True, max_length=200, verbose_name="cargo"
                    ),
                ),
                migrations.AlterField(
                    model_name="peticioninformacion",
                    name="pregunta",
                    field=estandares.entradas.TextoLargo(
                        max_length=10000, verbose_name="información solicitada"
                    ),
                ),
                migrations.AlterField(
                    model_name="peticioninformacion",
                    name="respuesta",
                    field=estandares.entradas.TextoLargo(
                        blank=True, max_length=10000, verbose_name="respuesta"
                    ),
                ),
                migrations.AlterField(
                    model_name="revisionarea",
                    name="observaciones",
                    field=estandares.entradas.TextoLargo(
                        blank=True, max_length=10000, verbose_name="observaciones"
                    ),
                ),
                migrations.AlterField(
                    model_name="solicitud",
                    name="alineacion",
                    field=estandares.entradas.TextoLargo(
                        help_text="Objetivo, estrategia o línea de acción del programa que atiende.",
                        max_length=4000,
                        verbose_name="alineación al Programa de Gobierno Digital",
                    ),
                ),
                migrations.AlterField(
                    model_name="solicitud",
                    name="justificacion",
                    field=estandares.entradas.TextoLargo(
                        max_length=10000, verbose_name="justificación"
                    ),
                ),
                migrations.AlterField(
                    model_name="solicitud",
                    name="titulo",
                    field=estandares.entradas.TextoCorto(max_length=250, verbose_name="título"),
                ),
                migrations.AlterField(
                    model_name="sustitucion",
                    name="motivo",
                    field=estandares.entradas.TextoCorto(max_length=200, verbose_name="motivo"),
                ),
            ],
            database_operations=[],
        )
    ]
