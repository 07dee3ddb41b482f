"""The price data kept by the doors (issue 62, items 1 and 8): a dictamen issued writes what
it approved of each item, a contract turns it into what was paid, a cancellation takes it out;
each profile's reference follows, with its minimum and its 24-month window, and the daily
command slides the window."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from dictamenes.emision.services import rectificacion
from dictamenes.models import PrecioObservado, ReferenciaPrecio
from dictamenes.precios import services
from dictamenes.seguimiento.services import contratos
from tests.dictamenes.flujo_utils import credencial, en_firma, firmar, perfil_de_area, usuario
from tests.por_modulo import de_nuevo, por_modulo
from tests.publico.precios_utils import observacion

pytestmark = pytest.mark.django_db

# One item of redes, 2 × $10,000.00, approved whole (flujo_utils.borrador).
dictamen_del_modulo = por_modulo(lambda: firmar(en_firma(areas=("redes",))))


@pytest.fixture
def dictamen(demo, dictamen_del_modulo):
    return de_nuevo(dictamen_del_modulo)


def test_el_dictamen_emitido_deja_el_precio_aprobado_de_cada_partida(dictamen):
    (partida,) = dictamen.solicitud.partidas.all()
    observado = PrecioObservado.objects.get(partida=partida)
    assert (observado.precio, observado.cantidad, observado.fuente) == (
        Decimal("10000.0000"),
        2,
        "aprobado",
    )
    assert (observado.categoria_clave, observado.perfil_clave) == (
        partida.perfil.categoria.clave,
        partida.perfil.clave,
    )
    assert observado.fecha == timezone.localdate(dictamen.emitido_en)
    referencia = ReferenciaPrecio.objects.get(
        categoria_clave=observado.categoria_clave, perfil_clave=observado.perfil_clave
    )
    # One purchase of one agency: figures kept, but no reference to show.
    assert (referencia.compras, referencia.entes, referencia.suficiente) == (1, 1, False)


def test_el_contrato_cambia_lo_aprobado_por_lo_pagado(dictamen):
    contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero="SH-9",
        proveedor="Redes del Pacífico, S.A. de C.V.",
        fecha=timezone.localdate(),
        monto=Decimal("18000.00"),
    )
    observado = PrecioObservado.objects.get(solicitud=dictamen.solicitud)
    # $18,000 paid for what was approved at $20,000: $9,000 a piece.
    assert (observado.precio, observado.fuente) == (Decimal("9000.0000"), "contratado")


def test_el_dictamen_cancelado_ya_no_cuenta(dictamen):
    rectificacion.dictamen_cancelar(
        dictamen=dictamen,
        usuario=usuario("firmante"),
        credencial=credencial("firmante"),
        motivo="Duplica un servicio consolidado.",
    )
    assert not PrecioObservado.objects.filter(solicitud=dictamen.solicitud).exists()
    assert not ReferenciaPrecio.objects.exists()


def test_reconstruir_da_lo_mismo_que_las_puertas(dictamen):
    def filas():
        return sorted(
            PrecioObservado.objects.values_list(
                "partida", "categoria_clave", "perfil_clave", "unidad", "fecha", "precio", "fuente"
            )
        )

    por_las_puertas = filas()
    assert por_las_puertas
    call_command("precios_recalcular", "--reconstruir", stdout=io.StringIO())
    assert filas() == por_las_puertas


def test_la_referencia_pide_tres_compras_de_dos_entes_y_mira_24_meses(demo):
    perfil = perfil_de_area("computo")
    clave = (perfil.categoria.clave, perfil.clave, "pieza")
    uno, otro = "SH", "RC"
    hoy = datetime.date(2026, 11, 26)
    observacion(uno, perfil, "15000", hoy - datetime.timedelta(days=10))
    observacion(uno, perfil, "16000", hoy - datetime.timedelta(days=40))
    observacion(uno, perfil, "14000", hoy - datetime.timedelta(days=70))
    services.referencia_recalcular(clave=clave, hoy=hoy)
    referencia = ReferenciaPrecio.objects.get()
    assert (referencia.compras, referencia.entes, referencia.suficiente) == (3, 1, False)

    observacion(otro, perfil, "30000", hoy - datetime.timedelta(days=100))
    # Older than 24 months: out of the window.
    observacion(otro, perfil, "1000", datetime.date(2024, 11, 25))
    services.referencia_recalcular(clave=clave, hoy=hoy)
    referencia.refresh_from_db()
    assert (referencia.compras, referencia.entes, referencia.suficiente) == (4, 2, True)
    assert (referencia.mediana, referencia.minimo) == (Decimal("15500.0000"), Decimal("14000"))
    assert referencia.desde == datetime.date(2024, 11, 26)
    assert [p["mes"] for p in referencia.serie] == ["2026-08", "2026-09", "2026-10", "2026-11"]

    # The daily run, almost two years on: the window starts on 2026-10-20, and only the
    # purchase of 2026-11-16 is left in it; later still, none.
    with time_machine.travel(datetime.datetime(2028, 10, 20, 19, tzinfo=datetime.UTC)):
        call_command("precios_recalcular", stdout=io.StringIO())
    referencia.refresh_from_db()
    assert (referencia.compras, referencia.suficiente) == (1, False)
    with time_machine.travel(datetime.datetime(2028, 12, 1, 19, tzinfo=datetime.UTC)):
        call_command("precios_recalcular", stdout=io.StringIO())
    assert not ReferenciaPrecio.objects.exists()
