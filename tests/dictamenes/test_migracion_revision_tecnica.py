"""Requests under review when the flow changed from one node per area to one node for all
(dictamenes/0026_revision_tecnica_por_datos) go on where they were, conclude, are signed and
verify."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from dictamenes.emision.services import integridad
from dictamenes.flow_port import Nodo
from dictamenes.models import Area, Solicitud
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from tests.dictamenes.flujo_utils import admitida, decidir, firmar, paso_de, revisar

ANTES = ("dictamenes", "0025_textos_institucionales")
FLUJO = "flujos/flows.DictamenFlow."


def _nodos_guardados(solicitud) -> list[str]:
    """The open review tasks' nodes as the table has them (an old node no longer exists in the
    flow, so viewflow could not read the row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT flow_task FROM viewflow_task WHERE process_id = %s AND status IN "
            "('NEW', 'ASSIGNED', 'STARTED') AND flow_task_type = 'HUMAN' ORDER BY flow_task",
            [solicitud.proceso.pk],
        )
        return [fila[0] for fila in cursor.fetchall()]


def _migrar(destino):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(destino or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_las_solicitudes_a_media_revision_de_cada_area_siguen_tras_la_migracion(demo, client):
    areas = list(Area.objects.order_by("clave").values_list("clave", flat=True))
    assert len(areas) == 5
    # One request under review in each area, and one with two areas of which one concluded.
    una_por_area = {
        clave: admitida(areas=(clave,), titulo=f"Revisión de {clave}") for clave in areas
    }
    a_medias = admitida(areas=("computo", "redes"), titulo="Dos áreas, una concluida")
    revisar(a_medias, "computo")
    a_medias.refresh_from_db()
    # Back to the flow as it was: each area's review was its own node.
    _migrar([ANTES])
    for clave, solicitud in una_por_area.items():
        assert _nodos_guardados(solicitud) == [f"{FLUJO}revision_{clave}"]
    assert _nodos_guardados(a_medias) == [f"{FLUJO}revision_redes"]

    _migrar(None)
    for clave, solicitud in una_por_area.items():
        abiertas = tareas_abiertas(solicitud=solicitud)
        assert [paso_de(t) for t in abiertas] == [f"{Nodo.REVISION_TECNICA}:{clave}"]
    assert [paso_de(t) for t in tareas_abiertas(solicitud=a_medias)] == [
        f"{Nodo.REVISION_TECNICA}:redes"
    ]

    for clave, solicitud in [*una_por_area.items(), ("redes", a_medias)]:
        revisar(solicitud, clave)
        solicitud = Solicitud.objects.get(pk=solicitud.pk)
        assert solicitud.estado == Solicitud.Estado.REVISION_ESTRATEGICA, clave
        dictamen = firmar(decidir(solicitud))
        pdf = integridad.dictamen_pdf_leer(dictamen=dictamen)
        pagina = client.post(reverse("verificar"), {"pdf": SimpleUploadedFile("d.pdf", pdf)})
        assert "Documento auténtico." in pagina.content.decode(), clave
