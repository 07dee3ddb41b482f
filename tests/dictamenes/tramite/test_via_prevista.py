"""The fast track stated before and held after (issue 47, item 3): the draft says which track
it would take now and why, by the rule presentation applies; «Cumple con observaciones» does
not qualify; during a prevención the track the mesa reads follows the corrected amount."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from dictamenes import exceptions
from dictamenes.models import Solicitud
from dictamenes.tramite.selectors.tareas import TITULO_UNICA
from dictamenes.tramite.services import etapas, solicitudes
from tests.dictamenes.flujo_utils import (
    JUSTIFICACION_COTIZACIONES,
    detalle,
    perfil_de_area,
    usuario,
)
from tests.dictamenes.tramite import test_vias as tv

pytestmark = pytest.mark.django_db

PREVISTA = "Vía de revisión si la presenta ahora:"


def texto(pagina: str, id_: str) -> str:
    """The visible text of the section with that id (or heading), in one line."""
    seccion = re.search(
        rf'<section [^>]*(?:id|aria-labelledby)="{id_}"[^>]*>.*?</section>', pagina, re.S
    ).group(0)
    return re.sub(
        r" ([.,;:])", r"\1", " ".join(html.unescape(re.sub(r"<[^>]+>", " ", seccion)).split())
    )


def condiciones(pagina: str) -> list[str]:
    """The conditions the draft's box lists, each as read (its mark is hidden from readers)."""
    lista = re.search(r'<ul class="condiciones-via" id="via-condiciones">(.*?)</ul>', pagina, re.S)
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", li)).split()).lstrip("✓✗ ")
        for li in re.findall(r"<li[^>]*>(.*?)</li>", lista.group(1), re.S)
    ]


def datos_generales(solicitud, **cambios) -> dict:
    return {
        "tipo_operacion": solicitud.tipo_operacion,
        "titulo": solicitud.titulo,
        "justificacion": solicitud.justificacion,
        "alineacion": solicitud.alineacion,
        "monto_estimado": solicitud.monto_estimado,
        "ejercicio": solicitud.ejercicio,
    } | cambios


def con_observaciones(solicitud, partida):
    """The item saved again with a recommended requirement unmet (every mandatory one holds)."""
    solicitudes.partida_guardar(
        solicitud=solicitud,
        usuario=usuario("requirente.sh"),
        partida=partida,
        datos={
            "perfil": perfil_de_area("computo"),
            "descripcion": partida.descripcion,
            "cantidad": partida.cantidad,
            "precio_unitario": partida.precio_unitario,
            "capitulo": partida.capitulo,
            "partida_especifica": partida.partida_especifica,
            "especificaciones": tv.CUMPLEN["computo"] | {"eficiencia_energetica": False},
        },
    )


def precio(solicitud, partida, precio_unitario, *, cantidad=None):
    """The item saved again with another unit price (and quantity), as the page saves it."""
    solicitudes.partida_guardar(
        solicitud=solicitud,
        usuario=usuario("requirente.sh"),
        partida=partida,
        datos={
            "perfil": partida.perfil,
            "descripcion": partida.descripcion,
            "cantidad": cantidad or partida.cantidad,
            "precio_unitario": Decimal(precio_unitario),
            "capitulo": partida.capitulo,
            "partida_especifica": partida.partida_especifica,
            "especificaciones": partida.especificaciones,
            "justificacion_cotizaciones": JUSTIFICACION_COTIZACIONES,
        },
    )


