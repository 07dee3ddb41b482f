"""A fast-track single review names every area it covered (issue 61). The reviews already
concluded take them from their audit event, which recorded them (datos["areas"], with
datos["via"] == "rapida"): the event is never changed, only read."""

from django.db import migrations, models


def cubiertas_de_sus_eventos(apps, schema_editor):
    Area = apps.get_model("dictamenes", "Area")
    EventoAuditoria = apps.get_model("dictamenes", "EventoAuditoria")
    RevisionArea = apps.get_model("dictamenes", "RevisionArea")
    areas = dict(Area.objects.values_list("clave", "pk"))
    eventos = EventoAuditoria.objects.filter(tipo="revision_area", datos__via="rapida")
    for solicitud_id, datos in eventos.values_list("solicitud_id", "datos").iterator():
        revision = RevisionArea.objects.filter(
            solicitud_id=solicitud_id,
            area__clave=datos.get("area"),
            ronda=datos.get("ronda", 1),
        ).first()
        if revision is not None:
            revision.cubre.set([areas[c] for c in datos.get("areas") or [] if c in areas])


class Migration(migrations.Migration):
    dependencies = [
        ("dictamenes", "0044_contrato_motivo_exceso"),
    ]

    operations = [
        migrations.AddField(
            model_name="revisionarea",
            name="cubre",
            field=models.ManyToManyField(
                blank=True, related_name="+", to="dictamenes.area", verbose_name="áreas que cubre"
            ),
        ),
        migrations.RunPython(cubiertas_de_sus_eventos, migrations.RunPython.noop),
    ]
