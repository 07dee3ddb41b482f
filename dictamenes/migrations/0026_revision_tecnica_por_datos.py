"""The technical review becomes one flow node that makes one task per area (flujos.nodos).

Until now each area had its own node, `revision_<clave del área>`. Every task of those nodes,
open or concluded, becomes a task of `revision_tecnica` that names its area in its data; the
owner permission object (the area) was already there. Requests under review when this runs go
on where they were: their open tasks keep their owner, token and deadline, and viewflow's Join
still waits for them. The reverse gives each task back its area's node.
"""

from django.db import migrations

FLUJO = "flujos/flows.DictamenFlow."
NODO = f"{FLUJO}revision_tecnica"
LOTE = 1000


def _reescribir(Task, filas, nodo_de, data_de):
    """Rewrite the tasks without loading their node: an old node no longer exists in the flow
    (viewflow resolves `flow_task` when it reads a row), so only ids and data are read."""
    cambios = [
        Task(pk=pk, flow_task=nodo_de(pk, data), data=data_de(data)) for pk, data in filas
    ]
    Task.objects.bulk_update(cambios, ["flow_task", "data"], batch_size=LOTE)
    return len(cambios)


def a_un_nodo(apps, schema_editor):
    Task = apps.get_model("viewflow", "Task")
    Area = apps.get_model("dictamenes", "Area")
    for area in Area.objects.all():
        filas = list(
            Task.objects.filter(flow_task=f"{FLUJO}revision_{area.clave}").values_list(
                "pk", "data"
            )
        )
        _reescribir(
            Task,
            filas,
            lambda _pk, _data: NODO,
            lambda data, area=area: {**(data or {}), "area": area.pk},
        )


def a_un_nodo_por_area(apps, schema_editor):
    Task = apps.get_model("viewflow", "Task")
    Area = apps.get_model("dictamenes", "Area")
    claves = dict(Area.objects.values_list("pk", "clave"))
    filas = list(Task.objects.filter(flow_task=NODO).values_list("pk", "data"))
    _reescribir(
        Task,
        filas,
        lambda _pk, data: f"{FLUJO}revision_{claves[data['area']]}",
        lambda data: {k: v for k, v in data.items() if k != "area"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dictamenes", "0025_textos_institucionales"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [migrations.RunPython(a_un_nodo, a_un_nodo_por_area, elidable=False)]
