"""The price data kept by the doors (issue 62, items 1 and 8): a dictamen issued writes what
it approved of each item, a contract turns it into what was paid, a cancellation takes it out;
each profile's reference follows, with its minimum and its 24-month window, and the daily
command slides the window."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from dictamenes.emision.services import rectificacion
from dictamenes.models import PrecioObservado, ReferenciaPrecio
from dictamenes.precios import services
from dictamenes.seguimiento.services import contratos
from tests.dictamenes.flujo_utils import (
    credencial,
    en_firma,
    firmar,
    pdf_valido,
    perfil_de_area,
    usuario,
)
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


def test_el_contrato_verificado_cambia_lo_aprobado_por_lo_pagado(dictamen):
    contrato = contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=usuario("requirente.sh"),
        numero="SH-9",
        proveedor="Redes del Pacífico, S.A. de C.V.",
        fecha=timezone.localdate(),
        monto=Decimal("18000.00"),
        archivo=SimpleUploadedFile("sh-9.pdf", pdf_valido(), content_type="application/pdf"),
    )
    # Recorded by the requester alone it is not a price yet (issue 76): checked by the mesa,
    # it is.
    assert PrecioObservado.objects.get(solicitud=dictamen.solicitud).fuente == "aprobado"
    # The mesa is sent the document before checking it (issue 93, item 6).
    contratos.contrato_documento_abierto(contrato=contrato, usuario=usuario("mesa"))
    contratos.contrato_verificar(contrato=contrato, usuario=usuario("mesa"))
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

    observacion(otro, perfil, "17000", hoy - datetime.timedelta(days=100))
    # Older than 24 months: out of the window.
    observacion(otro, perfil, "1000", datetime.date(2024, 11, 25))
    services.referencia_recalcular(clave=clave, hoy=hoy)
    referencia.refresh_from_db()
    assert (referencia.compras, referencia.entes, referencia.suficiente) == (4, 2, True)
    # Each agency counts once (issue 93): SH's median 15000 and RC's 17000; their median
    # 16000 and the lowest 15000 (every purchase alike: 15500 and 14000).
    assert (referencia.mediana, referencia.minimo) == (Decimal("16000"), Decimal("15000"))
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


def test_las_cercas_dejan_fuera_lo_lejano_de_ambos_lados_con_su_motivo(demo):
    """Tukey's fences on both sides (issue 76, item 1). Sorted: 10, 100, 110, 120, 130, 140,
    180, 400. Inclusive quartiles: Q1 at 7 × 0.25 = 1.75 → 100 + 0.75 × 10 = 107.5; Q3 at 5.25
    → 140 + 0.25 × 40 = 150; IQR 42.5; fences 107.5 − 63.75 = 43.75 and 150 + 63.75 = 213.75.
    10 and 400 are left out. Each agency counts once (issue 93): of the six left, SH's median
    is 120 (100, 120, 140) and RC's 130 (110, 130, 180); the reference is their median, 125,
    and the lowest of them 120 (with the low one kept SH's would be 110 and the reference 120;
    with the high one RC's 155 and the reference 137.5)."""
    perfil = perfil_de_area("computo")
    clave = (perfil.categoria.clave, perfil.clave, "pieza")
    hoy = datetime.date(2026, 11, 26)
    for i, (siglas, precio) in enumerate(
        [("SH", 10), ("SH", 100), ("RC", 110), ("SH", 120), ("RC", 130), ("SH", 140), ("RC", 180)]
        + [("RC", 400)]
    ):
        observacion(siglas, perfil, str(precio), hoy - datetime.timedelta(days=5 + i))
    services.referencia_recalcular(clave=clave, hoy=hoy)
    referencia = ReferenciaPrecio.objects.get()
    assert (referencia.observadas, referencia.compras, referencia.mediana) == (
        8,
        6,
        Decimal("125.0000"),
    )
    assert (referencia.cerca_inferior, referencia.cerca_superior) == (
        Decimal("43.7500"),
        Decimal("213.7500"),
    )
    assert (referencia.minimo, referencia.suficiente) == (Decimal("120"), True)
    assert [(e["precio"], e["motivo"]) for e in referencia.excluidas] == [
        ("10.0000", "muy por debajo del resto: menor que la cerca inferior 43.75"),
        ("400.0000", "muy por encima del resto: mayor que la cerca superior 213.75"),
    ]


def test_en_la_cerca_se_queda():
    from dictamenes.precios import cercas

    assert cercas.cercas(Decimal("107.5"), Decimal("150")) == (Decimal("43.75"), Decimal("213.75"))
    assert (
        cercas.motivo(Decimal("43.75"), inferior=Decimal("43.75"), superior=Decimal("213.75")) == ""
    )
    assert (
        cercas.motivo(Decimal("213.75"), inferior=Decimal("43.75"), superior=Decimal("213.75"))
        == ""
    )
    assert cercas.motivo(Decimal("213.76"), inferior=Decimal("43.75"), superior=Decimal("213.75"))


@pytest.mark.parametrize(
    ("precios", "compras", "mediana"),
    [
        # Only a low one: Q1 100, Q3 120, fences 70 and 150: 10 out, the median of the rest 115
        # (kept, 110).
        ([10, 100, 110, 120, 130], 4, "115.0000"),
        # Only a high one: Q1 110, Q3 130, fences 80 and 160: 400 out, 115 (kept, 120).
        ([100, 110, 120, 130, 400], 4, "115.0000"),
        # On the fence: Q1 at 1.25 → 112.5, Q3 at 3.75 → 137.5, fences 75 and 175: 1000 out,
        # 75 stays; the median of 75…140 is 120 (without 75, 125).
        ([75, 110, 120, 130, 140, 1000], 5, "120.0000"),
    ],
)
def test_las_cercas_de_cada_lado_y_en_la_cerca(demo, precios, compras, mediana):
    perfil = perfil_de_area("computo")
    clave = (perfil.categoria.clave, perfil.clave, "pieza")
    hoy = datetime.date(2026, 11, 26)
    for i, precio in enumerate(precios):
        observacion("SH" if i % 2 else "RC", perfil, str(precio), hoy - datetime.timedelta(days=i))
    services.referencia_recalcular(clave=clave, hoy=hoy)
    referencia = ReferenciaPrecio.objects.get()
    assert (referencia.observadas, referencia.compras, referencia.mediana) == (
        len(precios),
        compras,
        Decimal(mediana),
    )


def test_la_ventana_cuenta_su_primer_y_su_ultimo_dia(demo):
    """The 24 months up to the day, both ends in (issue 76, item 9): on 2026-11-26 the window
    is 2024-11-26 … 2026-11-26. 100 on its first day and 300 on its last one count, 5 the day
    before does not. Each agency counts once (issue 93): SH's 100 and RC's median 250 give
    175 (without the first day, 250; with the day before, SH's is 52.5 and the reference
    151.25)."""
    perfil = perfil_de_area("computo")
    clave = (perfil.categoria.clave, perfil.clave, "pieza")
    hoy = datetime.date(2026, 11, 26)
    observacion("SH", perfil, "5", datetime.date(2024, 11, 25))
    observacion("SH", perfil, "100", datetime.date(2024, 11, 26))
    observacion("RC", perfil, "200", datetime.date(2025, 11, 26))
    observacion("RC", perfil, "300", hoy)
    services.referencia_recalcular(clave=clave, hoy=hoy)
    referencia = ReferenciaPrecio.objects.get()
    assert (referencia.desde, referencia.compras, referencia.mediana) == (
        datetime.date(2024, 11, 26),
        3,
        Decimal("175.0000"),
    )
