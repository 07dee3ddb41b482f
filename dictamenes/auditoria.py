"""The one door for recording what happened: every service that changes state calls
evento_registrar inside its own transaction."""

from django.db import transaction

from dictamenes.models import EventoAuditoria, Solicitud


def evento_registrar(
    *,
    tipo: str,
    descripcion: str,
    usuario=None,
    solicitud: Solicitud | None = None,
    motivo: str = "",
    datos: dict | None = None,
) -> EventoAuditoria:
    # An event outside a transaction could survive a change that was rolled back.
    assert transaction.get_connection().in_atomic_block, "evento fuera de una transacción"
    evento = EventoAuditoria(
        tipo=tipo,
        descripcion=descripcion,
        usuario=usuario if usuario is not None and usuario.is_authenticated else None,
        solicitud=solicitud,
        motivo=motivo,
        datos=datos or {},
    )
    evento.full_clean()
    evento.save()
    return evento
