"""The one door for recording what happened, and the hash chain that makes it tamper-evident.

Every service that changes state calls evento_registrar inside its own transaction. Appends
are serialised by a row lock, so the chain never forks; cadena_verificar walks it and reports
the first broken link.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from dictamenes.comun.cache import SERIE_EJERCICIO, SERIE_ENTE
from dictamenes.comun.observacion import evento_anotar
from dictamenes.comun.operador_so import operador_so_vigente
from dictamenes.models import Consecutivo, EventoAuditoria, Solicitud

GENESIS = "0" * 64


def serializacion_canonica(
    *,
    numero,
    tipo,
    descripcion,
    motivo,
    usuario_id,
    solicitud_id,
    datos,
    ocurrido_en,
    anterior_hash,
) -> bytes:
    """Sorted keys, no spaces, UTF-8, times in UTC ISO 8601: the same bytes on any database."""
    return json.dumps(
        {
            "numero": numero,
            "tipo": tipo,
            "descripcion": descripcion,
            "motivo": motivo,
            "usuario": usuario_id,
            "solicitud": solicitud_id,
            "datos": datos,
            "ocurrido_en": ocurrido_en.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
            "anterior": anterior_hash,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    ).encode("utf-8")


def hash_de(evento: EventoAuditoria) -> str:
    return hashlib.sha256(
        serializacion_canonica(
            numero=evento.numero,
            tipo=evento.tipo,
            descripcion=evento.descripcion,
            motivo=evento.motivo,
            usuario_id=evento.usuario_id,
            solicitud_id=evento.solicitud_id,
            datos=evento.datos,
            ocurrido_en=evento.ocurrido_en,
            anterior_hash=evento.anterior_hash,
        )
    ).hexdigest()


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
    # One writer at a time extends the chain: lock the chain's head row until commit.
    cabeza, _ = Consecutivo.objects.select_for_update().get_or_create(
        serie="auditoria", ejercicio=0
    )
    ultimo = EventoAuditoria.objects.order_by("-numero").only("numero", "hash").first()
    # Written by a server command: the machine's login that ran it, beside whoever the command
    # names (issue 93, item 3); hashed with the rest. A web request's events never carry it.
    if (operador := operador_so_vigente()) is not None:
        datos = {**(datos or {}), "operador_so": operador}
    evento = EventoAuditoria(
        numero=(ultimo.numero + 1) if ultimo else 1,
        tipo=tipo,
        descripcion=descripcion[:300],
        usuario=usuario if usuario is not None and usuario.is_authenticated else None,
        solicitud=solicitud,
        motivo=motivo,
        # Round-trip through JSON so the hash is computed over what the database stores.
        datos=json.loads(json.dumps(datos or {}, default=str)),
        ocurrido_en=timezone.now(),
        anterior_hash=ultimo.hash if ultimo else GENESIS,
    )
    evento.hash = hash_de(evento)
    # The fields' own rules (lengths, required values). Not the four queries of the rest of
    # full_clean(): the request and the user are the objects just read, and the number and
    # the hash are unique by the locked head of the chain and by the table's constraints.
    evento.full_clean(exclude=["solicitud", "usuario"], validate_unique=False)
    evento.save()
    cabeza.ultimo = evento.numero
    cabeza.save(update_fields=["ultimo"])
    # One JSON line in production's log once this commits (ids only, no personal data).
    evento_anotar(
        tipo=tipo,
        numero=evento.numero,
        solicitud_id=evento.solicitud_id,
        usuario_id=evento.usuario_id,
    )
    # The figures of the request's fiscal year (or of every year) are no longer current.
    if solicitud is None:
        versiones_avanzar(ejercicios={0})
    else:
        versiones_avanzar(ejercicios={solicitud.ejercicio}, ente=solicitud.ente_id)
    return evento


def versiones_avanzar(*, ejercicios, ente: int | None = None) -> None:
    """The figures of these years (0: of what is about no request, which may touch any year)
    are no longer current: each year's counter moves, and the agency's of each year if given
    (dictamenes.comun.cache.memorizar_ejercicio, memorizar_por_ejercicio_y_ente). One query,
    and one more per counter the first time it moves. A bulk load, which writes no event per
    row, calls it with {0}."""
    contadores = {(SERIE_EJERCICIO, ejercicio) for ejercicio in ejercicios}
    if ente is not None:
        contadores |= {(f"{SERIE_ENTE}{ente}", ejercicio) for ejercicio in ejercicios if ejercicio}
    condicion = Q()
    for serie, ejercicio in contadores:
        condicion |= Q(serie=serie, ejercicio=ejercicio)
    if Consecutivo.objects.filter(condicion).update(ultimo=F("ultimo") + 1) < len(contadores):
        for serie, ejercicio in contadores:
            Consecutivo.objects.get_or_create(
                serie=serie, ejercicio=ejercicio, defaults={"ultimo": 1}
            )


@dataclass(frozen=True)
class Verificacion:
    revisados: int
    roto_en: EventoAuditoria | None = None
    motivo: str = ""

    @property
    def integra(self) -> bool:
        return self.roto_en is None


def cadena_verificar(*, lote: int = 2000) -> Verificacion:
    """Walk the chain in order; stop at the first event whose hash or link does not hold."""
    anterior = GENESIS
    esperado = 1
    revisados = 0
    for evento in EventoAuditoria.objects.order_by("numero").iterator(chunk_size=lote):
        if evento.numero != esperado:
            return Verificacion(revisados, evento, f"falta el evento #{esperado}")
        if evento.anterior_hash != anterior:
            return Verificacion(revisados, evento, "no enlaza con el hash del evento anterior")
        if hash_de(evento) != evento.hash:
            return Verificacion(revisados, evento, "su contenido no corresponde a su hash")
        anterior = evento.hash
        esperado += 1
        revisados += 1
    return Verificacion(revisados)


def edicion_publicada_registrar(*, publicacion, usuario, derogadas, **_kwargs) -> EventoAuditoria:
    """The audit event of a published edition of the standards (estandares.signals)."""
    desde = publicacion.vigente_desde.isoformat()
    return evento_registrar(
        tipo="estandares_publicacion",
        descripcion=f"Edición {publicacion.version} de los estándares publicada, vigente desde "
        f"{desde}",
        usuario=usuario,
        datos={
            "publicacion": publicacion.pk,
            "version": publicacion.version,
            "vigente_desde": desde,
            "derogadas": derogadas,
        },
    )
