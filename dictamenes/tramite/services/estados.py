"""The one door: every change of a request's state (and of its result) goes through
`solicitud_mover`, which writes the audit event in the same transaction.

`transicion_preparar` is the door's rule without the database: the fields a move changes and
the audit event it writes. `solicitud_mover` applies it to one request; the history generator
(demo/historico) applies it in bulk, so the history it writes cannot drift from the live flow."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import (
    Solicitud,
)
from dictamenes.organizacion.selectors.calendario import dias_habiles_entre
from dictamenes.tramite.selectors.estados import ATENDIDA

Estado = Solicitud.Estado

# The events that stop the clock: the request waits on the requirente.
PAUSAS = ("prevencion", "subsanacion", "respuesta_informacion")


def dias_de_atencion(solicitud, *, hasta: datetime.datetime, eventos=None, calendario=None) -> int:
    """Business days from presentation to `hasta`, less the days the request waited on the
    requirente (prevenciones and information requests): that time is not the Subsecretaría's.

    `eventos`: the request's events so far, oldest first, when the caller holds them (the
    history generator writes them later, in bulk); by default they are read from the database.
    """
    if eventos is None:
        eventos = solicitud.eventos.filter(tipo__in=PAUSAS).order_by("numero")
    eventos = [e for e in eventos if e.tipo in PAUSAS]

    def habiles(inicio, fin):
        return dias_habiles_entre(
            inicio=timezone.localdate(inicio), fin=timezone.localdate(fin), calendario=calendario
        )

    total = habiles(solicitud.presentada_en, hasta)
    espera = sum(e.datos.get("dias_en_pausa", 0) for e in eventos)
    prevenida = None
    for evento in eventos:
        if evento.tipo == "prevencion":
            prevenida = evento.ocurrido_en
        elif evento.tipo == "subsanacion" and prevenida:
            espera += habiles(prevenida, evento.ocurrido_en)
            prevenida = None
    if prevenida:  # closed while waiting for the correction (desechada)
        espera += habiles(prevenida, hasta)
    return max(total - espera, 0)


@dataclass(frozen=True)
class Transicion:
    """What one move writes: the request's changed fields and its audit event (the keywords
    of evento_registrar, without the request)."""

    campos: dict
    evento: dict

    def aplicar(self, solicitud) -> None:
        for campo, valor in self.campos.items():
            setattr(solicitud, campo, valor)


def transicion_preparar(
    *,
    solicitud,
    estado,
    usuario,
    tipo,
    descripcion,
    motivo="",
    datos=None,
    resultado=None,
    momento: datetime.datetime | None = None,
    eventos=None,
    calendario=None,
) -> Transicion:
    """The move of `solicitud` to `estado` at `momento` (now by default), without writing it.
    A request is attended when it reaches a closing state, with its business days of attention;
    `eventos` and `calendario` are for callers that hold them (see dias_de_atencion)."""
    momento = momento or timezone.now()
    campos = {"estado": estado, "actualizada_en": momento}
    if estado in ATENDIDA and solicitud.atendida_en is None:
        campos["atendida_en"] = momento
        campos["dias_habiles_atencion"] = dias_de_atencion(
            solicitud, hasta=momento, eventos=eventos, calendario=calendario
        )
    if resultado is not None:
        campos["resultado"] = resultado
    return Transicion(
        campos=campos,
        evento={
            "tipo": tipo,
            "descripcion": descripcion,
            "usuario": usuario,
            "motivo": motivo,
            "datos": {"de": solicitud.estado, "a": estado, **(datos or {})},
        },
    )


def solicitud_mover(
    *, solicitud, estado, usuario, tipo, descripcion, motivo="", datos=None, resultado=None
):
    """Moves the request to `estado` (and sets its `resultado` when given), and writes the
    audit event, in the caller's transaction."""
    transicion = transicion_preparar(
        solicitud=solicitud,
        estado=estado,
        usuario=usuario,
        tipo=tipo,
        descripcion=descripcion,
        motivo=motivo,
        datos=datos,
        resultado=resultado,
    )
    transicion.aplicar(solicitud)
    solicitud.save(update_fields=list(transicion.campos))
    evento_registrar(solicitud=solicitud, **transicion.evento)


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
