"""Three rules of the fast track that no test outside the simulation could fail on (issue 48,
item 5): an item of an edition of the standards that is not published keeps a request off it;
so does any self-check other than «Cumple», on the request's own path (presentation,
admission); and the fast track's deadlines are those of the version of the tracks recorded
on the request, not of the version in force when each step begins."""

import pytest
from django.utils import timezone

from dictamenes.models import Area, Solicitud
from dictamenes.organizacion.selectors import calendario
from dictamenes.tramite.selectors.plazos import vencimiento_de
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from dictamenes.tramite.services import etapas, solicitudes
from estandares import selectors as estandares_selectors
from estandares.models import Perfil
from estandares.services import publicacion_nueva_version
from tests.dictamenes.flujo_utils import detalle, perfil_de_area, usuario
from tests.dictamenes.tramite import test_vias as tv

pytestmark = pytest.mark.django_db

PARTIDAS_NO_CUMPLIDA = tv.PARTIDAS_NO_CUMPLIDA


def guardar_computo(solicitud, *, perfil=None, **especificaciones):
    """The request's cómputo item saved again by its requester, with `especificaciones` over
    the ones that comply."""
    partida = solicitud.partidas.get(descripcion="Partida de computo")
    solicitudes.partida_guardar(
        solicitud=solicitud,
        usuario=usuario("requirente.sh"),
        partida=partida,
        version=partida.version,
        datos={
            "perfil": perfil or perfil_de_area("computo"),
            "descripcion": partida.descripcion,
            "cantidad": partida.cantidad,
            "precio_unitario": partida.precio_unitario,
            "capitulo": partida.capitulo,
            "partida_especifica": partida.partida_especifica,
            "especificaciones": tv.CUMPLEN["computo"] | especificaciones,
        },
    )
    partida.refresh_from_db()
    return partida


# --- (a) An item of an edition that is not published -------------------------------------------


def test_una_partida_de_una_edicion_sin_publicar_no_va_por_la_via_rapida(demo, como):
    """During a prevención the requester moves an item to the same profile of a draft edition
    of the standards (nothing at that point asks for the edition in force): its self-check
    still says «Cumple», but only the rule's «edition in force» keeps it off the fast track."""
    solicitud = tv.presentada()
    assert solicitud.via == "rapida"
    etapas.admision_resolver(
        solicitud=solicitud, usuario=usuario("mesa"), admitir=False, faltantes="La cotización."
    )
    vigente = estandares_selectors.publicacion_vigente(fecha=timezone.localdate())
    borrador = publicacion_nueva_version(base=vigente, version="2099.1")
    assert borrador.es_borrador
    actual = perfil_de_area("computo")
    del_borrador = Perfil.objects.get(
        categoria__publicacion=borrador,
        categoria__clave=actual.categoria.clave,
        clave=actual.clave,
    )
    partida = guardar_computo(Solicitud.objects.get(pk=solicitud.pk), perfil=del_borrador)
    assert partida.veredicto == "cumple"

    solicitud.refresh_from_db()
    assert solicitud.via == "completa"
    assert solicitud.via_razones[1] == (
        f"{PARTIDAS_NO_CUMPLIDA} La partida «Partida de computo» usa un perfil de una edición "
        "de los estándares que no está vigente."
    )
    pagina = como("mesa").get(detalle(solicitud)).content.decode()
    assert "Vía de revisión: Vía completa" in pagina
    assert "usa un perfil de una edición de los estándares que no está vigente." in pagina


# --- (b) The self-check ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("especificaciones", "veredicto", "etiqueta"),
    [
        ({"ram": 4}, "no_cumple", "No cumple"),
        ({"tpm_20": "quizá"}, "revision", "Requiere revisión humana"),
    ],
    ids=["no-cumple", "revision-humana"],
)
def test_una_autoevaluacion_que_no_da_cumple_va_a_la_via_completa(
    demo, especificaciones, veredicto, etiqueta
):
    """Under the threshold, every item of the edition in force, no category marked: only the
    self-check of one item keeps the request off the fast track, at presentation and again
    at admission (one review per area)."""
    solicitud = tv.borrador()
    partida = guardar_computo(solicitud, **especificaciones)
    assert partida.veredicto == veredicto

    solicitud = solicitudes.solicitud_presentar(
        solicitud=Solicitud.objects.get(pk=solicitud.pk), usuario=usuario("requirente.sh")
    )
    razones = [
        tv.MONTO_CUMPLIDO % "$70,000.00",
        f"{PARTIDAS_NO_CUMPLIDA} La autoevaluación de la partida «Partida de computo» da "
        f"«{etiqueta}».",
        tv.CATEGORIAS_CUMPLIDA,
    ]
    assert (solicitud.via, solicitud.via_razones) == ("completa", razones)
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    solicitud.refresh_from_db()
    assert (solicitud.via, solicitud.via_razones) == ("completa", razones)
    assert len(tv.revisiones_abiertas(solicitud)) == 2


# --- (c) The deadlines of the request's own version of the tracks ------------------------------


def test_los_plazos_de_la_via_rapida_son_los_de_la_version_de_la_solicitud(demo, como):
    """Admitted under version 1 (single review 2 days, strategic review 1 day). Version 2 then
    lengthens both; the request keeps its own: its page announces, and the strategic review
    gets, 1 day. A request admitted under version 2 gets version 2's."""
    antigua = tv.admitida()
    assert antigua.via_config.version == 1
    nueva = tv.nueva_version(dias_revision_rapida=7, dias_estrategica_rapida=6)

    pagina = como("mesa").get(detalle(antigua)).content.decode()
    assert (
        "Le corresponderá a: Dirección General (revisión estratégica) · plazo de 1 día hábil"
    ) in pagina
    etapas.revision_area_concluir(
        solicitud=antigua,
        usuario=usuario("revisor.redes"),
        area=Area.objects.get(clave="redes"),
        opinion="favorable",
        observaciones="",
        partidas={p.pk: {"opinion": "Cumple."} for p in antigua.partidas.all()},
    )
    [estrategica] = tareas_abiertas(solicitud=antigua)
    assert estrategica.flow_task.name == "revision_estrategica"
    assert vencimiento_de(tarea=estrategica) == calendario.vencimiento(
        desde=estrategica.created, dias=1
    )

    reciente = tv.admitida()
    assert reciente.via_config == nueva
    [unica] = tv.revisiones_abiertas(reciente)
    assert vencimiento_de(tarea=unica) == calendario.vencimiento(desde=unica.created, dias=7)
