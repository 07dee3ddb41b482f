"""Issue 35, «Done when»: a sixth area, added through the administrator's page and given a
category there, reviews a request in parallel with an old area; the request concludes, is
signed and verifies. Its reviewer is granted through the role page and a second
administrator's approval, and finds the area's task in their queue.

Needs the flow's single review node that fans out by data (the lead's change of issue 35):
with today's five fixed branches the sixth area gets no task."""

import pytest
from django.urls import reverse

from dictamenes.models import Area, CambioPendiente, Partida, Solicitud
from dictamenes.roles import Rol
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from tests.conftest import entrar
from tests.dictamenes.dual_utils import aprobar_pendientes
from tests.dictamenes.flujo_utils import (
    archivos_efirma,
    campos_decision,
    detalle,
    persona,
    presentada,
    usuario,
)

pytestmark = pytest.mark.django_db
Estado = Solicitud.Estado


def concluir(client, solicitud, area: Area):
    pagina = client.get(detalle(solicitud)).content.decode()
    assert "Concluir revisión del área" in pagina, area.nombre
    clave = area.clave
    datos = {f"{clave}-opinion": "favorable", f"{clave}-observaciones": "Sin observaciones."}
    for partida in Partida.objects.filter(solicitud=solicitud, perfil__categoria__area=area):
        datos[f"{clave}-p{partida.pk}_opinion"] = "Cumple lo esencial."
    r = client.post(reverse("solicitudes:revision_area", args=[solicitud.pk, clave]), datos)
    assert r.status_code == 302, r.content.decode()[:800]


def test_una_sexta_area_agregada_por_la_pagina_revisa_y_el_dictamen_verifica(demo, client):
    # The administrator asks for the area and a second one approves; then the first gives it
    # the switches (until now, of Redes), approved the same way (issue 48).
    entrar(client, "admin")
    r = client.post(
        reverse("cuentas:areas"),
        {"nueva-nombre": "Redes definidas por software", "nueva-motivo": "Oficio SGD/35/2026"},
    )
    assert r.status_code == 302
    assert not Area.objects.filter(nombre="Redes definidas por software").exists()
    aprobar_pendientes(client=client)
    nueva = Area.objects.get(nombre="Redes definidas por software")
    entrar(client, "admin")
    r = client.post(
        reverse("cuentas:area", args=[nueva.pk]),
        {
            "accion": "asignar",
            "asignar-claves": ["switch"],
            "asignar-motivo": "Oficio SGD/35/2026",
        },
    )
    assert r.status_code == 302
    assert not nueva.categorias.exists()
    aprobar_pendientes(client=client)
    entrar(client, "admin")
    assert Area.objects.count() == 6
    assert set(nueva.categorias.values_list("clave", flat=True)) == {"switch"}
    # A person is granted the reviewer role on it; a second administrator approves.
    revisora = persona("revisora.sdn", rfc="RESX800101AB1", roles=[Rol.AUDITOR])
    r = client.post(
        reverse("cuentas:rol_persona", args=[revisora.pk]),
        {
            "accion": "otorgar",
            "otorgar-rol": Rol.REVISOR_TECNICO.value,
            "otorgar-areas": [nueva.pk],
            "otorgar-motivo": "Oficio SGD/35/2026",
        },
    )
    assert r.status_code == 302
    client.logout()
    entrar(client, "admin2")
    cambio = CambioPendiente.objects.get(persona=revisora)
    r = client.post(reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"})
    assert r.status_code == 302
    client.logout()

    # A request with a switch (the new area) and a computer (an old one), admitted.
    solicitud = presentada(areas=("redes", "computo"), titulo="Switches y equipos")
    client.force_login(usuario("mesa"))
    r = client.post(reverse("solicitudes:admision", args=[solicitud.pk]), {"decision": "admitir"})
    assert r.status_code == 302
    computo = Area.objects.get(clave="computo")
    # Two review tasks, one per area its items touch.
    assert sorted(t.owner_permission_obj_pk for t in tareas_abiertas(solicitud=solicitud)) == (
        sorted([str(nueva.pk), str(computo.pk)])
    )
    # The new area's reviewer finds its task in their queue, and concludes it; so does cómputo.
    client.force_login(revisora)
    assert solicitud.folio in client.get(reverse("workflow:queue")).content.decode()
    concluir(client, solicitud, nueva)
    client.force_login(usuario("revisor.computo"))
    concluir(client, solicitud, computo)
    solicitud.refresh_from_db()
    assert solicitud.estado == Estado.REVISION_ESTRATEGICA
    assert sorted(solicitud.revisiones.values_list("area__nombre", flat=True)) == [
        "Equipo de cómputo e impresión",
        "Redes definidas por software",
    ]
    # The decision, the signature and the public verification.
    client.force_login(usuario("estrategico"))
    r = client.post(
        reverse("solicitudes:estrategica", args=[solicitud.pk]),
        campos_decision(solicitud, motivos="Procede: cumple los estándares."),
    )
    assert r.status_code == 302
    client.force_login(usuario("firmante"))
    r = client.post(reverse("solicitudes:firma", args=[solicitud.pk]), archivos_efirma())
    assert r.status_code == 302
    solicitud.refresh_from_db()
    assert (solicitud.estado, solicitud.resultado) == (Estado.DICTAMINADA, "favorable")
    client.logout()
    dictamen = solicitud.dictamen_vigente
    html = client.get(reverse("verificar_folio", args=[dictamen.folio])).content.decode()
    assert "Estado: Vigente</h2>" in html
    assert "Válido para la cadena original" in html
