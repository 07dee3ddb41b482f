"""The requirente's side of price (issue 62, items 2 and 3): the unit of the price, the quotes
of each item (through the attachments' door, audited), the comparison map on the item's page,
and the rule that a request above the office's amount carries three valid quotes per item or
a justification, on every path that presents or re-presents it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dictamenes import exceptions
from dictamenes.cotizaciones import services as cotizaciones
from dictamenes.models import Anexo, Cotizacion, EventoAuditoria, Partida, Solicitud
from dictamenes.montos import pesos
from dictamenes.tramite.services import etapas, solicitudes
from tests.dictamenes.flujo_utils import PDF_MINIMO, borrador, presentada, usuario

pytestmark = pytest.mark.django_db

HOY = timezone.localdate
PROVEEDOR = "Proveedora Tecnológica del Noroeste, S.A. de C.V."
UMBRAL = Decimal("500000.00")  # ConfiguracionVias' initial cotizaciones_umbral


def pdf(nombre="cotizacion.pdf", marca=b""):
    return SimpleUploadedFile(
        nombre, PDF_MINIMO.replace(b"%PDF-1.4\n", b"%PDF-1.4\n%" + marca + b"\n"), "application/pdf"
    )


def con_precio(solicitud, precio: Decimal) -> Partida:
    """The draft's one item (2 units) at `precio` each, its declared total their sum."""
    partida = solicitud.partidas.get()
    Partida.objects.filter(pk=partida.pk).update(precio_unitario=precio)
    Solicitud.objects.filter(pk=solicitud.pk).update(monto_estimado=2 * precio)
    solicitud.refresh_from_db()
    partida.refresh_from_db()
    return partida


def cotizar(partida, *, precio="260000", vigencia=None, n=1, autor="requirente.sh"):
    return cotizaciones.cotizacion_agregar(
        partida=partida,
        usuario=usuario(autor),
        proveedor=f"{PROVEEDOR[:-1]} {n}.",
        precio_unitario=Decimal(precio),
        # A day apart each: the same price on the same day would be one quote (issue 76).
        fecha=HOY() - datetime.timedelta(days=2 + n),
        vigencia=vigencia or HOY() + datetime.timedelta(days=30),
        archivo=pdf(f"cotizacion-{n}.pdf", str(n).encode()),
    )


def mensaje_faltan(partida, vigentes, total) -> str:
    return str(solicitudes.ERROR_SIN_COTIZACIONES) % {
        "partida": partida.descripcion,
        "vigentes": vigentes,
        "total": pesos(total),
        "umbral": pesos(UMBRAL),
    }


# --- The unit of the price ----------------------------------------------------------------


def _datos(partida, **cambios):
    return {
        "perfil": partida.perfil,
        "descripcion": partida.descripcion,
        "cantidad": partida.cantidad,
        "precio_unitario": partida.precio_unitario,
        "capitulo": partida.capitulo,
        "partida_especifica": partida.partida_especifica,
        "especificaciones": {},
        **cambios,
    }


def test_servicio_sin_meses_y_pieza_con_meses_se_rechazan():
    solicitud = borrador()
    partida = solicitud.partidas.get()
    autor = usuario("requirente.sh")
    with pytest.raises(ValidationError) as sin_meses:
        solicitudes.partida_guardar(
            solicitud=solicitud,
            usuario=autor,
            partida=partida,
            datos=_datos(partida, unidad="servicio", meses=None),
        )
    assert sin_meses.value.message_dict["meses"] == [
        "Indique cuántos meses cubre el precio unitario (de 1 a 120): el precio es por "
        "servicio, por los meses indicados."
    ]
    with pytest.raises(ValidationError) as con_meses:
        solicitudes.partida_guardar(
            solicitud=solicitud,
            usuario=autor,
            partida=partida,
            datos=_datos(partida, unidad="pieza", meses=12),
        )
    assert con_meses.value.message_dict["meses"] == [str(solicitudes.ERROR_MESES_SOBRAN)]
    solicitudes.partida_guardar(
        solicitud=solicitud,
        usuario=autor,
        partida=partida,
        datos=_datos(partida, unidad="licencia", meses=36),
    )
    partida.refresh_from_db()
    assert (partida.unidad, partida.meses) == ("licencia", 36)


