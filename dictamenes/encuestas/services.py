"""The requirente's satisfaction survey: invited when a request ends, answered once and
anonymously.

`encuesta_invitar` is called in the transaction that ends the request (the dictamen issued,
or the request desechada): the invitation is audited and the agency's requirentes get an
e-mail. `encuesta_responder` stores the answer sealed and without the respondent's identity
(models.encuestas), rewriting the waiting table in a new random order
(`respuestas_en_espera_barajar`), and audits only that the request's survey was answered,
with no person and nothing of what was answered. `encuestas_publicar`, a separate step that
cron runs (the commands `publicar_encuestas` and `enviar_avisos`), lets the waiting answers
into the figures in shuffled batches of at least five per group, each batch in a transaction
that writes no answer's event."""

import json
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.avisos import services as avisos
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.encuestas.selectors import MINIMO_RESPUESTAS
from dictamenes.models import (
    Consecutivo,
    InvitacionEncuesta,
    RespuestaEncuesta,
    RespuestaEnEspera,
    Solicitud,
)
from dictamenes.separacion.requirentes import exigir_requirente
from estandares.entradas import texto_normalizar

ERROR_YA_RESPONDIDA = _("La encuesta de esta solicitud ya fue respondida. Gracias.")
ERROR_NO_TERMINADA = _("Solo se encuesta una solicitud con dictamen emitido o desechada.")

ETAPA_POR_ESTADO = {
    Solicitud.Estado.DICTAMINADA: RespuestaEncuesta.EtapaFinal.FIRMA,
    Solicitud.Estado.DESECHADA: RespuestaEncuesta.EtapaFinal.PREVENCION,
}


def url_encuesta(*, solicitud) -> str:
    return avisos.enlace("solicitudes:encuesta", solicitud.pk)


# In the caller's transaction, without savepoints of its own (issue 64: four queries of each
# issuance): the step that ends the request holds the request's row locked, so no other
# invitation of it can be written meanwhile, and a failure here undoes the whole step anyway.
@transaction.atomic(savepoint=False)
def encuesta_invitar(*, solicitud) -> InvitacionEncuesta:
    """Invite the agency to rate how its ended request was handled (once per request)."""
    if solicitud.estado not in ETAPA_POR_ESTADO:
        raise ValidationError(ERROR_NO_TERMINADA, code="no_terminada")
    invitacion = InvitacionEncuesta.objects.filter(solicitud=solicitud).first()
    if invitacion is not None:
        return invitacion
    invitacion = InvitacionEncuesta.objects.create(solicitud=solicitud, creada_en=timezone.now())
    evento_registrar(
        tipo="encuesta_invitada",
        descripcion=f"Encuesta de satisfacción enviada para la solicitud {solicitud.folio}",
        solicitud=solicitud,
    )
    avisos.aviso_encolar(
        asunto=f"¿Cómo le atendimos? Solicitud {solicitud.folio}",
        mensaje=(
            f"Su solicitud {solicitud.folio} «{solicitud.titulo}» terminó. Le pedimos tres "
            "calificaciones del 1 al 5 (claridad de los requisitos, tiempo y trato) y, si "
            "quiere, un comentario. Es opcional y anónima: la respuesta se guarda sin su "
            "nombre ni la solicitud, y solo se publica sumada con otras cuatro o más."
        ),
        destinatarios=avisos.correos_requirentes(solicitud=solicitud),
        enlace=url_encuesta(solicitud=solicitud),
        accion="Responder la encuesta",
        motivo=avisos.motivo_requirente(solicitud=solicitud),
    )
    return invitacion


# --- The sealed answer -----------------------------------------------------------------------

CALIFICACIONES = ("claridad", "tiempo", "trato")
# Every answer is padded to this many bytes before it is sealed, so that the sealed rows all
# have one length: 1,000 characters of comment take at most 4,000 bytes of UTF-8 (a newline
# or a quote, escaped in JSON, takes 2), plus the scores.
SELLO_BYTES = 4200
_NONCE = 12
ERROR_SELLO = (
    "Una respuesta en espera no se pudo abrir con DJANGO_SECRET_KEY ni con las anteriores."
)


