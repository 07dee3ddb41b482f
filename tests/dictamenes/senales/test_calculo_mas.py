"""The other signs of issue 80, each on both sides of its rule, and the door that records what
whoever decides did about a sign. Dates are chosen against the calendar (Mexico's holidays:
25 December 2026 is a Friday)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dictamenes.cotizaciones import services as cotizaciones_svc
from dictamenes.models import (
    Anexo,
    CodigoSenal,
    Condicion,
    Contrato,
    DecisionPartida,
    Entrega,
    EventoAuditoria,
    Partida,
    Senal,
    Solicitud,
)
from dictamenes.seguimiento.services import contratos
from dictamenes.senales import services
from dictamenes.tramite.services import etapas
from tests.datos_personales_mx import rfc_moral
from tests.dictamenes import flujo_utils as fu
from tests.dictamenes.senales.test_calculo import (
    A,
    B,
    C,
    archivo,
    codigos,
    con_cotizaciones,
    cotizar,
    presentar,
)

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=-7))  # Hermosillo


def test_precio_no_aceptable_contra_sus_cotizaciones(demo):
    # The item costs $10,000.00: 23.5 % over the median of 8,000 / 8,100 / 8,200 is a sign
    # (the law's «no aceptable» is more than 10 %); 4.2 % over 9,500 / 9,600 / 9,700 is not.
    assert CodigoSenal.PRECIO_ALTO in codigos(con_cotizaciones([("8000.00", "8100.00", "8200.00")]))
    assert CodigoSenal.PRECIO_ALTO not in codigos(
        con_cotizaciones([("9500.00", "9600.00", "9700.00")])
    )


@pytest.mark.parametrize(("cuantas", "senal"), [(2, True), (3, False)])
def test_menos_de_tres_cotizaciones_sobre_el_umbral(demo, cuantas, senal):
    s = fu.borrador()
    partida = s.partidas.get()
    # 2 × $260,000.00 = $520,000.00: over the $500,000.00 from which three quotes are due.
    Partida.objects.filter(pk=partida.pk).update(
        precio_unitario=Decimal("260000.00"),
        justificacion_cotizaciones="Fuente única en el estado.",
    )
    Solicitud.objects.filter(pk=s.pk).update(monto_estimado=Decimal("520000.00"))
    for proveedor, precio in list(zip((A, B, C), ("250000", "262000", "275000"), strict=True))[
        :cuantas
    ]:
        cotizar(partida, proveedor, precio)
    assert (CodigoSenal.POCAS_COTIZACIONES in codigos(presentar(s))) is senal


def test_cotiza_una_persona_del_personal_del_ente(demo):
    requirente = fu.usuario("requirente.sh")
    nombre = requirente.get_full_name()
    assert nombre
    s = fu.borrador()
    partida = s.partidas.get()
    cotizar(partida, nombre.upper(), "9000.00")  # the same person, written in capitals
    cotizar(partida, A, "9900.00")
    senal = Senal.objects.get(solicitud=presentar(s), codigo=CodigoSenal.PROVEEDOR_DEL_ENTE)
    assert "personal del ente" in senal.texto


def test_sin_senales_la_solicitud_limpia_y_el_borrador(demo):
    s = fu.borrador()
    assert services.senales_actualizar(s) == []  # a draft carries none
    assert codigos(con_cotizaciones([("9000.00", "9900.00", "10890.00")])) == set()


@pytest.mark.parametrize(("dia", "senal"), [(24, True), (23, False)])
def test_presentada_en_los_ultimos_cinco_dias_habiles(demo, dia, senal):
    # The last five business days of 2026: 31, 30, 29, 28 and 24 December (25th: holiday,
    # 26–27th: weekend). The 24th is the first day of the window; the 23rd is outside.
    with time_machine.travel(datetime.datetime(2026, 12, dia, 10, tzinfo=TZ), tick=False):
        s = fu.borrador()
        s = presentar(s)
    assert (CodigoSenal.CIERRE_DE_EJERCICIO in codigos(s)) is senal


@pytest.fixture
def dictaminada(demo):
    s = con_cotizaciones([("9000.00", "9900.00", "10890.00")])
    etapas.admision_resolver(solicitud=s, usuario=fu.usuario("mesa"), admitir=True)
    s.refresh_from_db()
    fu.revisar(s, "computo")
    return fu.firmar(fu.decidir(s, resultado="condicionado", condiciones="Entregar la garantía."))


def contrato(
    dictamen, *, monto="20000.00", proveedor=A, numero="SH-1", fecha=None, termino=None, rfc=""
):
    c = contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=fu.usuario("requirente.sh"),
        numero=numero,
        proveedor=proveedor,
        proveedor_rfc=rfc,
        fecha=fecha or timezone.localdate(),
        monto=Decimal(monto),
    )
    if termino:
        Contrato.objects.filter(pk=c.pk).update(termino=termino)
        c.refresh_from_db()
    return c


def entregar(c, *, pagado, cantidades, fecha=None):
    s = c.dictamen.solicitud
    anexo = Anexo.objects.create(
        solicitud=s,
        tipo=Anexo.Tipo.ENTREGA,
        archivo=f"pruebas/acta-{c.pk}.pdf",
        nombre="acta.pdf",
        content_type="application/pdf",
        tamano=10,
        sha256="0" * 64,
        subido_por=fu.usuario("requirente.sh"),
    )
    return Entrega.objects.create(
        contrato=c,
        fecha=fecha or timezone.localdate(),
        anexo=anexo,
        monto_pagado=Decimal(pagado),
        cantidades=cantidades,
        registrada_por=fu.usuario("requirente.sh"),
        registrada_en=timezone.now(),
    )


def test_entrega_faltante_despues_de_los_dias_habiles_del_termino(dictaminada):
    s = dictaminada.solicitud
    c = contrato(dictaminada, termino=datetime.date(2027, 1, 4))  # a Monday
    # 20 business days after Monday 4 January 2027: 19 from the 5th to Friday the 29th, Monday
    # 1 February is a holiday (Constitution Day, its first Monday), so the 20th is Tuesday the
    # 2nd. The sign comes the day after, not on it.
    services.senales_actualizar(s, hoy=datetime.date(2027, 2, 2))
    assert CodigoSenal.ENTREGA_FALTANTE not in codigos(s)
    services.senales_actualizar(s, hoy=datetime.date(2027, 2, 3))
    assert CodigoSenal.ENTREGA_FALTANTE in codigos(s)
    partida = s.partidas.get()
    entregar(c, pagado="20000.00", cantidades={str(partida.pk): 2})
    services.senales_actualizar(s, hoy=datetime.date(2027, 2, 3))
    assert CodigoSenal.ENTREGA_FALTANTE not in codigos(s)
    retirada = Senal.objects.get(solicitud=s, codigo=CodigoSenal.ENTREGA_FALTANTE)
    assert not retirada.vigente and retirada.retirada_en  # kept, for the history
    # Back again (the act removed): it is in force and the history says it came back.
    Entrega.objects.filter(contrato=c).delete()
    services.senales_actualizar(s, hoy=datetime.date(2027, 2, 3))
    vuelta = Senal.objects.get(solicitud=s, codigo=CodigoSenal.ENTREGA_FALTANTE)
    assert vuelta.vigente and vuelta.detectada_en > retirada.detectada_en
    ultimo = EventoAuditoria.objects.filter(solicitud=s, tipo="senales").order_by("-numero").first()
    assert ultimo.datos["nuevas"] == ["entrega_faltante"]


def test_pago_sobre_el_contrato_y_cantidades_distintas(dictaminada):
    s = dictaminada.solicitud
    partida = s.partidas.get()
    c = contrato(dictaminada, monto="20000.00")
    entregar(c, pagado="20000.00", cantidades={str(partida.pk): 2})
    services.senales_actualizar(s)
    # Contracted, paid and received exactly what was approved: no sign at equality.
    assert not codigos(s) & {
        CodigoSenal.PAGO_EXCEDE,
        CodigoSenal.ENTREGA_DISTINTA,
        CodigoSenal.CONTRATO_EXCEDE,
    }
    entregar(c, pagado="0.01", cantidades={str(partida.pk): 1})
    services.senales_actualizar(s)
    assert {CodigoSenal.PAGO_EXCEDE, CodigoSenal.ENTREGA_DISTINTA} <= codigos(s)
    assert (
        "2 aprobadas, 3 recibidas"
        in Senal.objects.get(solicitud=s, codigo=CodigoSenal.ENTREGA_DISTINTA).texto
    )


def test_contrato_despues_de_la_vigencia(dictaminada):
    s = dictaminada.solicitud
    contrato(dictaminada, monto="19000.00", fecha=dictaminada.vigencia_hasta)
    services.senales_actualizar(s)
    assert CodigoSenal.VIGENCIA_VENCIDA not in codigos(s)
    contrato(
        dictaminada,
        numero="SH-2",
        monto="1.00",
        fecha=dictaminada.vigencia_hasta + datetime.timedelta(days=1),
    )
    services.senales_actualizar(s)
    assert CodigoSenal.VIGENCIA_VENCIDA in codigos(s)


def test_condicion_vencida_sin_evidencia(dictaminada):
    s = dictaminada.solicitud
    condicion = Condicion.objects.get(dictamen=dictaminada)
    services.senales_actualizar(s, hoy=condicion.vence)
    assert CodigoSenal.CONDICIONES_VENCIDAS not in codigos(s)
    assert services.senales_al_dia(hoy=condicion.vence + datetime.timedelta(days=1)) >= 1
    assert CodigoSenal.CONDICIONES_VENCIDAS in codigos(s)


def test_un_proveedor_con_mas_de_sesenta_por_ciento_del_anio_del_ente(dictaminada):
    s = dictaminada.solicitud
    contrato(dictaminada, monto="6100.00", proveedor=A, numero="SH-1")
    contrato(dictaminada, monto="1300.00", proveedor=B, numero="SH-2")
    contrato(dictaminada, monto="1300.00", proveedor=C, numero="SH-3")
    contrato(dictaminada, monto="1300.00", proveedor="Otra Empresa, S.A.", numero="SH-4")
    services.senales_del_ente_actualizar(ente_id=s.ente_id, ejercicio=timezone.localdate().year)
    senal = Senal.objects.get(solicitud=s, codigo=CodigoSenal.PROVEEDOR_DOMINANTE)
    assert "61.0 %" in senal.texto and {p.nombre for p in senal.proveedores.all()} == {A}


def test_un_proveedor_dominante_escrito_de_varias_maneras_es_uno(dictaminada):
    """Issue 88: the same canonical name, a typo («Nrote») and its RFC under another name are
    one supplier: 62.0 % together, none above 60 % alone nor without the RFC (50.0 %); «Redes
    del Sur» and another company's RFC stay others."""
    s = dictaminada.solicitud
    rfc = rfc_moral("RNO", datetime.date(2004, 5, 17), "K2")
    otro = rfc_moral("CDE", datetime.date(2003, 7, 15), "K7")
    for n, (proveedor, monto, rfc_) in enumerate(
        [
            ("Redes del Norte, S.A. de C.V.", "2500.00", rfc),
            ("REDES DEL NORTE SA DE CV", "1000.00", ""),
            ("Redes del Nrote, S.A.", "1500.00", ""),
            ("RDN Telecomunicaciones", "1200.00", rfc),
            ("Redes del Sur, S.A.", "1200.00", ""),
            ("Cómputo del Desierto, S.A. de C.V.", "1300.00", otro),
            ("Otra Empresa, S.A.", "1300.00", ""),
        ]
    ):
        contrato(dictaminada, monto=monto, proveedor=proveedor, numero=f"SH-{n}", rfc=rfc_)
    services.senales_del_ente_actualizar(ente_id=s.ente_id, ejercicio=timezone.localdate().year)
    senal = Senal.objects.get(solicitud=s, codigo=CodigoSenal.PROVEEDOR_DOMINANTE)
    assert "62.0 %" in senal.texto
    nombres = {p.nombre for p in senal.proveedores.all()}
    assert "Redes del Sur, S.A." not in nombres and "Otra Empresa, S.A." not in nombres
    assert {"Redes del Nrote, S.A.", "RDN Telecomunicaciones"} <= nombres