def test_el_formulario_de_la_partida_pide_los_meses_y_conserva_lo_escrito(como):
    solicitud = borrador()
    partida = solicitud.partidas.get()
    r = como("requirente.sh").post(
        reverse("solicitudes:partida", args=[solicitud.pk, partida.pk]),
        {
            "perfil": partida.perfil_id,
            "descripcion": "Enlace dedicado",
            "cantidad": "1",
            "precio_unitario": "80000",
            "unidad": "servicio",
            "meses": "",
            "capitulo": "3000",
            "partida_especifica": "31701",
            "guardar": "1",
        },
    )
    pagina = r.content.decode()
    assert r.status_code == 400
    assert 'id="id_meses_error">Indique cuántos meses cubre el precio unitario' in pagina
    assert 'value="Enlace dedicado"' in pagina
    assert '<option value="servicio" selected>' in pagina
    partida.refresh_from_db()
    assert (partida.unidad, partida.meses) == ("pieza", None)


def test_la_compra_consolidada_se_marca_en_la_solicitud_y_se_ve_en_la_partida(como):
    cliente = como("requirente.sh")
    r = cliente.post(
        reverse("solicitudes:nueva"),
        {
            "tipo_operacion": "adquisicion",
            "titulo": "Licencias de correo para tres secretarías",
            "ejercicio": HOY().year,
            "monto_estimado": "20000",
            "justificacion": "Compra consolidada de licencias de correo.",
            "alineacion": "Eje 3: gobierno digital eficiente.",
            "compra_consolidada": "on",
        },
    )
    assert r.status_code == 302
    solicitud = Solicitud.objects.get(titulo="Licencias de correo para tres secretarías")
    assert solicitud.compra_consolidada is True
    pagina = cliente.get(reverse("solicitudes:partida_nueva", args=[solicitud.pk])).content
    assert "Compra consolidada: la solicitud compra para varios entes." in pagina.decode()


# --- Quotes: the service ----------------------------------------------------------------------


def test_agregar_una_cotizacion_guarda_su_anexo_y_su_evento():
    partida = borrador().partidas.get()
    cotizacion = cotizar(partida)
    anexo = Anexo.objects.get(pk=cotizacion.anexo_id)
    assert (anexo.tipo, anexo.nombre, anexo.solicitud_id) == (
        "cotizacion",
        "cotizacion-1.pdf",
        partida.solicitud_id,
    )
    assert anexo.archivo.storage.exists(anexo.archivo.name)
    evento = EventoAuditoria.objects.filter(solicitud=partida.solicitud, tipo="cotizacion").get()
    assert evento.datos["cotizacion"] == cotizacion.pk
    assert evento.descripcion == (
        f"Cotización agregada a «Partida de computo»: {cotizacion.proveedor}, $260,000.00 por pieza"
    )
    # The attachments' door audited the file too, in the same transaction.
    assert EventoAuditoria.objects.filter(tipo="anexo", datos__anexo=anexo.pk).count() == 1


@pytest.mark.parametrize(
    ("campos", "mensaje"),
    [
        ({"proveedor": "Juan Pérez, juan.perez@correo.mx"}, "proveedor"),
        ({"fecha": 1}, str(cotizaciones.ERROR_FECHA_FUTURA)),
        ({"vigencia": -10}, str(cotizaciones.ERROR_VIGENCIA_ANTES)),
    ],
)
def test_una_cotizacion_rechazada_no_deja_archivo_ni_anexo(campos, mensaje):
    partida = borrador().partidas.get()
    antes = Anexo.objects.count()
    datos = {
        "proveedor": PROVEEDOR,
        "fecha": HOY() - datetime.timedelta(days=3),
        "vigencia": HOY() + datetime.timedelta(days=30),
    }
    if "proveedor" in campos:
        datos["proveedor"] = campos["proveedor"]
    if "fecha" in campos:
        datos["fecha"] = HOY() + datetime.timedelta(days=campos["fecha"])
    if "vigencia" in campos:
        datos["vigencia"] = datos["fecha"] + datetime.timedelta(days=campos["vigencia"])
    with pytest.raises(ValidationError) as error:
        cotizaciones.cotizacion_agregar(
            partida=partida,
            usuario=usuario("requirente.sh"),
            precio_unitario=Decimal("1000"),
            archivo=pdf(),
            **datos,
        )
    if mensaje == "proveedor":
        assert list(error.value.message_dict) == ["proveedor"]
    else:
        assert mensaje in error.value.messages
    assert Anexo.objects.count() == antes
    assert not Cotizacion.objects.exists()


