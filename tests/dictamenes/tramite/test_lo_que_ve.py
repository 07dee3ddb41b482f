"""What a person stumbles on along the walk: totals that do not add up, a required opinion left
empty, an empty box after presenting, and money written as people write it."""

import html
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from dictamenes import exceptions
from dictamenes.models import Solicitud
from dictamenes.tramite.selectors.plazos import vencimiento_de
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from dictamenes.tramite.services import etapas
from tests.dictamenes.flujo_utils import admitida, borrador, detalle, presentada, usuario

pytestmark = pytest.mark.django_db


def _declarar(solicitud, monto):
    Solicitud.objects.filter(pk=solicitud.pk).update(monto_estimado=Decimal(monto))
    solicitud.refresh_from_db()


def test_el_total_declarado_que_no_cuadra_se_advierte_en_la_pagina_y_no_se_presenta(demo, como):
    """Issue 59, item 5: the track reads the items, so a declared total that says otherwise
    is refused at presentation (it was a warning, and the request was presented, before);
    the draft keeps everything."""
    # Two items of 2 × $10,000.00: $40,000.00 of items against $1,030,000.00 declared.
    solicitud = borrador(areas=("computo", "redes"))
    _declarar(solicitud, "1030000")
    c = como("requirente.sh")
    aviso = (
        "El monto total declarado ($1,030,000.00) no coincide con la suma de las partidas "
        "($40,000.00): la diferencia es de $990,000.00."
    )
    pagina = c.get(detalle(solicitud)).content.decode()
    assert aviso in pagina and "Corrija el monto total o las partidas" in pagina
    rechazo = str(
        exceptions.ERROR_MONTO_NO_CUADRA % {"declarado": "$1,030,000.00", "partidas": "$40,000.00"}
    )
    assert html.escape(rechazo) in pagina  # listed among what is missing to present it

    r = c.post(reverse("solicitudes:presentar", args=[solicitud.pk]))
    assert r.status_code == 400
    assert html.escape(rechazo) in r.content.decode()
    solicitud.refresh_from_db()
    assert (solicitud.estado, solicitud.folio, solicitud.via) == (
        Solicitud.Estado.BORRADOR,
        None,
        "",
    )
    assert solicitud.monto_estimado == Decimal("1030000.00")
    assert solicitud.partidas.count() == 2
    assert not solicitud.eventos.filter(tipo__in=("presentacion", "via")).exists()

    # Corrected to the items' sum, it is presented.
    _declarar(solicitud, "40000")
    assert c.post(reverse("solicitudes:presentar", args=[solicitud.pk])).status_code == 302
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.ADMISION


def test_un_total_que_cuadra_no_advierte_nada(demo, como):
    solicitud = borrador(areas=("computo",))
    _declarar(solicitud, "20000")
    pagina = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert "no coincide con la suma de las partidas" not in pagina


def test_la_opinion_vacia_del_revisor_muestra_su_mensaje(demo, como):
    solicitud = admitida(areas=("computo",))
    c = como("revisor.computo")
    pagina = c.get(detalle(solicitud)).content.decode()
    # The server says what is missing: the browser does not stop the form with a bare focus.
    accion = reverse("solicitudes:revision_area", args=[solicitud.pk, "computo"])
    assert f'action="{accion}" novalidate' in pagina
    r = c.post(
        reverse("solicitudes:revision_area", args=[solicitud.pk, "computo"]),
        {"computo-opinion": "favorable", "computo-observaciones": "Escrito a medias"},
    )
    assert r.status_code == 400
    pagina = r.content.decode()
    esperado = str(exceptions.ERROR_OPINION_FALTANTE % {"partida": "Partida de computo"})
    assert esperado in pagina
    assert "Escrito a medias" in pagina  # nothing typed is lost
    assert solicitud.revisiones.count() == 0


def test_despues_de_presentar_el_requirente_sabe_que_sigue_y_para_cuando(demo, como):
    solicitud = presentada()
    tarea = tareas_abiertas(solicitud=solicitud).get()
    vence = vencimiento_de(tarea=tarea)
    from django.utils import timezone

    pagina = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert "Lo que sigue" in pagina
    assert (
        "La mesa de control revisa que su solicitud esté completa, a más tardar el "
        f"{timezone.localtime(vence):%d/%m/%Y}." in pagina
    )
    assert "Por ahora no le toca hacer nada." in pagina

    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    pagina = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert "Revisión técnica: Equipo de cómputo e impresión: el área revisa sus partidas" in pagina


@pytest.mark.parametrize(
    ("monto", "texto"),
    [
        (Decimal("21500"), "$21,500.00"),
        (21500.0, "$21,500.00"),
        (Decimal("1030000.5"), "$1,030,000.50"),
        (0, "$0.00"),
        (None, "—"),
        (Decimal("-420000"), "-$420,000.00"),
    ],
)
def test_el_dinero_se_escribe_como_en_mexico(monto, texto):
    plantilla = Template("{% load etiquetas %}{{ m|pesos }}")
    assert plantilla.render(Context({"m": monto})) == texto


def test_la_lista_y_la_solicitud_muestran_el_dinero_en_formato_mexicano(demo, como):
    solicitud = borrador()
    _declarar(solicitud, "21500")
    c = como("requirente.sh")
    assert "$21,500.00" in c.get(reverse("solicitudes:lista")).content.decode()
    pagina = c.get(detalle(solicitud)).content.decode()
    assert "$21,500.00" in pagina and "21500.0" not in pagina
    assert "$20,000.00" in pagina  # the item: 2 × $10,000.00


def test_pedir_informacion_sin_pregunta_dice_que_falta_la_pregunta(demo, como):
    solicitud = admitida(areas=("computo",))
    r = como("revisor.computo").post(
        reverse("solicitudes:pedir_informacion", args=[solicitud.pk, "computo"]),
        {"pet-computo-texto": "   "},
    )
    assert r.status_code == 400
    assert str(exceptions.ERROR_SIN_PREGUNTA) in r.content.decode()
    assert solicitud.peticiones.count() == 0


def test_tras_cancelar_el_dictamen_la_solicitud_no_parece_vigente(demo, como):
    from dictamenes.emision.services import rectificacion
    from tests.dictamenes.flujo_utils import credencial, en_firma, firmar

    solicitud = en_firma(areas=("computo",), motivos="Sí procede la compra.")
    dictamen = firmar(solicitud)
    pagina = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert "El dictamen está emitido y firmado" in pagina
    rectificacion.dictamen_cancelar(
        dictamen=dictamen,
        usuario=usuario("firmante"),
        credencial=credencial(),
        motivo="Se desistió de la compra.",
    )
    pagina = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert f"{dictamen.folio} cancelado" in pagina
    assert f"El dictamen {dictamen.folio} se canceló el " in pagina
    assert "Se desistió de la compra." in pagina
    assert "El dictamen está emitido y firmado" not in pagina
