"""Every path of the flow through the HTTP views, one person after another, with every role
opening the request's page between two steps (what a person sees between steps is where a
multi-area request once crashed for everyone).

The paths: direct admission; one, two and three areas in parallel, concluding in different
orders; favorable, favorable condicionado and no favorable."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from dictamenes.models import Partida, Solicitud
from tests.dictamenes.flujo_utils import (
    REVISOR_DE_AREA,
    archivos_efirma,
    campos_decision,
    detalle,
    presentada,
)

pytestmark = pytest.mark.django_db
Estado = Solicitud.Estado

TODOS = (
    "requirente.sh",
    "mesa",
    *REVISOR_DE_AREA.values(),
    "estrategico",
    "firmante",
    "auditor",
    "admin",
)


def todos_la_abren(como, solicitud):
    """Every role opens the request's page; it answers for all of them."""
    for username in TODOS:
        respuesta = como(username).get(detalle(solicitud))
        assert respuesta.status_code == 200, (username, solicitud.get_estado_display())


def concluir_area(como, solicitud, area):
    c = como(REVISOR_DE_AREA[area])
    pagina = c.get(detalle(solicitud)).content.decode()
    # The area's reviewer finds their step on the page, with its form.
    assert "Concluir revisión del área" in pagina, area
    datos = {f"{area}-opinion": "favorable", f"{area}-observaciones": "Sin observaciones."}
    for partida in Partida.objects.filter(solicitud=solicitud, perfil__categoria__area__clave=area):
        datos[f"{area}-p{partida.pk}_opinion"] = "Cumple lo esencial."
    r = c.post(reverse("solicitudes:revision_area", args=[solicitud.pk, area]), datos)
    assert r.status_code == 302, r.content.decode()[:800]


def recorrer(como, *, areas, orden, resultado):
    solicitud = presentada(areas=areas, titulo=f"Camino {'+'.join(areas)} {resultado}")
    todos_la_abren(como, solicitud)
    r = como("mesa").post(
        reverse("solicitudes:admision", args=[solicitud.pk]), {"decision": "admitir"}
    )
    assert r.status_code == 302
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.REVISION_TECNICA
    todos_la_abren(como, solicitud)
    for i, area in enumerate(orden, start=1):
        concluir_area(como, solicitud, area)
        solicitud.refresh_from_db()
        esperado = Estado.REVISION_ESTRATEGICA if i == len(orden) else Estado.REVISION_TECNICA
        assert solicitud.estado == esperado, (area, solicitud.estado)
        todos_la_abren(como, solicitud)
        # An area that concluded has nothing more to do on it.
        pagina = como(REVISOR_DE_AREA[area]).get(detalle(solicitud)).content.decode()
        assert "Concluir revisión del área" not in pagina
    datos = campos_decision(solicitud, resultado, motivos="Procede por lo revisado.")
    if resultado == "condicionado":
        datos["condiciones"] = "Consolidar la compra con el C5i."
    r = como("estrategico").post(reverse("solicitudes:estrategica", args=[solicitud.pk]), datos)
    assert r.status_code == 302
    todos_la_abren(como, solicitud)
    r = como("firmante").post(reverse("solicitudes:firma", args=[solicitud.pk]), archivos_efirma())
    assert r.status_code == 302
    solicitud.refresh_from_db()
    assert (solicitud.estado, solicitud.resultado) == (Estado.DICTAMINADA, resultado)
    todos_la_abren(como, solicitud)
    return solicitud


def test_admision_directa_un_area_favorable(demo, como):
    recorrer(como, areas=("computo",), orden=("computo",), resultado="favorable")


@pytest.mark.parametrize("orden", [("computo", "seguridad"), ("seguridad", "computo")])
def test_dos_areas_en_cualquier_orden(demo, como, orden):
    recorrer(como, areas=("computo", "seguridad"), orden=orden, resultado="favorable")


def test_tres_areas_no_favorable(demo, como):
    recorrer(
        como,
        areas=("computo", "seguridad", "software"),
        orden=("software", "computo", "seguridad"),
        resultado="no_favorable",
    )


def test_tres_areas_condicionado(demo, como):
    recorrer(
        como,
        areas=("redes", "infraestructura", "computo"),
        orden=("infraestructura", "redes", "computo"),
        resultado="condicionado",
    )


def test_la_cola_del_segundo_area_lleva_a_una_pagina_que_abre(demo, como):
    """After the first area concludes, the second area's reviewer still finds the task in their
    queue, and its link opens the request with the step to act on."""
    solicitud = presentada(areas=("computo", "seguridad"), titulo="Cómputo y firewall")
    como("mesa").post(reverse("solicitudes:admision", args=[solicitud.pk]), {"decision": "admitir"})
    concluir_area(como, solicitud, "computo")
    c = como("revisor.seguridad")
    cola = c.get(reverse("workflow:queue")).content.decode()
    assert solicitud.folio in cola
    assert c.get(detalle(solicitud)).status_code == 200
    concluir_area(como, solicitud, "seguridad")
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.REVISION_ESTRATEGICA


def test_el_rezago_cuenta_solo_pasos_de_personas(demo, como):
    """After the first of two areas concludes, the flow's Join waits for the second one. It is no
    one's work: «Trabajo pendiente por paso» on the indicators page counts only the second
    area's step, and cancelling the request lists only that step as cancelled."""
    solicitud = presentada(areas=("computo", "seguridad"), titulo="Cómputo y firewall")
    como("mesa").post(reverse("solicitudes:admision", args=[solicitud.pk]), {"decision": "admitir"})
    concluir_area(como, solicitud, "computo")
    respuesta = como("auditor").get(reverse("indicadores"))
    assert respuesta.status_code == 200
    filas = lxml_html.fromstring(respuesta.content.decode()).xpath(
        "//section[@aria-labelledby='t-rezago']//table/tbody/tr"
    )
    assert [" | ".join(" ".join(c.text_content().split()) for c in tr) for tr in filas] == [
        "Revisión técnica: Seguridad informática | 1"
    ]
    r = como("estrategico").post(
        reverse("solicitudes:cancelar_solicitud", args=[solicitud.pk]),
        {"cancelar_solicitud-motivo": "Duplica otra.", "cancelar_solicitud-confirmar": "on"},
    )
    assert r.status_code == 302
    evento = solicitud.eventos.order_by("-numero").first()
    assert (evento.tipo, evento.datos["pasos_cancelados"]) == (
        "cancelacion_solicitud",
        ["Revisión técnica: Seguridad informática"],
    )
