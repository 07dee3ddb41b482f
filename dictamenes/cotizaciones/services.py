"""The market research of an item (issue 62): the requirente adds the quotes of its suppliers,
each with its file (an attachment of type «Cotización», through the one door of attachments,
with its checks and its audit), and removes them, while the request can be edited. A public
agency is not a supplier (issue 76): refused here; the comparison map
(precios.reglas.mercado) says why each stored quote does or does not count.

Issue 80: a quote also carries the supplier's address and phone, and a keyed hash of the name
of whoever signs it (senales.personas.huella_de_persona: the name is never stored), for the
sign of cover quotes; adding or removing a quote of a presented request recomputes its signs
(senales.services.senales_actualizar) in the same transaction."""

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes import exceptions
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Anexo, Cotizacion, Ente, Partida, Solicitud
from dictamenes.montos import pesos
from dictamenes.precios import reglas
from dictamenes.precios import selectors as precios_selectors
from dictamenes.senales.personas import huella_de_persona
from dictamenes.senales.services import senales_actualizar
from dictamenes.tramite.services.solicitudes import anexo_agregar, exigir_editable
from estandares import identidad

ERROR_FECHA_FUTURA = _("La fecha de la cotización no puede ser posterior a hoy.")
ERROR_VIGENCIA_ANTES = _("La vigencia no puede terminar antes de la fecha de la cotización.")
ERROR_COTIZACION_NO_ES = _("Esa cotización no es de esta partida; quizá ya se quitó.")
# Issue 76, item 3: a public agency is not a supplier, least of all the requester's own.
ERROR_PROVEEDOR_ENTE_PROPIO = _(
    "«%(proveedor)s» es su propio ente: la investigación de mercado se hace con proveedores, "
    "y un ente público no es un proveedor."
)
ERROR_PROVEEDOR_ENTE = _(
    "«%(proveedor)s» es un ente público (%(ente)s), no un proveedor: la investigación de "
    "mercado se hace con proveedores."
)
ERROR_COTIZACIONES_CUANTAS = _(
    "La partida «%(partida)s» ya tiene %(cuantas)s cotizaciones y el máximo es %(maximo)s por "
    "partida; «%(nombre)s» no se agregó. Quite una antes de agregar otra."
)

# Issue 80: the supplier's phone, a company's, as Mexico dials it: ten digits.
ERROR_TELEFONO = _(
    "Escriba el teléfono de la empresa con sus 10 dígitos, p. ej. 55 1234 5678 (con o sin "
    "+52, espacios o guiones)."
)
_SEPARADORES_TELEFONO = re.compile(r"[\s\-.()]")
DIGITOS_TELEFONO = 10


def telefono_normalizado(texto: str) -> str:
    """A Mexican phone as stored: its ten digits, without +52, spaces, dashes, dots or
    parentheses; "" for none. Anything else is refused (ERROR_TELEFONO)."""
    limpio = _SEPARADORES_TELEFONO.sub("", texto or "")
    if limpio.startswith("+52"):
        limpio = limpio[3:]
    if not limpio:
        return ""
    if not (limpio.isascii() and limpio.isdigit() and len(limpio) == DIGITOS_TELEFONO):
        raise ValidationError(ERROR_TELEFONO, code="telefono")
    return limpio


def _exigir_de_la_solicitud(partida: Partida, solicitud) -> None:
    if partida.solicitud_id != solicitud.pk:
        raise PermissionDenied(exceptions.ERROR_NO_ES_DE_SU_ENTE)


def error_de_proveedor(*, proveedor: str, ente_id: int) -> ValidationError | None:
    """A supplier that is a public agency (any Ente, under any of its names, as the market
    price compares them: precios.reglas.ente_de): refused, with its own message when it is the
    requester's agency."""
    hallado = reglas.ente_de(proveedor, precios_selectors.entes_por_clave())
    if hallado is None:
        return None
    if hallado == ente_id:
        mensaje = ValidationError(
            ERROR_PROVEEDOR_ENTE_PROPIO,
            code="proveedor_ente_propio",
            params={"proveedor": proveedor},
        )
    else:
        ente = Ente.objects.get(pk=hallado)
        mensaje = ValidationError(
            ERROR_PROVEEDOR_ENTE,
            code="proveedor_ente",
            params={"proveedor": proveedor, "ente": ente.siglas},
        )
    return ValidationError({"proveedor": mensaje})


def error_de_fechas(*, fecha: datetime.date, vigencia: datetime.date, hoy: datetime.date):
    if fecha > hoy:
        return ValidationError({"fecha": ValidationError(ERROR_FECHA_FUTURA, code="futura")})
    if vigencia < fecha:
        return ValidationError(
            {"vigencia": ValidationError(ERROR_VIGENCIA_ANTES, code="vigencia_antes")}
        )
    return None