def _clave(secreto: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"dictamenes.encuesta.en-espera"
    ).derive(secreto.encode())


def _grupo(ejercicio: int, etapa_final: str) -> bytes:
    # Bound to the ciphertext: a sealed answer cannot be moved to another group.
    return f"{ejercicio}|{etapa_final}".encode()


def respuesta_sellar(*, ejercicio: int, etapa_final: str, contenido: dict) -> bytes:
    """The answer's scores and comment, padded to SELLO_BYTES and encrypted (AES-GCM with a
    random nonce and a key derived from SECRET_KEY): no time and no length in it."""
    claro = json.dumps(contenido, ensure_ascii=False, separators=(",", ":")).encode()
    if len(claro) > SELLO_BYTES:
        raise ValueError("respuesta demasiado larga para sellarse")
    claro += b" " * (SELLO_BYTES - len(claro))  # JSON reads trailing blanks as nothing
    nonce = os.urandom(_NONCE)
    sellada = AESGCM(_clave(settings.SECRET_KEY)).encrypt(
        nonce, claro, _grupo(ejercicio, etapa_final)
    )
    return nonce + sellada


def respuesta_en_espera(respuesta) -> RespuestaEnEspera:
    """The waiting (unsaved) row of an unsaved answer, or of a historical model's."""
    return RespuestaEnEspera(
        ejercicio=respuesta.ejercicio,
        etapa_final=respuesta.etapa_final,
        sellada=respuesta_sellar(
            ejercicio=respuesta.ejercicio,
            etapa_final=respuesta.etapa_final,
            contenido={c: getattr(respuesta, c) for c in (*CALIFICACIONES, "comentario")},
        ),
    )


def respuesta_abrir(en_espera: RespuestaEnEspera) -> dict:
    """What `respuesta_sellar` sealed, with the current SECRET_KEY or one of its fallbacks."""
    sellada = bytes(en_espera.sellada)
    grupo = _grupo(en_espera.ejercicio, en_espera.etapa_final)
    for secreto in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())):
        try:
            claro = AESGCM(_clave(secreto)).decrypt(sellada[:_NONCE], sellada[_NONCE:], grupo)
        except InvalidTag:
            continue
        return json.loads(claro)
    raise ImproperlyConfigured(ERROR_SELLO)


# --- The waiting table keeps no order --------------------------------------------------------

# The row whose lock serialises every writer of the waiting table (answering, publishing):
# two answers at once would otherwise each rewrite only the rows it saw.
SERIE_ESPERA = "encuesta_espera"


def _espera_bloquear() -> None:
    Consecutivo.objects.select_for_update().get_or_create(serie=SERIE_ESPERA, ejercicio=0)


# No savepoint inside the answer's transaction: rows written in one would carry the
# savepoint's own transaction id (xmin), one more thing to tell apart.
@transaction.atomic(savepoint=False)
def respuestas_en_espera_barajar(*, nueva: RespuestaEnEspera | None = None) -> int:
    """Rewrite the whole waiting table (and `nueva`, if given) in a random order, each row
    with a new random key (issue 59, item 8).

    A table lies on disk in the order its rows were written (PostgreSQL's ctid, SQLite's
    rowid), and a row keeps the id of the transaction that wrote it (xmin), the one that also
    marked its invitation answered and wrote its audit event. Appending each answer would
    keep the order they arrived in, which the audit log and the request log tie to a request
    and a person. Rewritten on every answer, all the rows are written by the latest
    transaction in a shuffled order, and none tells which came when. The sealed content is
    kept as it is: without the key it reads as nothing, and with it, it reads anyway.
    Called inside the answer's transaction; returns how many rows wait."""
    _espera_bloquear()
    filas = [
        (e.ejercicio, e.etapa_final, bytes(e.sellada))
        for e in RespuestaEnEspera.objects.select_for_update().order_by()
    ]
    if nueva is not None:
        filas.append((nueva.ejercicio, nueva.etapa_final, bytes(nueva.sellada)))
    secrets.SystemRandom().shuffle(filas)
    RespuestaEnEspera.objects.all().delete()
    RespuestaEnEspera.objects.bulk_create(
        RespuestaEnEspera(ejercicio=ejercicio, etapa_final=etapa_final, sellada=sellada)
        for ejercicio, etapa_final, sellada in filas
    )
    return len(filas)


