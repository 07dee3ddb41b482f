"""The one door: every change of a request's state (and of its result) goes through `mover`,
which writes the audit event in the same transaction."""

import datetime

from django.utils import timezone

from dictamenes.models import (
    Solicitud,
)
from dictamenes.selectors import calendario
from dictamenes.selectors.tramite import ATENDIDA
from dictamenes.services.auditoria import evento_registrar

Estado = Solicitud.Estado


def dias_de_atencion(solicitud, *, hasta: datetime.datetime) -> int:
    """Business days from presentation to `hasta`, less the days the request waited on the
    requirente (prevenciones and information requests): that time is not the Subsecretaría's."""
    total = calendario.dias_habiles_entre(
        inicio=timezone.localdate(solicitud.presentada_en), fin=timezone.localdate(hasta)
    )
    eventos = list(
        solicitud.eventos.filter(
            tipo__in=["prevencion", "subsanacion", "respuesta_informacion"]
        ).order_by("numero")
    )
    espera = sum(e.datos.get("dias_en_pausa", 0) for e in eventos)
    prevenida = None
    for evento in eventos:
        if evento.tipo == "prevencion":
            prevenida = evento.ocurrido_en
        elif evento.tipo == "subsanacion" and prevenida:
            espera += calendario.dias_habiles_entre(
                inicio=timezone.localdate(prevenida), fin=timezone.localdate(evento.ocurrido_en)
            )
            prevenida = None
    if prevenida:  # closed while waiting for the correction (desechada)
        espera += calendario.dias_habiles_entre(
            inicio=timezone.localdate(prevenida), fin=timezone.localdate(hasta)
        )
    return max(total - espera, 0)


def mover(*, solicitud, estado, usuario, tipo, descripcion, motivo="", datos=None, resultado=None):
    """Moves the request to `estado` (and sets its `resultado` when given), and writes the
    audit event, in the caller's transaction."""
    anterior = solicitud.estado
    solicitud.estado = estado
    campos = ["estado", "actualizada_en"]
    if estado in ATENDIDA and solicitud.atendida_en is None:
        solicitud.atendida_en = timezone.now()
        solicitud.dias_habiles_atencion = dias_de_atencion(solicitud, hasta=solicitud.atendida_en)
        campos += ["atendida_en", "dias_habiles_atencion"]
    if resultado is not None:
        solicitud.resultado = resultado
        campos.append("resultado")
    solicitud.save(update_fields=campos)
    evento_registrar(
        tipo=tipo,
        descripcion=descripcion,
        usuario=usuario,
        solicitud=solicitud,
        motivo=motivo,
        datos={"de": anterior, "a": estado, **(datos or {})},
    )


def resultado_corregir(*, solicitud, resultado, usuario, tipo, descripcion, motivo="", datos=None):
    """A new result for a request that keeps its state (a rectified dictamen), with its audit
    event, in the caller's transaction."""
    if solicitud.resultado != resultado:
        solicitud.resultado = resultado
        solicitud.save(update_fields=["resultado", "actualizada_en"])
    evento_registrar(
        tipo=tipo,
        descripcion=descripcion,
        usuario=usuario,
        solicitud=solicitud,
        motivo=motivo,
        datos=datos or {},
    )
