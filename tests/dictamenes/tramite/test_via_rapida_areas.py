"""A fast-track review that covers several areas names the area of what is asked (issue 47,
item 3): the question to the agency carries the area of the reviewer who asks, in its
address, the requester's page, the e-mail and the dictamen's antecedentes; the strategic
reviewer may send the request back to any area the review covered; and retiring an area or
moving its categories updates the areas an open single review is shared by."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dictamenes import exceptions
from dictamenes.emision.selectors.antecedentes import antecedentes_de
from dictamenes.models import Area, Aviso, PeticionInformacion
from dictamenes.organizacion.services import areas as servicio_areas
from dictamenes.tramite.selectors.areas import areas_de_tarea
from dictamenes.tramite.selectors.plazos import vencimiento_de
from dictamenes.tramite.selectors.tareas import TITULO_UNICA, tareas_abiertas, titulo_de
from dictamenes.tramite.services import etapas, tareas
from tests.dictamenes.flujo_utils import detalle, usuario
from tests.dictamenes.tramite import test_vias as tv

pytestmark = pytest.mark.django_db

PREGUNTA = "¿El monitor de las computadoras es de 24 pulgadas?"


def opciones_de_devolucion(pagina: str) -> list[str]:
    """The areas the strategic reviewer's form offers to send the request back to."""
    select = re.search(r'<select name="area"[^>]*>(.*?)</select>', pagina, re.S).group(1)
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)


def test_la_revision_unica_pide_informacion_con_el_area_de_quien_pregunta(demo, como):
    solicitud = tv.admitida()  # redes has the larger amount: the review is redes'
    [tarea] = tv.revisiones_abiertas(solicitud)
    computo, redes = Area.objects.get(clave="computo"), Area.objects.get(clave="redes")
    assert tarea.data["area"] == redes.pk
    tareas.tarea_tomar(tarea=tarea, usuario=usuario("revisor.computo"))

    # Cómputo's reviewer asks as Cómputo: the page's form goes to Cómputo's address.
    pagina = como("revisor.computo").get(detalle(solicitud)).content.decode()
    url = reverse("solicitudes:pedir_informacion", args=[solicitud.pk, "computo"])
    assert f'action="{url}"' in pagina
    assert f"Información que necesita del requirente (la pide {tv.COMPUTO})" in pagina
    # Not as Redes, which it does not review.
    otra = reverse("solicitudes:pedir_informacion", args=[solicitud.pk, "redes"])
    r = como("revisor.computo").post(otra, {"pet-redes-texto": PREGUNTA})
    assert r.status_code == 400
    assert (
        str(exceptions.ERROR_PREGUNTA_DE_OTRA_AREA % {"area": tv.REDES, "suya": tv.COMPUTO})
        in r.content.decode()
    )
    r = como("revisor.computo").post(url, {"pet-computo-texto": PREGUNTA})
    assert r.status_code == 302
    peticion = PeticionInformacion.objects.get(solicitud=solicitud)
    assert peticion.area == computo
    aviso = Aviso.objects.filter(asunto__startswith="Se pide información").latest("pk")
    assert f"El área {tv.COMPUTO} pide, sobre la solicitud {solicitud.folio}" in aviso.mensaje
    pagina = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert f"Información que pide {tv.COMPUTO}" in pagina

    # The question stops the single review, whatever its own area.
    partidas = {p.pk: {"opinion": "Cumple."} for p in solicitud.partidas.all()}
    with pytest.raises(ValidationError) as error:
        etapas.revision_area_concluir(
            solicitud=solicitud,
            usuario=usuario("revisor.computo"),
            area=redes,
            opinion="favorable",
            observaciones="",
            partidas=partidas,
        )
    assert error.value.code == "peticion_abierta"
    # Asked a week ago: the answer gives the review back the days it waited.
    PeticionInformacion.objects.filter(pk=peticion.pk).update(
        pedida_en=timezone.now() - datetime.timedelta(days=7)
    )
    vence = vencimiento_de(tarea=tarea)
    etapas.informacion_responder(
        peticion=peticion, usuario=usuario("requirente.sh"), respuesta="Sí, de 24 pulgadas."
    )
    tarea.refresh_from_db()
    assert vencimiento_de(tarea=tarea) > vence
    respuesta = Aviso.objects.filter(asunto__startswith="Respondieron").latest("pk")
    assert usuario("revisor.computo").email in respuesta.destinatarios
    etapas.revision_area_concluir(
        solicitud=solicitud,
        usuario=usuario("revisor.computo"),
        area=redes,
        opinion="favorable",
        observaciones="",
        partidas=partidas,
    )

    # The strategic reviewer may send it back to either area the review covered.
    pagina = como("estrategico").get(detalle(solicitud)).content.decode()
    assert opciones_de_devolucion(pagina) == [tv.COMPUTO, tv.REDES]
    etapas.solicitud_decidir(
        solicitud=solicitud,
        usuario=usuario("estrategico"),
        motivos="Confirme el tamaño del monitor.",
        devolver_a=computo,
    )
    [re_revision] = tareas_abiertas(solicitud=solicitud)
    assert titulo_de(tarea=re_revision) == f"Re-revisión técnica: {tv.COMPUTO}"

    antecedentes = " ".join(antecedentes_de(solicitud=solicitud, unidad="Dirección General"))
    assert f"el área {tv.COMPUTO} pidió información al ente: «{PREGUNTA.rstrip('.')}»" in (
        antecedentes
    )
    assert f"el ente respondió a la petición del área {tv.COMPUTO}" in antecedentes
    assert (
        f"concluyó la revisión técnica única (vía rápida) de las áreas {tv.COMPUTO}, "
        f"{tv.REDES} con opinión Favorable."
    ) in antecedentes