def test_aprobada_sobre_lo_no_aceptable_sin_explicacion(dictaminada):
    s = dictaminada.solicitud
    d = DecisionPartida.objects.get(partida__solicitud=s)
    base = dict(
        d.base_precio, ley={**(d.base_precio.get("ley") or {}), "veredicto": "no_aceptable"}
    )
    DecisionPartida.objects.filter(pk=d.pk).update(base_precio=base, texto="")
    services.senales_actualizar(s)
    assert CodigoSenal.APROBADA_SIN_MOTIVO in codigos(s)
    DecisionPartida.objects.filter(pk=d.pk).update(
        texto="Único proveedor certificado en el estado."
    )
    services.senales_actualizar(s)
    assert CodigoSenal.APROBADA_SIN_MOTIVO not in codigos(s)


def test_atender_una_senal_lo_hace_quien_decide_en_la_etapa(demo):
    s = con_cotizaciones([("9800.00", "9800.00", "9800.00")])
    senal = Senal.objects.get(solicitud=s)
    with pytest.raises(PermissionDenied, match="Mesa de control"):
        services.senal_atender(
            senal=senal,
            usuario=fu.usuario("estrategico"),
            atencion="sin_efecto",
            nota="Revisada contra la referencia.",
        )
    with pytest.raises(PermissionDenied):
        services.senal_atender(
            senal=senal,
            usuario=fu.usuario("requirente.sh"),
            atencion="sin_efecto",
            nota="Revisada contra la referencia.",
        )
    with pytest.raises(ValidationError) as error:
        services.senal_atender(
            senal=senal, usuario=fu.usuario("mesa"), atencion="prevencion", nota="  "
        )
    assert "nota" in str(error.value)
    services.senal_atender(
        senal=senal,
        usuario=fu.usuario("mesa"),
        atencion="prevencion",
        nota="Se pidió otra cotización.",
    )
    senal.refresh_from_db()
    assert senal.atencion == "prevencion" and senal.atendida_por.username == "mesa"
    evento = EventoAuditoria.objects.get(solicitud=s, tipo="senal_atendida")
    assert evento.motivo == "Se pidió otra cotización."
    # The attention stays when the sign is computed again.
    services.senales_actualizar(s)
    senal.refresh_from_db()
    assert senal.atencion == "prevencion"


