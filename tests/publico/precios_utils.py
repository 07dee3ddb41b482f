"""Purchases whose prices the open data «Precios de referencia TIC» publishes (issue 62)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from dictamenes.models import Ente, Partida, PrecioObservado, Solicitud
from dictamenes.precios import services
from tests.conocidos import dictamen_registrado, solicitud
from tests.dictamenes.flujo_utils import usuario


def _partida(sol, *, perfil, precio, unidad, meses, cantidad) -> Partida:
    return Partida.objects.create(
        solicitud=sol,
        perfil=perfil,
        descripcion="Compra de prueba",
        cantidad=cantidad,
        precio_unitario=Decimal(precio),
        capitulo="5000",
        partida_especifica="51501",
        unidad=unidad,
        meses=meses,
    )


def compra(
    siglas: str,
    perfil,
    precio,
    fecha: datetime.date,
    *,
    unidad="pieza",
    meses=None,
    cantidad=1,
) -> Solicitud:
    """A request of agency `siglas` with one item of `perfil` at `precio` (its own unit),
    approved whole by a dictamen in force issued on `fecha`, and its observations written by
    the door that the issuing of a dictamen calls."""
    ente = Ente.objects.get(siglas=siglas)
    sol = solicitud(
        ente, anio=fecha.year, mes=fecha.month, estado=Solicitud.Estado.DICTAMINADA, dias=1
    )
    sol.resultado = "favorable"
    sol.save()
    _partida(sol, perfil=perfil, precio=precio, unidad=unidad, meses=meses, cantidad=cantidad)
    emitido = datetime.datetime.combine(
        fecha, datetime.time(12), tzinfo=timezone.get_current_timezone()
    )
    dictamen_registrado(sol, emitido_en=emitido)
    services.observaciones_de_solicitud(solicitud_id=sol.pk, hoy=fecha)
    return sol


def observacion(siglas: str, perfil, precio, fecha: datetime.date) -> PrecioObservado:
    """An observed price written directly, on an item of a draft: for the fixtures of the
    whole open data, whose register must not gain dictámenes (the figures of this dataset are
    tested from real dictámenes in tests/publico/test_precios_referencia.py)."""
    ente = Ente.objects.get(siglas=siglas)
    borrador = Solicitud.objects.create(
        ente=ente,
        ejercicio=fecha.year,
        tipo_operacion="adquisicion",
        titulo="Borrador",
        justificacion="x",
        alineacion="x",
        monto_estimado=Decimal(precio),
        creada_por=usuario("requirente.sh"),
    )
    partida = _partida(
        borrador, perfil=perfil, precio=precio, unidad="pieza", meses=None, cantidad=1
    )
    return PrecioObservado.objects.create(
        partida=partida,
        solicitud=borrador,
        ente=ente,
        categoria_clave=perfil.categoria.clave,
        perfil_clave=perfil.clave,
        unidad="pieza",
        fecha=fecha,
        cantidad=1,
        precio=Decimal(precio),
        fuente=PrecioObservado.Fuente.APROBADO,
    )