# --- Answering and publishing ------------------------------------------------------------------


@transaction.atomic
def encuesta_responder(
    *, solicitud, usuario, claridad: int, tiempo: int, trato: int, comentario: str = ""
) -> None:
    """Store one anonymous answer for the request's survey, sealed until its batch is
    published (encuestas_publicar). Returns nothing: not even the caller gets a handle on
    the stored answer."""
    exigir_requirente(usuario=usuario, solicitud=solicitud)
    # The invitation's row is the lock: two requirentes answering at once, only one counts.
    invitacion = InvitacionEncuesta.objects.select_for_update().get(solicitud=solicitud)
    if invitacion.respondida:
        raise ValidationError(ERROR_YA_RESPONDIDA, code="ya_respondida")
    respuesta = RespuestaEncuesta(
        ejercicio=solicitud.ejercicio,
        etapa_final=ETAPA_POR_ESTADO[solicitud.estado],
        claridad=claridad,
        tiempo=tiempo,
        trato=trato,
        comentario=texto_normalizar(comentario or "", multilinea=True).strip(),
    )
    # Checked as it will be published, and kept sealed: this transaction writes the audit
    # event, so nothing it writes may be the answer itself.
    respuesta.full_clean()
    # Not appended: the whole waiting table is rewritten shuffled, so its order on disk,
    # its keys and its transaction ids say nothing of when each answer came.
    respuestas_en_espera_barajar(nueva=respuesta_en_espera(respuesta))
    invitacion.respondida = True
    invitacion.save(update_fields=["respondida"])
    # That the survey was answered, not by whom nor what: no user, no content.
    evento_registrar(
        tipo="encuesta_respondida",
        descripcion=f"Encuesta de satisfacción respondida para la solicitud {solicitud.folio}",
        solicitud=solicitud,
    )


@transaction.atomic
def encuestas_publicar() -> int:
    """Let the waiting answers into the figures: each group (fiscal year and final step)
    with at least MINIMO_RESPUESTAS waiting is opened, shuffled again (secrets.SystemRandom:
    the published table must not keep even the waiting table's last order) and written
    to RespuestaEncuesta, and its waiting rows are deleted, all in this one transaction,
    which writes one audit event per batch and none per answer. Returns how many answers
    were published."""
    azar = secrets.SystemRandom()
    _espera_bloquear()
    grupos = (
        RespuestaEnEspera.objects.values("ejercicio", "etapa_final")
        .annotate(n=Count("id"))
        .filter(n__gte=MINIMO_RESPUESTAS)
        .order_by("ejercicio", "etapa_final")
    )
    publicadas = 0
    for grupo in list(grupos):
        # Locked: a second run at the same time waits, then finds them gone.
        en_espera = list(
            RespuestaEnEspera.objects.select_for_update()
            .filter(ejercicio=grupo["ejercicio"], etapa_final=grupo["etapa_final"])
            .order_by()
        )
        if len(en_espera) < MINIMO_RESPUESTAS:
            continue
        respuestas = [
            RespuestaEncuesta(
                ejercicio=e.ejercicio, etapa_final=e.etapa_final, **respuesta_abrir(e)
            )
            for e in en_espera
        ]
        azar.shuffle(respuestas)
        RespuestaEncuesta.objects.bulk_create(respuestas)
        RespuestaEnEspera.objects.filter(pk__in=[e.pk for e in en_espera]).delete()
        etapa = RespuestaEncuesta.EtapaFinal(grupo["etapa_final"]).label
        evento_registrar(
            tipo="encuesta_lote_publicado",
            descripcion=(
                f"{len(respuestas)} respuestas de la encuesta entraron a las cifras "
                f"({grupo['ejercicio']}, {etapa})"
            ),
            datos={
                "ejercicio": grupo["ejercicio"],
                "etapa_final": grupo["etapa_final"],
                "respuestas": len(respuestas),
            },
        )
        publicadas += len(respuestas)
    return publicadas
