import hashlib
import json
import datetime

from django.db import migrations, models

GENESIS = "0" * 64


def _hash(e) -> str:
    # A frozen copy of dictamenes.auditoria.serializacion_canonica as of this migration.
    return hashlib.sha256(
        json.dumps(
            {
                "numero": e.numero,
                "tipo": e.tipo,
                "descripcion": e.descripcion,
                "motivo": e.motivo,
                "usuario": e.usuario_id,
                "solicitud": e.solicitud_id,
                "datos": e.datos,
                "ocurrido_en": e.ocurrido_en.astimezone(datetime.UTC).isoformat(
                    timespec="microseconds"
                ),
                "anterior": e.anterior_hash,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        ).encode("utf-8")
    ).hexdigest()


def encadenar(apps, schema_editor):
    Evento = apps.get_model("dictamenes", "EventoAuditoria")
    anterior = GENESIS
    for numero, evento in enumerate(Evento.objects.order_by("ocurrido_en", "id"), start=1):
        evento.numero = numero
        evento.anterior_hash = anterior
        evento.hash = _hash(evento)
        evento.save(update_fields=["numero", "anterior_hash", "hash"])
        anterior = evento.hash


TRIGGER = """
CREATE OR REPLACE FUNCTION dictamenes_evento_inmutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Los eventos de auditoría no se modifican ni se borran (%).', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER dictamenes_evento_inmutable
    BEFORE UPDATE OR DELETE ON dictamenes_eventoauditoria
    FOR EACH ROW EXECUTE FUNCTION dictamenes_evento_inmutable();
"""
SIN_TRIGGER = """
DROP TRIGGER IF EXISTS dictamenes_evento_inmutable ON dictamenes_eventoauditoria;
DROP FUNCTION IF EXISTS dictamenes_evento_inmutable();
"""


# SQLite refuses UPDATE only: Django's test flush empties tables with DELETE.
TRIGGER_SQLITE = """
CREATE TRIGGER dictamenes_evento_inmutable BEFORE UPDATE ON dictamenes_eventoauditoria
BEGIN SELECT RAISE(ABORT, 'Los eventos de auditoría no se modifican.'); END;
"""


def trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(TRIGGER_SQLITE)


def sin_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SIN_TRIGGER, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS dictamenes_evento_inmutable;")


class Migration(migrations.Migration):
    dependencies = [("dictamenes", "0006_dictamen_firmado")]

    operations = [
        migrations.AlterModelOptions(
            name="eventoauditoria",
            options={
                "ordering": ["numero"],
                "verbose_name": "evento de auditoría",
                "verbose_name_plural": "eventos de auditoría",
            },
        ),
        migrations.AlterField(
            model_name="eventoauditoria",
            name="ocurrido_en",
            field=models.DateTimeField(db_index=True, editable=False, verbose_name="ocurrido en"),
        ),
        migrations.AddField(
            model_name="eventoauditoria",
            name="numero",
            field=models.PositiveBigIntegerField(null=True, editable=False, verbose_name="número"),
        ),
        migrations.AddField(
            model_name="eventoauditoria",
            name="anterior_hash",
            field=models.CharField(
                default="", editable=False, max_length=64,
                verbose_name="hash del evento anterior",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="eventoauditoria",
            name="hash",
            field=models.CharField(null=True, editable=False, max_length=64, verbose_name="hash"),
        ),
        migrations.RunPython(encadenar, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="eventoauditoria",
            name="numero",
            field=models.PositiveBigIntegerField(
                editable=False, unique=True, verbose_name="número"
            ),
        ),
        migrations.AlterField(
            model_name="eventoauditoria",
            name="hash",
            field=models.CharField(editable=False, max_length=64, unique=True, verbose_name="hash"),
        ),
        migrations.RunPython(trigger, sin_trigger),
    ]
