# Issue 59, item 8: the answers waiting for their batch lay on disk in the order they came.

import secrets
import uuid

from django.db import migrations


def barajar_las_que_esperan(apps, schema_editor):
    """The waiting answers written before this lie in the table in the order they were
    answered (ctid, rowid), each with the transaction id of its answer: rewritten in a random
    order, with new random keys, all by this migration's transaction. Their sealed content
    is kept as it is, so none is lost and each is published as it was given. The same as
    encuestas.services.respuestas_en_espera_barajar, written here against the
    historical model."""
    EnEspera = apps.get_model("dictamenes", "RespuestaEnEspera")
    filas = [
        (e.ejercicio, e.etapa_final, bytes(e.sellada))
        for e in EnEspera.objects.order_by().iterator()
    ]
    if not filas:
        return
    secrets.SystemRandom().shuffle(filas)
    EnEspera.objects.all().delete()
    EnEspera.objects.bulk_create(
        EnEspera(id=uuid.uuid4(), ejercicio=ejercicio, etapa_final=etapa_final, sellada=sellada)
        for ejercicio, etapa_final, sellada in filas
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dictamenes", "0039_cambios_de_una_sola_puerta"),
    ]

    operations = [
        migrations.RunPython(barajar_las_que_esperan, migrations.RunPython.noop),
    ]