def test_el_posible_fraccionamiento_es_una_senal(demo):
    from tests.dictamenes.tramite.test_fraccionamiento import laptops

    primera = presentar(laptops())
    assert CodigoSenal.FRACCIONAMIENTO not in codigos(primera)  # alone, $480,000.00
    segunda = presentar(laptops())
    senal = Senal.objects.get(solicitud=segunda, codigo=CodigoSenal.FRACCIONAMIENTO)
    assert primera.folio in senal.texto and "$960,000.00" in senal.texto


def test_un_contrato_que_termina_lejos_se_registra_sin_senal_de_entrega(dictaminada):
    # A term in 2100 is past the calendar the signs load: recording it must not fail.
    c = contrato(dictaminada)
    Contrato.objects.filter(pk=c.pk).update(termino=datetime.date(2100, 1, 4))
    services.senales_actualizar(dictaminada.solicitud)
    assert CodigoSenal.ENTREGA_FALTANTE not in codigos(dictaminada.solicitud)


def _observaciones(partida, precio, fecha, entes, n=4):
    """`n` purchases of the item's profile at `precio`, on `fecha`, by `entes` in turn (each
    on a copy of the item in another request: an observation belongs to one item)."""
    from dictamenes.models import PrecioObservado

    otra = fu.borrador(titulo="Compras anteriores")
    for i in range(n):
        copia = Partida.objects.create(
            solicitud=otra,
            perfil=partida.perfil,
            descripcion=f"Compra {fecha} {i}",
            cantidad=1,
            precio_unitario=Decimal(precio),
            capitulo=partida.capitulo,
            partida_especifica=partida.partida_especifica,
        )
        PrecioObservado.objects.create(
            partida=copia,
            solicitud=otra,
            ente=entes[i % len(entes)],
            categoria_clave=partida.perfil.categoria.clave,
            perfil_clave=partida.perfil.clave,
            unidad=partida.unidad,
            fecha=fecha,
            cantidad=1,
            precio=Decimal(precio),
            fuente="aprobado",
        )