def test_el_borrador_dice_la_via_que_seguiria_y_presentarla_da_la_misma(demo, como):
    solicitud = tv.borrador()
    pagina = como("requirente.sh").get(detalle(solicitud)).content.decode()
    caja = texto(pagina, "via-prevista")
    assert f"{PREVISTA} Vía rápida" in caja
    assert "Umbral de la vía rápida: $500,000.00." in caja
    assert condiciones(pagina) == [
        tv.MONTO_CUMPLIDO % "$70,000.00",
        tv.PARTIDAS_CUMPLIDA,
        tv.CATEGORIAS_CUMPLIDA,
    ]
    assert 'class="condicion-via condicion-via--si"' in pagina
    # Its steps are the fast track's: one review shared by both areas.
    unica = f"{TITULO_UNICA}: {tv.COMPUTO}, {tv.REDES}"
    assert unica in texto(pagina, "t-pasos")
    assert f"Revisión técnica: {tv.COMPUTO}" not in pagina

    # The requester raises the items (and the total with them): the page, drawn again, says
    # the full track and why. 2 × $23,975,000 + 5 × $10,000 = $48,000,000.
    computo = solicitud.partidas.get(descripcion="Partida de computo")
    precio(solicitud, computo, "23975000.00")
    solicitudes.solicitud_actualizar(
        solicitud=solicitud,
        usuario=usuario("requirente.sh"),
        datos=datos_generales(solicitud, monto_estimado=Decimal("48000000.00")),
    )
    pagina = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert f"{PREVISTA} Vía completa" in texto(pagina, "via-prevista")
    prevista = condiciones(pagina)
    assert prevista[0] == tv.MONTO_NO_CUMPLIDO % "$48,000,000.00"
    assert 'class="condicion-via condicion-via--no"' in pagina
    assert f"Revisión técnica: {tv.COMPUTO}" in texto(pagina, "t-pasos")
    assert unica not in pagina

    # Presenting gives the track and the reasons the draft showed, word for word (each item
    # says why it has no three quotes: issue 62).
    solicitud.partidas.update(justificacion_cotizaciones=JUSTIFICACION_COTIZACIONES)
    presentada = solicitudes.solicitud_presentar(
        solicitud=solicitud, usuario=usuario("requirente.sh")
    )
    assert (presentada.via, presentada.via_razones) == ("completa", prevista)
    pagina = como("requirente.sh").get(detalle(presentada)).content.decode()
    assert 'id="via-prevista"' not in pagina
    assert "Vía de revisión: Vía completa" in texto(pagina, "via")


def test_una_partida_que_cumple_con_observaciones_va_a_la_via_completa(demo, como):
    solicitud = tv.borrador()
    partida = solicitud.partidas.get(descripcion="Partida de computo")
    con_observaciones(solicitud, partida)
    partida.refresh_from_db()
    assert partida.veredicto == "observaciones"
    no_cumplida = (
        f"{tv.PARTIDAS_NO_CUMPLIDA} La autoevaluación de la partida «Partida de computo» da "
        "«Cumple con observaciones»."
    )
    pagina = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert f"{PREVISTA} Vía completa" in texto(pagina, "via-prevista")
    assert condiciones(pagina)[1] == no_cumplida

    solicitud = solicitudes.solicitud_presentar(
        solicitud=solicitud, usuario=usuario("requirente.sh")
    )
    assert solicitud.via == "completa"
    assert solicitud.via_razones[1] == no_cumplida
    etapas.admision_resolver(solicitud=solicitud, usuario=usuario("mesa"), admitir=True)
    assert len(tv.revisiones_abiertas(solicitud)) == 2  # one per area: the full review


def prevenida(monto: str):
    solicitud = tv.presentada(monto=monto)
    etapas.admision_resolver(
        solicitud=solicitud, usuario=usuario("mesa"), admitir=False, faltantes="La cotización."
    )
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.PREVENIDA
    return solicitud


def agregar(solicitud, *, descripcion, cantidad, precio_unitario):
    return solicitudes.partida_guardar(
        solicitud=solicitud,
        usuario=usuario("requirente.sh"),
        datos={
            "perfil": perfil_de_area("redes"),
            "descripcion": descripcion,
            "cantidad": cantidad,
            "precio_unitario": Decimal(precio_unitario),
            "capitulo": "5000",
            "partida_especifica": "51501",
            "especificaciones": tv.CUMPLEN["redes"],
        },
    )