def test_al_retirar_un_area_la_revision_unica_la_comparte_su_destino(demo, como):
    solicitud = tv.admitida()  # its single review is redes', shared with computo
    [tarea] = tv.revisiones_abiertas(solicitud)
    computo, redes = Area.objects.get(clave="computo"), Area.objects.get(clave="redes")
    seguridad = Area.objects.get(clave="seguridad")
    assert areas_de_tarea(tarea=tarea) == [computo.pk, redes.pk]
    assert f"de {solicitud.folio}" not in tv.cola(como, "revisor.seguridad")

    servicio_areas.area_retirar(
        area=computo, por=usuario("admin"), destino=seguridad, motivo="Se reorganiza."
    )
    tarea.refresh_from_db()
    assert areas_de_tarea(tarea=tarea) == [redes.pk, seguridad.pk]
    assert titulo_de(tarea=tarea) == f"{TITULO_UNICA}: {tv.REDES}, {tv.SEGURIDAD}"
    evento = solicitud.eventos.get(tipo="revision_areas")
    assert evento.descripcion == (
        f"La revisión técnica única la comparten ahora: {tv.REDES}, {tv.SEGURIDAD}"
    )
    assert (evento.usuario, evento.motivo) == (usuario("admin"), "Se reorganiza.")
    assert evento.datos == {
        "tarea": tarea.pk,
        "de": ["computo", "redes"],
        "a": ["redes", "seguridad"],
        "liberada": None,
        "preguntas": 0,
    }
    # The destination's reviewer finds it in the shared queue and takes it.
    assert f"de {solicitud.folio}" in tv.cola(como, "revisor.seguridad")
    tareas.tarea_tomar(tarea=tarea, usuario=usuario("revisor.seguridad"))

    # The laptops' category goes to redes: seguridad no longer shares the review, and its
    # reviewer lets go of it.
    claves = list(
        solicitud.partidas.filter(perfil__categoria__area=seguridad).values_list(
            "perfil__categoria__clave", flat=True
        )
    )
    servicio_areas.categorias_asignar(area=redes, claves=claves, por=usuario("admin"))
    tarea.refresh_from_db()
    assert areas_de_tarea(tarea=tarea) == [redes.pk]
    assert tarea.owner is None
    ultimo = solicitud.eventos.filter(tipo="revision_areas").latest("numero")
    assert ultimo.datos["liberada"] == usuario("revisor.seguridad").pk
    assert f"de {solicitud.folio}" not in tv.cola(como, "revisor.seguridad")