def test_el_precio_se_juzga_contra_la_referencia_del_dia_en_que_se_presento(demo):
    from dictamenes.models import Ente
    from dictamenes.precios.services import referencias_recalcular

    hoy = timezone.localdate()
    presentada = hoy - datetime.timedelta(days=800)
    with time_machine.travel(
        datetime.datetime.combine(presentada, datetime.time(10), TZ), tick=False
    ):
        s = fu.borrador()  # its item: 2 × $10,000.00
        partida = s.partidas.get()
        entes = list(Ente.objects.order_by("pk")[:2])
        # The market then: $9,800.00 (the item 2 % over it). Today, after 800 days, $5,000.00:
        # against today's reference the same item would be 100 % over.
        _observaciones(partida, "9800.00", presentada - datetime.timedelta(days=30), entes)
        s = presentar(s)
    _observaciones(partida, "5000.00", hoy - datetime.timedelta(days=10), entes)
    referencias_recalcular()
    services.senales_actualizar(s)
    assert CodigoSenal.PRECIO_ALTO not in codigos(s)


def test_la_historia_sin_via_juzga_sus_fraccionamientos_con_la_regla(demo):
    """Requests written in bulk (the history generator, an import) never went through the
    track's door: `senales_calcular` judges their split purchases by the track's rule, and a
    later door that cannot judge them keeps what was found."""
    import io

    from django.core.management import call_command

    from tests.dictamenes.tramite.test_fraccionamiento import laptops

    primera, segunda = presentar(laptops()), presentar(laptops())
    Solicitud.objects.filter(pk__in=[primera.pk, segunda.pk]).update(via="", via_fraccion=[])
    Senal.objects.filter(solicitud__in=[primera, segunda]).delete()
    call_command("senales_calcular", "--todas", stdout=io.StringIO())
    for s in (primera, segunda):
        assert CodigoSenal.FRACCIONAMIENTO in codigos(s)
    services.senales_actualizar(segunda)  # a door with no rule to judge it
    assert CodigoSenal.FRACCIONAMIENTO in codigos(segunda)