def test_solo_el_requirente_y_mientras_se_puede_editar():
    solicitud = presentada()
    partida = solicitud.partidas.get()
    with pytest.raises(ValidationError) as error:
        cotizar(partida)
    assert error.value.messages == [str(exceptions.ERROR_NO_EDITABLE)]
    otro = borrador().partidas.get()
    with pytest.raises(PermissionDenied) as ajeno:
        cotizar(otro, autor="requirente.rc")
    assert str(ajeno.value) == str(exceptions.ERROR_NO_ES_DE_SU_ENTE)
    assert not Cotizacion.objects.exists()


def test_quitar_una_cotizacion_quita_su_anexo_y_lo_audita():
    partida = borrador().partidas.get()
    cotizacion = cotizar(partida)
    anexo = cotizacion.anexo
    cotizaciones.cotizacion_quitar(
        partida=partida, usuario=usuario("requirente.sh"), cotizacion_pk=cotizacion.pk
    )
    assert not Cotizacion.objects.exists()
    assert not Anexo.objects.filter(pk=anexo.pk).exists()
    assert (
        EventoAuditoria.objects.filter(tipo="cotizacion", datos__cotizacion=cotizacion.pk).count()
        == 2
    )


# --- The rule, on every path that presents --------------------------------------------------


def test_sobre_el_umbral_cada_partida_lleva_tres_cotizaciones_vigentes():
    solicitud = borrador()
    partida = con_precio(solicitud, Decimal("260000"))  # 2 × 260,000 = 520,000 > 500,000
    total = Decimal("520000")
    assert [e.messages[0] for e in solicitudes.faltantes_para_presentar(solicitud=solicitud)] == [
        mensaje_faltan(partida, 0, total)
    ]
    cotizar(partida, n=1)
    cotizar(partida, n=2)
    # A quote past its validity does not count.
    cotizar(partida, n=3, vigencia=HOY() - datetime.timedelta(days=1))
    assert [e.messages[0] for e in solicitudes.faltantes_para_presentar(solicitud=solicitud)] == [
        mensaje_faltan(partida, 2, total)
    ]
    with pytest.raises(ValidationError) as error:
        solicitudes.solicitud_presentar(solicitud=solicitud, usuario=usuario("requirente.sh"))
    assert error.value.messages == [mensaje_faltan(partida, 2, total)]
    cotizar(partida, n=4, vigencia=HOY())  # valid through today
    assert solicitudes.faltantes_para_presentar(solicitud=solicitud) == []
    solicitudes.solicitud_presentar(solicitud=solicitud, usuario=usuario("requirente.sh"))


def test_la_justificacion_suple_las_cotizaciones_y_el_umbral_exacto_no_las_pide():
    solicitud = borrador()
    partida = con_precio(solicitud, UMBRAL / 2)  # exactly the amount: not above it
    assert solicitudes.faltantes_para_presentar(solicitud=solicitud) == []
    partida = con_precio(solicitud, UMBRAL / 2 + Decimal("0.01"))
    assert len(solicitudes.faltantes_para_presentar(solicitud=solicitud)) == 1
    Partida.objects.filter(pk=partida.pk).update(
        justificacion_cotizaciones="   "  # blank is no reason
    )
    assert len(solicitudes.faltantes_para_presentar(solicitud=solicitud)) == 1
    Partida.objects.filter(pk=partida.pk).update(
        justificacion_cotizaciones="Único distribuidor autorizado del fabricante en el Estado."
    )
    assert solicitudes.faltantes_para_presentar(solicitud=solicitud) == []


def test_la_pagina_de_la_solicitud_dice_la_falta_antes_de_presentar(como):
    solicitud = borrador()
    partida = con_precio(solicitud, Decimal("260000"))
    pagina = como("requirente.sh").get(reverse("solicitudes:detalle", args=[solicitud.pk]))
    assert mensaje_faltan(partida, 0, Decimal("520000")) in pagina.content.decode()


def test_presentar_por_la_pagina_se_niega_sin_cotizaciones(como):
    solicitud = borrador()
    partida = con_precio(solicitud, Decimal("260000"))
    r = como("requirente.sh").post(reverse("solicitudes:presentar", args=[solicitud.pk]))
    assert r.status_code == 400
    assert mensaje_faltan(partida, 0, Decimal("520000")) in r.content.decode()
    assert Solicitud.objects.get(pk=solicitud.pk).estado == "borrador"