@transaction.atomic
def cotizacion_agregar(
    *,
    partida: Partida,
    usuario,
    proveedor: str,
    precio_unitario: Decimal,
    fecha: datetime.date,
    vigencia: datetime.date,
    archivo,
    domicilio: str = "",
    telefono: str = "",
    firmante: str = "",
    proveedor_rfc: str = "",
) -> Cotizacion:
    """A supplier's quote for the item, in the item's own unit, with its file; optionally the
    supplier's address and phone, its RFC in its own field (issue 88: never in the name), and
    the name of whoever signs it, of which only its keyed
    hash is kept (`firmante_huella`). The quote is checked before its file is stored: a
    refused quote leaves nothing behind. A presented request's signs are recomputed."""
    solicitud = partida.solicitud
    exigir_editable(usuario=usuario, solicitud=solicitud)
    partida = Partida.objects.select_for_update().get(pk=partida.pk)
    _exigir_de_la_solicitud(partida, solicitud)
    if error := error_de_fechas(fecha=fecha, vigencia=vigencia, hoy=timezone.localdate()):
        raise error
    if error := error_de_proveedor(proveedor=proveedor, ente_id=solicitud.ente_id):
        raise error
    proveedor_rfc = identidad.proveedor_rfc_leer(proveedor=proveedor, proveedor_rfc=proveedor_rfc)
    try:
        telefono = telefono_normalizado(telefono)
    except ValidationError as exc:
        raise ValidationError({"telefono": exc}) from exc
    cotizacion = Cotizacion(
        partida=partida,
        proveedor=proveedor,
        proveedor_rfc=proveedor_rfc,
        precio_unitario=precio_unitario,
        fecha=fecha,
        vigencia=vigencia,
        domicilio=domicilio,
        telefono=telefono,
        firmante_huella=huella_de_persona(firmante),
    )
    cotizacion.full_clean(exclude=["anexo"])
    maximo = settings.DICTAMENES_COTIZACIONES_MAX_POR_PARTIDA
    if (cuantas := partida.cotizaciones.count()) >= maximo:
        raise ValidationError(
            ERROR_COTIZACIONES_CUANTAS,
            code="cotizaciones_cuantas",
            params={
                "partida": partida.descripcion,
                "cuantas": cuantas,
                "maximo": maximo,
                "nombre": getattr(archivo, "name", "") or "",
            },
        )
    cotizacion.anexo = anexo_agregar(
        solicitud=solicitud,
        usuario=usuario,
        tipo=Anexo.Tipo.COTIZACION,
        archivo=archivo,
        de_cotizacion=True,
    )
    cotizacion.save()
    evento_registrar(
        tipo="cotizacion",
        descripcion=(
            f"Cotización agregada a «{partida.descripcion}»: {cotizacion.proveedor}, "
            f"{pesos(cotizacion.precio_unitario)} {partida.get_unidad_display()}"
        ),
        usuario=usuario,
        solicitud=solicitud,
        datos={
            "partida": partida.pk,
            "cotizacion": cotizacion.pk,
            "anexo": cotizacion.anexo_id,
            "precio_unitario": str(cotizacion.precio_unitario),
            "vigencia": vigencia.isoformat(),
        },
    )
    _senales(solicitud)
    return cotizacion


@transaction.atomic
def cotizacion_quitar(*, partida: Partida, usuario, cotizacion_pk: int) -> None:
    """Remove a quote and its file (the attachment it brought, and the stored file once the
    removal is committed)."""
    solicitud = partida.solicitud
    exigir_editable(usuario=usuario, solicitud=solicitud)
    cotizacion = (
        Cotizacion.objects.select_for_update()
        .select_related("anexo")
        .filter(pk=cotizacion_pk, partida=partida)
        .first()
    )
    if cotizacion is None:
        raise ValidationError(ERROR_COTIZACION_NO_ES, code="cotizacion_no_es")
    anexo = cotizacion.anexo
    evento_registrar(
        tipo="cotizacion",
        descripcion=(
            f"Cotización quitada de «{partida.descripcion}»: {cotizacion.proveedor} "
            f"(anexo «{anexo.nombre}»)"
        ),
        usuario=usuario,
        solicitud=solicitud,
        datos={"partida": partida.pk, "cotizacion": cotizacion.pk, "anexo": anexo.pk},
    )
    cotizacion.delete()
    archivo = anexo.archivo
    anexo.delete()
    transaction.on_commit(lambda: archivo.delete(save=False))
    _senales(solicitud)


def _senales(solicitud) -> None:
    """A presented request's signs read its quotes (a draft carries none)."""
    if solicitud.estado != Solicitud.Estado.BORRADOR:
        senales_actualizar(solicitud)
