"""The signs of issue 80 as the doors compute them: from a request's quotes when it is
presented, from its contracts when they are recorded. Each case sits on both sides of its rule
(identical prices and prices 10 % apart; 0.4 % and 0.6 % apart with a 0.5 % threshold; one
ratio and two), and the request with three identical quotes and a contract over its approved
total carries both signs with their evidence."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dictamenes.cotizaciones import services as cotizaciones
from dictamenes.models import CodigoSenal, EventoAuditoria, Senal
from dictamenes.seguimiento.services import contratos
from dictamenes.senales import services
from dictamenes.tramite.services import etapas, solicitudes
from tests.dictamenes import flujo_utils as fu

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def archivo(marca: str):
    return SimpleUploadedFile(
        f"cot-{marca}.pdf",
        PDF.replace(b"%PDF-1.4\n", f"%PDF-1.4\n%{marca}\n".encode()),
        "application/pdf",
    )


def cotizar(partida, proveedor, precio):
    hoy = timezone.localdate()
    return cotizaciones.cotizacion_agregar(
        partida=partida,
        usuario=fu.usuario("requirente.sh"),
        proveedor=proveedor,
        precio_unitario=Decimal(precio),
        fecha=hoy,
        vigencia=hoy.replace(year=hoy.year + 1),
        archivo=archivo(f"{proveedor}-{precio}"),
    )


A, B, C = (
    "Cómputo del Noroeste, S.A. de C.V.",
    "Sistemas Sonorenses, S.A. de C.V.",
    "Redes del Pacífico, S. de R.L. de C.V.",
)


def presentar(solicitud):
    return solicitudes.solicitud_presentar(solicitud=solicitud, usuario=fu.usuario("requirente.sh"))


def codigos(solicitud) -> set[str]:
    return set(
        Senal.objects.filter(solicitud=solicitud, vigente=True).values_list("codigo", flat=True)
    )


def con_cotizaciones(precios_por_partida, areas=("computo",)):
    s = fu.borrador(areas=areas)
    for partida, precios in zip(s.partidas.order_by("id"), precios_por_partida, strict=True):
        for proveedor, precio in zip((A, B, C), precios, strict=False):
            cotizar(partida, proveedor, precio)
    return presentar(s)


def test_tres_cotizaciones_iguales_y_un_contrato_sobre_lo_aprobado(demo):
    s = con_cotizaciones([("9800.00", "9800.00", "9800.00")])
    assert codigos(s) == {CodigoSenal.COBERTURA}
    senal = Senal.objects.get(solicitud=s)
    assert "precios iguales" in senal.texto and A in senal.texto
    assert {p.nombre for p in senal.proveedores.all()} == {A, B, C}
    assert senal.evidencia and "/precio/" in senal.evidencia[0]["enlace"]
    assert EventoAuditoria.objects.filter(solicitud=s, tipo="senales").exists()

    etapas.admision_resolver(solicitud=s, usuario=fu.usuario("mesa"), admitir=True)
    s.refresh_from_db()
    fu.revisar(s, "computo")
    dictamen = fu.firmar(fu.decidir(s))
    contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=fu.usuario("requirente.sh"),
        numero="SH-1",
        proveedor=A,
        fecha=timezone.localdate(),
        monto=Decimal("21000.00"),  # $20,000.00 approved: 5 % over, within the tolerance
        motivo_exceso="El proveedor subió su precio de lista.",
    )
    services.senales_actualizar(s)
    assert codigos(s) == {CodigoSenal.COBERTURA, CodigoSenal.CONTRATO_EXCEDE}
    excede = Senal.objects.get(solicitud=s, codigo=CodigoSenal.CONTRATO_EXCEDE)
    assert "$21,000.00" in excede.texto and "$20,000.00" in excede.texto


def test_precios_a_diez_por_ciento_no_son_cobertura(demo):
    assert codigos(con_cotizaciones([("9000.00", "9900.00", "10890.00")])) == set()


@pytest.mark.parametrize(("otro", "senal"), [("9839.20", True), ("9858.80", False)])
def test_casi_iguales_es_a_lo_mas_el_umbral(demo, otro, senal):
    # 9,800.00 and 9,839.20 are 0.4 % apart; 9,858.80, 0.6 %: the threshold is 0.5 %.
    s = con_cotizaciones([("9800.00", otro, "12000.00")])
    assert (CodigoSenal.COBERTURA in codigos(s)) is senal


@pytest.mark.parametrize(
    ("segunda", "senal"), [(("8000.00", "8800.00"), True), (("8000.00", "9200.00"), False)]
)
def test_la_misma_razon_en_dos_partidas(demo, segunda, senal):
    # B quotes 10 % over A in the first item; in the second 10 % again (a sign) or 15 % (none).
    s = con_cotizaciones([("10000.00", "11000.00"), segunda], areas=("computo", "redes"))
    assert (CodigoSenal.COBERTURA in codigos(s)) is senal


def test_un_contrato_con_quien_no_cotizo(demo):
    s = con_cotizaciones([("9000.00", "9900.00", "10890.00")])
    etapas.admision_resolver(solicitud=s, usuario=fu.usuario("mesa"), admitir=True)
    s.refresh_from_db()
    fu.revisar(s, "computo")
    dictamen = fu.firmar(fu.decidir(s))
    for numero, proveedor in (
        ("SH-1", "Sistemas Sonorenses SA de CV"),
        ("SH-2", "Otra Empresa, S.A."),
    ):
        contratos.contrato_registrar(
            dictamen=dictamen,
            usuario=fu.usuario("requirente.sh"),
            numero=numero,
            proveedor=proveedor,
            fecha=timezone.localdate(),
            monto=Decimal("5000.00"),
        )
    services.senales_actualizar(s)
    senal = Senal.objects.get(solicitud=s, codigo=CodigoSenal.CONTRATO_SIN_COTIZACION)
    # The first is B written another way: the same company. Only the second never quoted.
    assert "SH-2" in senal.texto and "SH-1" not in senal.texto
