"""Reads of the satisfaction survey: the invitations a requirente has pending, and the answers
only as aggregates of at least MINIMO_RESPUESTAS, so that none can be singled out.

No function here returns an answer: the indicators page, the open data and anything else
read the survey through `satisfaccion_por_ejercicio`, which counts only the answers already
let into the figures (services.encuestas_publicar lets them in five or more at a
time per group), and says how many wait for their batch."""

import datetime

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.models import InvitacionEncuesta, RespuestaEncuesta, RespuestaEnEspera

# Fewer answers than this in a group and the group shows no figure.
MINIMO_RESPUESTAS = 5
TODAS = _("Todas")
ETAPAS = RespuestaEncuesta.EtapaFinal
CALIFICACIONES = ("claridad", "tiempo", "trato")


# How long an unanswered survey stays in the agency's «Pendientes» (issue 47: they stayed
# there for ever). The survey is optional: a month after the request ended, an answer says
# less about the service and the entry only hides what the agency must do. It remains open
# by the link of its e-mail; it only leaves the list. A date, not a "dismissed" flag: nothing
# to store, and the list empties itself for the agencies that never answer.
DIAS_EN_PENDIENTES = 30


def encuestas_pendientes(*, usuario, ahora=None):
    """The surveys the person may still answer and are still recent: those of their
    agency's requests that ended in the last DIAS_EN_PENDIENTES days."""
    perfil = getattr(usuario, "perfil", None)
    if perfil is None or perfil.ente_id is None:
        return InvitacionEncuesta.objects.none()
    desde = (ahora or timezone.now()) - datetime.timedelta(days=DIAS_EN_PENDIENTES)
    return (
        InvitacionEncuesta.objects.filter(
            solicitud__ente_id=perfil.ente_id, respondida=False, creada_en__gte=desde
        )
        .select_related("solicitud")
        .order_by("-creada_en", "id")
    )


def _celda(ejercicio: int, etapa, grupo: dict | None, espera: int = 0) -> dict:
    """One cell: its figures, or None and why (`motivo`: no answers, or fewer than the
    threshold in the figures yet), and how many answers wait for their batch."""
    if grupo is None and not espera:
        motivo = "sin_respuestas"
    elif grupo is None or grupo["n"] < MINIMO_RESPUESTAS:
        motivo = "pocas"
    else:
        motivo = ""
    cifras = None
    if not motivo:
        cifras = {
            "n": grupo["n"],
            "comentarios": grupo["comentarios"],
            **{c: round(grupo[c], 1) for c in CALIFICACIONES},
        }
    return {
        "ejercicio": ejercicio,
        "etapa": etapa,
        "cifras": cifras,
        "motivo": motivo,
        "espera": espera,
    }


def satisfaccion_por_ejercicio() -> list[dict]:
    """Per fiscal year: all its answers, then each step where requests ended. A group with
    fewer than MINIMO_RESPUESTAS answers in the figures has `cifras` None; `espera` counts
    the answers that wait for their batch. Two queries, aggregated in SQL."""
    grupos = (
        RespuestaEncuesta.objects.values("ejercicio", "etapa_final")
        .annotate(
            n=Count("id"),
            comentarios=Count("id", filter=~Q(comentario="")),
            **{c: Avg(c) for c in CALIFICACIONES},
        )
        .order_by()
    )
    en_espera = (
        RespuestaEnEspera.objects.values("ejercicio", "etapa_final")
        .annotate(n=Count("id"))
        .order_by()
    )
    por_anio: dict[int, dict[str, dict]] = {}
    for grupo in grupos:
        por_anio.setdefault(grupo["ejercicio"], {})[grupo["etapa_final"]] = grupo
    espera: dict[int, dict[str, int]] = {}
    for grupo in en_espera:
        espera.setdefault(grupo["ejercicio"], {})[grupo["etapa_final"]] = grupo["n"]
        por_anio.setdefault(grupo["ejercicio"], {})
    filas = []
    for ejercicio, etapas in sorted(por_anio.items()):
        n = sum(g["n"] for g in etapas.values())
        total = {
            "n": n,
            "comentarios": sum(g["comentarios"] for g in etapas.values()),
            **{
                c: sum(g[c] * g["n"] for g in etapas.values() if g["n"]) / n if n else None
                for c in CALIFICACIONES
            },
        }
        del_anio = espera.get(ejercicio, {})
        filas.append(
            {
                **_celda(ejercicio, TODAS, total if etapas else None, sum(del_anio.values())),
                "etapas": [
                    _celda(ejercicio, etiqueta, etapas.get(clave), del_anio.get(clave, 0))
                    for clave, etiqueta in ETAPAS.choices
                ],
            }
        )
    return filas


def respuestas_en_espera() -> int:
    """How many answers wait for their batch (fewer than MINIMO_RESPUESTAS per group, once
    cron has run)."""
    return RespuestaEnEspera.objects.count()
