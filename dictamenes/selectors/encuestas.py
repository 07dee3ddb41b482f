"""Reads of the satisfaction survey: the invitations a requirente has pending, and the answers
only as aggregates of at least MINIMO_RESPUESTAS, so that none can be singled out.

No function here returns an answer: the indicators page, the open data and anything else
read the survey through `satisfaccion_por_ejercicio`, which counts only the answers already
let into the figures (services.encuestas lets them in five or more at a time per group)."""

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from dictamenes.models import InvitacionEncuesta, RespuestaEncuesta

# Fewer answers than this in a group and the group shows no figure.
MINIMO_RESPUESTAS = 5
TODAS = _("Todas")
ETAPAS = RespuestaEncuesta.EtapaFinal
CALIFICACIONES = ("claridad", "tiempo", "trato")


def encuestas_pendientes(*, usuario):
    """The surveys the person may still answer: those of their agency's ended requests."""
    perfil = getattr(usuario, "perfil", None)
    if perfil is None or perfil.ente_id is None:
        return InvitacionEncuesta.objects.none()
    return (
        InvitacionEncuesta.objects.filter(solicitud__ente_id=perfil.ente_id, respondida=False)
        .select_related("solicitud")
        .order_by("-creada_en", "id")
    )


def _celda(ejercicio: int, etapa, grupo: dict | None) -> dict:
    """One cell: its figures, or None and why (`motivo`: no answers, or fewer than the
    threshold in the figures yet)."""
    if grupo is None:
        motivo = "sin_respuestas"
    elif grupo["n"] < MINIMO_RESPUESTAS:
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
    return {"ejercicio": ejercicio, "etapa": etapa, "cifras": cifras, "motivo": motivo}


def satisfaccion_por_ejercicio() -> list[dict]:
    """Per fiscal year: all its answers, then each step where requests ended. A group with
    fewer than MINIMO_RESPUESTAS answers in the figures has `cifras` None. One query,
    aggregated in SQL."""
    publicada = Q(publicada=True)
    grupos = (
        RespuestaEncuesta.objects.values("ejercicio", "etapa_final")
        .annotate(
            n=Count("id", filter=publicada),
            comentarios=Count("id", filter=publicada & ~Q(comentario="")),
            **{c: Avg(c, filter=publicada) for c in CALIFICACIONES},
        )
        .order_by("ejercicio", "etapa_final")
    )
    por_anio: dict[int, dict[str, dict]] = {}
    for grupo in grupos:
        por_anio.setdefault(grupo["ejercicio"], {})[grupo["etapa_final"]] = grupo
    filas = []
    for ejercicio, etapas in por_anio.items():
        n = sum(g["n"] for g in etapas.values())
        total = {
            "n": n,
            "comentarios": sum(g["comentarios"] for g in etapas.values()),
            **{
                c: sum(g[c] * g["n"] for g in etapas.values() if g["n"]) / n if n else None
                for c in CALIFICACIONES
            },
        }
        filas.append(
            {
                **_celda(ejercicio, TODAS, total),
                "etapas": [
                    _celda(ejercicio, etiqueta, etapas.get(clave))
                    for clave, etiqueta in ETAPAS.choices
                ],
            }
        )
    return filas
