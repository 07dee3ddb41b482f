"""A fast-track review covering two areas is every covered area's opinion, not the lead
area's (issue 61): the request's page, the dictamen's PDF, the history and the indicators name
both; and a reviewer of both areas chooses which one asks the agency for information."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from guardian.shortcuts import assign_perm

from dictamenes.cifras.selectors import indicadores
from dictamenes.models import Area, PeticionInformacion, RevisionArea
from dictamenes.tramite.services import etapas, tareas
from tests.dictamenes.flujo_utils import decidir, detalle, firmar, usuario
from tests.dictamenes.organizacion.test_textos_institucionales import texto_pdf
from tests.dictamenes.tramite import test_vias as tv

pytestmark = pytest.mark.django_db

AMBAS = f"{tv.COMPUTO}, {tv.REDES} (revisión técnica única, vía rápida)"
UNICA = f"Revisión técnica única (vía rápida): {tv.COMPUTO}, {tv.REDES}"


def concluir(solicitud, revisor="revisor.computo"):
    redes = Area.objects.get(clave="redes")  # the lead area: the larger amount
    return etapas.revision_area_concluir(
        solicitud=solicitud,
        usuario=usuario(revisor),
        area=redes,
        opinion="favorable",
        observaciones="Todo conforme.",
        partidas={p.pk: {"opinion": "Cumple."} for p in solicitud.partidas.all()},
    )


def test_la_opinion_de_la_revision_unica_nombra_las_dos_areas(demo, como):
    solicitud = tv.admitida()
    [tarea] = tv.revisiones_abiertas(solicitud)
    tareas.tarea_tomar(tarea=tarea, usuario=usuario("revisor.computo"))
    rezago = {f["paso"]: f["n"] for f in indicadores.rezago()}
    assert rezago.get(UNICA) == 1
    assert not any(p.startswith(f"Revisión técnica: {tv.REDES}") for p in rezago)

    revision = concluir(solicitud)
    assert sorted(revision.cubre.values_list("clave", flat=True)) == ["computo", "redes"]
    evento = solicitud.eventos.get(tipo="revision_area")
    assert evento.descripcion.startswith(
        f"Revisión técnica única (vía rápida) de {tv.COMPUTO}, {tv.REDES} concluida"
    )

    pagina = como("estrategico").get(detalle(solicitud)).content.decode()
    revisor = usuario("revisor.computo").get_full_name()
    assert f"<li><strong>{AMBAS}</strong> (ronda 1): Favorable — {revisor}." in pagina
    assert f"<strong>{tv.REDES}</strong> (ronda 1)" not in pagina
    # What the strategic reviewer decides on: the same name, beside each item's opinion.
    assert f'<strong>{AMBAS}</strong> (ronda 1): <span class="opinion-area' in pagina
    assert f"<li><strong>{AMBAS}</strong> (ronda 1): Cumple.</li>" in pagina

    dictamen = firmar(decidir(solicitud))
    assert f"{AMBAS}: Favorable. Todo conforme. (Revisó: {revisor}.)" in texto_pdf(dictamen)


def test_la_revision_de_un_area_sigue_con_su_nombre(demo):
    solicitud = tv.admitida(areas=("computo", "redes", "seguridad"))  # the full track
    computo = Area.objects.get(clave="computo")
    for tarea in tv.revisiones_abiertas(solicitud):
        if tarea.data["area"] == computo.pk:
            tareas.tarea_tomar(tarea=tarea, usuario=usuario("revisor.computo"))
    revision = etapas.revision_area_concluir(
        solicitud=solicitud,
        usuario=usuario("revisor.computo"),
        area=computo,
        opinion="favorable",
        observaciones="",
        partidas={
            p.pk: {"opinion": "Cumple."}
            for p in solicitud.partidas.filter(perfil__categoria__area=computo)
        },
    )
    assert list(revision.cubre.all()) == []
    assert revision.areas_texto == tv.COMPUTO


PREGUNTA = "¿Los switches traen fuentes redundantes?"


def test_quien_revisa_las_dos_areas_elige_con_cual_pregunta(demo, como):
    solicitud = tv.admitida()
    [tarea] = tv.revisiones_abiertas(solicitud)
    assign_perm(
        "dictamenes.revisar_area", usuario("revisor.computo"), Area.objects.get(clave="redes")
    )
    tareas.tarea_tomar(tarea=tarea, usuario=usuario("revisor.computo"))
    cliente = como("revisor.computo")
    pagina = cliente.get(detalle(solicitud)).content.decode()
    # The review's own (lead) area first, then the other: both offered, the first chosen.
    assert '<label for="pet-redes-area">Área que pide la información</label>' in pagina
    assert (
        f'<option value="redes" selected>{tv.REDES}</option>'
        f'<option value="computo">{tv.COMPUTO}</option>'
    ) in pagina
    url = reverse("solicitudes:pedir_informacion", args=[solicitud.pk, "redes"])
    r = cliente.post(url, {"pet-redes-texto": PREGUNTA, "pet-redes-area": "computo"})
    assert r.status_code == 302
    assert PeticionInformacion.objects.get(solicitud=solicitud).area.clave == "computo"


def test_quien_revisa_una_sola_area_no_elige(demo, como):
    solicitud = tv.admitida()
    [tarea] = tv.revisiones_abiertas(solicitud)
    tareas.tarea_tomar(tarea=tarea, usuario=usuario("revisor.computo"))
    cliente = como("revisor.computo")
    assert 'name="pet-computo-area"' not in cliente.get(detalle(solicitud)).content.decode()
    # Nor can it choose the other by hand: the service refuses.
    url = reverse("solicitudes:pedir_informacion", args=[solicitud.pk, "computo"])
    r = cliente.post(url, {"pet-computo-texto": PREGUNTA, "pet-computo-area": "redes"})
    assert r.status_code == 400
    assert not PeticionInformacion.objects.filter(solicitud=solicitud).exists()
    assert RevisionArea.objects.filter(solicitud=solicitud).count() == 0


def test_las_revisiones_ya_concluidas_toman_sus_areas_de_su_evento(demo):
    """The migration reads each concluded single review's areas from its audit event."""
    solicitud = tv.admitida()
    [tarea] = tv.revisiones_abiertas(solicitud)
    tareas.tarea_tomar(tarea=tarea, usuario=usuario("revisor.computo"))
    revision = concluir(solicitud)
    revision.cubre.clear()  # as it was before the field existed
    migracion = importlib.import_module("dictamenes.migrations.0045_revision_unica_cubre_areas")
    migracion.cubiertas_de_sus_eventos(apps, None)
    assert sorted(revision.cubre.values_list("clave", flat=True)) == ["computo", "redes"]