def test_subsanar_una_prevencion_pasa_por_la_misma_regla():
    solicitud = presentada()
    etapas.admision_resolver(
        solicitud=solicitud, usuario=usuario("mesa"), admitir=False, faltantes="Cotizaciones."
    )
    partida = con_precio(solicitud, Decimal("260000"))
    autor = usuario("requirente.sh")
    with pytest.raises(ValidationError) as error:
        etapas.solicitud_subsanar(solicitud=solicitud, usuario=autor, respuesta="Corregida.")
    assert error.value.messages == [mensaje_faltan(partida, 0, Decimal("520000"))]
    assert Solicitud.objects.get(pk=solicitud.pk).estado == "prevenida"
    for n in (1, 2, 3):
        cotizar(partida, n=n)  # under correction the item is editable
    etapas.solicitud_subsanar(solicitud=solicitud, usuario=autor, respuesta="Corregida.")
    assert Solicitud.objects.get(pk=solicitud.pk).estado != "prevenida"


def test_con_una_peticion_abierta_se_adjuntan_anexos_pero_no_cotizaciones():
    """The attachments' door accepts a file while a reviewer's question is open; a quote
    changes the item, which only a draft or a request under correction may."""
    from dictamenes.models import Area
    from tests.dictamenes.flujo_utils import admitida

    solicitud = admitida()
    etapas.informacion_pedir(
        solicitud=solicitud,
        usuario=usuario("revisor.computo"),
        area=Area.objects.get(clave="computo"),
        pregunta="Adjunte la ficha técnica.",
    )
    solicitudes.anexo_agregar(
        solicitud=solicitud, usuario=usuario("requirente.sh"), tipo="informacion", archivo=pdf()
    )
    with pytest.raises(ValidationError) as error:
        cotizar(solicitud.partidas.get())
    assert error.value.messages == [str(exceptions.ERROR_NO_EDITABLE)]
    assert not Cotizacion.objects.exists()
    assert not Anexo.objects.filter(tipo="cotizacion").exists()


def test_las_cotizaciones_se_cuentan_por_partida_no_entre_los_anexos(settings):
    """A ten-item request above the amount needs thirty quotes: they do not count among the
    request's attachments (its oficio and the rest), but each item has its own maximum."""
    settings.DICTAMENES_ANEXOS_MAX_POR_SOLICITUD = 2
    settings.DICTAMENES_COTIZACIONES_MAX_POR_PARTIDA = 3
    partida = borrador().partidas.get()  # its oficio: one attachment of two
    for n in range(1, 4):
        cotizar(partida, n=n)
    with pytest.raises(ValidationError) as error:
        cotizar(partida, n=4)
    assert error.value.messages == [
        "La partida «Partida de computo» ya tiene 3 cotizaciones y el máximo es 3 por partida; "
        "«cotizacion-4.pdf» no se agregó. Quite una antes de agregar otra."
    ]
    assert partida.cotizaciones.count() == 3
    # The request still takes one more attachment of its own, and then no more.
    autor = usuario("requirente.sh")
    solicitud = partida.solicitud
    solicitudes.anexo_agregar(
        solicitud=solicitud, usuario=autor, tipo="anexo_tecnico", archivo=pdf("a.pdf", b"a")
    )
    with pytest.raises(ValidationError, match="ya tiene 2 anexos y el máximo es 2"):
        solicitudes.anexo_agregar(
            solicitud=solicitud, usuario=autor, tipo="anexo_tecnico", archivo=pdf("b.pdf", b"b")
        )


def test_tres_copias_de_una_cotizacion_no_bastan_para_presentar():
    """Issue 76, item 3, where the rule bites: one quote three times (the same supplier typed
    three ways, the same file, the same price and date) is one quote at presentation."""
    solicitud = borrador()
    partida = con_precio(solicitud, Decimal("260000"))
    autor = usuario("requirente.sh")
    for n, proveedor in enumerate(
        [
            PROVEEDOR,
            "PROVEEDORA TECNOLÓGICA DEL NOROESTE SA DE CV",
            "Proveedora Tecnologica del Noroeste",
        ]
    ):
        cotizaciones.cotizacion_agregar(
            partida=partida,
            usuario=autor,
            proveedor=proveedor,
            precio_unitario=Decimal("255000") + n,
            fecha=HOY() - datetime.timedelta(days=3 + n),
            vigencia=HOY() + datetime.timedelta(days=30),
            archivo=pdf(f"copia-{n}.pdf", str(n).encode()),
        )
    assert partida.cotizaciones.count() == 3
    with pytest.raises(ValidationError) as error:
        solicitudes.solicitud_presentar(solicitud=solicitud, usuario=autor)
    assert error.value.messages == [mensaje_faltan(partida, 1, Decimal("520000"))]
