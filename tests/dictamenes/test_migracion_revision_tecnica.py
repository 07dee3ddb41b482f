"""Requests under review when the flow changed from one node per area to one node for all
(dictamenes/0026_revision_tecnica_por_datos) go on where they were, conclude, are signed and
verify. And 0025_textos_institucionales makes version 1 of the institution's texts from the
settings and points every dictamen already issued to it.

One trip below both and back (issue 92, item 7): each migration test went down the chain and up
again on its own (30-odd migrations each way, most of each test's time). The database is taken
back to 0024, then forward to 0025 (with the environment 0025 reads), where the requests'
review tasks are looked at as 0026 finds them, then to the end."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from dictamenes.emision.services import integridad
from dictamenes.flow_port import Nodo
from dictamenes.models import Area, Solicitud, TextosInstitucionales
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from tests.dictamenes.flujo_utils import admitida, decidir, en_firma, firmar, paso_de, revisar

DEBAJO = ("dictamenes", "0024_aviso_html_enlace")
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
def test_las_solicitudes_a_media_revision_de_cada_area_siguen_tras_la_migracion(
    demo, client, settings
):
    # 0025's: a dictamen issued before the institution's texts were configuration.
    emitido = firmar(en_firma(areas=("redes",)))
    areas = list(Area.objects.order_by("clave").values_list("clave", flat=True))
    assert len(areas) == 5
    # One request under review in each area, and one with two areas of which one concluded.
    una_por_area = {
        clave: admitida(areas=(clave,), titulo=f"Revisión de {clave}") for clave in areas
    }
    a_medias = admitida(areas=("computo", "redes"), titulo="Dos áreas, una concluida")
    revisar(a_medias, "computo")
    a_medias.refresh_from_db()
    # Back to before the texts, and forward to the flow as it was: each area's review was its
    # own node.
    _migrar([DEBAJO])
    settings.DICTAMENES_LUGAR = "Ciudad de prueba"  # what the environment says at migrating
    _migrar([ANTES])
    for clave, solicitud in una_por_area.items():
        assert _nodos_guardados(solicitud) == [f"{FLUJO}revision_{clave}"]
    assert _nodos_guardados(a_medias) == [f"{FLUJO}revision_redes"]

    # The later migrations too (the model is read as they leave it).
    _migrar(None)
    # 0025: version 1 from the settings, and the dictamen already issued points to it.
    v1 = TextosInstitucionales.objects.get()
    assert (v1.version, v1.lugar, v1.creado_por) == (1, "Ciudad de prueba", None)
    assert v1.folio_dictamen == settings.DICTAMENES_FOLIO_DICTAMEN
    assert v1.membrete_lineas == tuple(settings.DICTAMENES_MEMBRETE)
    assert v1.fundamentos_lineas == tuple(settings.DICTAMENES_FUNDAMENTOS)
    # 0031: the pages' wording until then (issue 47): the Dirección General decides, the
    # institution itself signs.
    assert (v1.unidad_resuelve, v1.unidad_firma) == ("Dirección General", v1.institucion)
    emitido.refresh_from_db()
    assert emitido.textos_id == v1.pk

    # 0026: each request goes on where it was.
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