def test_en_la_prevencion_la_via_sigue_a_las_partidas_no_al_monto_escrito(demo, como):
    """Issue 59, item 5: $5,000,000 of items added during a prevención to a $450,000 request
    send it to the full track (it stayed on the fast one, reading the typed total); the
    typed total alone moves nothing."""
    solicitud = prevenida("450000.00")
    assert solicitud.via == "rapida"

    # Only the typed total is lowered: the items still add up to $450,000, nothing changes.
    solicitudes.solicitud_actualizar(
        solicitud=solicitud,
        usuario=usuario("requirente.sh"),
        datos=datos_generales(solicitud, monto_estimado=Decimal("100000.00")),
    )
    solicitud.refresh_from_db()
    assert solicitud.via_razones[0] == tv.MONTO_CUMPLIDO % "$450,000.00"
    assert solicitud.eventos.filter(tipo="via").count() == 1

    grande = agregar(
        solicitud, descripcion="Switches de núcleo", cantidad=10, precio_unitario="500000"
    )
    solicitud.refresh_from_db()
    assert solicitud.via == "completa"
    pagina = como("mesa").get(detalle(solicitud)).content.decode()
    via = texto(pagina, "via")
    assert "Vía de revisión: Vía completa" in via
    assert tv.MONTO_NO_CUMPLIDO % "$5,450,000.00" in via
    assert 'id="via-completa"' not in pagina  # the rule already sends it to the full track
    ultimo = solicitud.eventos.filter(tipo="via").order_by("-numero").first()
    assert (ultimo.descripcion, ultimo.usuario) == (
        "Con la corrección, sigue la vía completa",
        usuario("requirente.sh"),
    )
    # The requirente sees it in the request's history too.
    historial = como("requirente.sh").get(detalle(solicitud)).content.decode()
    assert "Con la corrección, sigue la vía completa" in historial

    # Returned corrected with a total that disagrees with its items: refused, nothing lost.
    r = como("requirente.sh").post(
        reverse("solicitudes:subsanar", args=[solicitud.pk]), {"texto": "Agregamos la cotización."}
    )
    assert r.status_code == 400
    rechazo = exceptions.ERROR_MONTO_NO_CUADRA % {
        "declarado": "$100,000.00",
        "partidas": "$5,450,000.00",
    }
    assert html.escape(str(rechazo)) in r.content.decode()
    solicitud.refresh_from_db()
    assert solicitud.estado == Solicitud.Estado.PREVENIDA

    # The item removed, the total put right: back to the fast track, and returned corrected.
    solicitudes.partida_eliminar(partida=grande, usuario=usuario("requirente.sh"))
    solicitudes.solicitud_actualizar(
        solicitud=Solicitud.objects.get(pk=solicitud.pk),
        usuario=usuario("requirente.sh"),
        datos=datos_generales(solicitud, monto_estimado=Decimal("450000.00")),
    )
    etapas.solicitud_subsanar(
        solicitud=solicitud, usuario=usuario("requirente.sh"), respuesta="Cotización agregada."
    )
    solicitud.refresh_from_db()
    assert (solicitud.estado, solicitud.via) == (Solicitud.Estado.ADMISION, "rapida")
    assert [e.descripcion for e in solicitud.eventos.filter(tipo="via").order_by("numero")] == [
        "Sigue la vía rápida",
        "Con la corrección, sigue la vía completa",
        "Con la corrección, sigue la vía rápida",
    ]


def test_en_la_prevencion_una_partida_con_observaciones_la_manda_a_la_completa(demo):
    solicitud = prevenida("50000.00")
    computo = solicitud.partidas.get(descripcion="Partida de computo")
    con_observaciones(solicitud, computo)
    solicitud.refresh_from_db()
    assert solicitud.via == "completa"
    solicitudes.partida_eliminar(partida=computo, usuario=usuario("requirente.sh"))
    solicitud.refresh_from_db()
    assert solicitud.via == "rapida"