# --- Issue 88: the signs read the one canonical form ------------------------------------------


@pytest.mark.parametrize(
    "escrito",
    ["Secretaría de Hacienda del Estado de Sonora", "SH, S.A. de C.V.", "Secretaría de Haciеnda"],
)
def test_cotiza_el_propio_ente_con_otro_de_sus_nombres(demo, escrito):
    """The door refuses an agency as a supplier; a quote stored before it did (or imported)
    under the agency's long name, its acronym with a legal form or a look-alike letter is
    still the agency quoting to itself."""
    s = fu.borrador()
    partida = s.partidas.get()
    cotizada = cotizar(partida, A, "9000.00")
    type(cotizada).objects.filter(pk=cotizada.pk).update(proveedor=escrito)
    cotizar(partida, B, "9900.00")
    senal = Senal.objects.get(solicitud=presentar(s), codigo=CodigoSenal.PROVEEDOR_DEL_ENTE)
    assert "propio ente" in senal.texto


@pytest.mark.parametrize(
    ("domicilio_a", "domicilio_b", "senal"),
    [
        ("Av. Reforma 123, Col. Centro", "Avenida Reforma #123, Colonia Centro", True),
        ("Blvd. Kino 455", "Boulevard Kino # 455", True),
        ("Blvd. Kino 455", "Blvd. Kino 457", False),
    ],
)
def test_cobertura_por_un_domicilio_escrito_de_dos_maneras(demo, domicilio_a, domicilio_b, senal):
    s = fu.borrador()
    partida = s.partidas.get()
    for proveedor, precio, domicilio in ((A, "9000.00", domicilio_a), (B, "9900.00", domicilio_b)):
        cotizaciones_svc.cotizacion_agregar(
            partida=partida,
            usuario=fu.usuario("requirente.sh"),
            proveedor=proveedor,
            precio_unitario=Decimal(precio),
            fecha=timezone.localdate(),
            vigencia=timezone.localdate() + datetime.timedelta(days=60),
            archivo=archivo(f"{proveedor}-{precio}"),
            domicilio=domicilio,
        )
    s = presentar(s)
    assert (CodigoSenal.COBERTURA in codigos(s)) is senal
    if senal:
        assert "el mismo domicilio" in Senal.objects.get(solicitud=s, codigo="cobertura").texto
