"""Survey answers for the imported history (2023 and 2024), so that the indicators page and
the open data show the satisfaction figures: about one request in ten answered.

Written in bulk as the history is (demo/historico_anual.py: no audit events). Within each
group the answers are let into the figures five at a time, as the live service does, so a
remainder of fewer than five waits sealed for its batch (RespuestaEnEspera). The live demo
requests that end get their invitation from the flow itself."""

import random

from django.utils import timezone

from demo.historico.mundo import ATENDIDAS
from dictamenes.encuestas.selectors import MINIMO_RESPUESTAS
from dictamenes.encuestas.services import ETAPA_POR_ESTADO, respuesta_en_espera
from dictamenes.models import InvitacionEncuesta, RespuestaEncuesta, RespuestaEnEspera, Solicitud

TASA = {Solicitud.Estado.DICTAMINADA: 0.10, Solicitud.Estado.DESECHADA: 0.25}
COMENTARIOS = [
    "",
    "",
    "",
    "Los requisitos del anexo técnico podrían explicarse con un ejemplo.",
    "La respuesta llegó cuando ya había cerrado el trimestre.",
    "Buena orientación de la mesa de control.",
    "La prevención dijo con claridad qué faltaba.",
]


def _calificacion(azar: random.Random, centro: float) -> int:
    return min(5, max(1, round(azar.gauss(centro, 0.9))))


def cargar(*, semilla: int = 21) -> int:
    if RespuestaEncuesta.objects.exists() or RespuestaEnEspera.objects.exists():
        return 0
    azar = random.Random(semilla)  # noqa: S311 - reproducible demo data, not security
    historicas = Solicitud.objects.filter(
        ejercicio__in=ATENDIDAS, estado__in=list(TASA), invitacion_encuesta__isnull=True
    ).order_by("pk")
    invitaciones, respuestas = [], []
    for solicitud in historicas.only("pk", "estado", "ejercicio", "dias_habiles_atencion"):
        if azar.random() >= TASA[solicitud.estado]:
            continue
        invitaciones.append(
            InvitacionEncuesta(solicitud=solicitud, creada_en=timezone.now(), respondida=True)
        )
        lento = (solicitud.dias_habiles_atencion or 0) > 15
        desechada = solicitud.estado == Solicitud.Estado.DESECHADA
        respuestas.append(
            RespuestaEncuesta(
                ejercicio=solicitud.ejercicio,
                etapa_final=ETAPA_POR_ESTADO[solicitud.estado],
                claridad=_calificacion(azar, 2.8 if desechada else 3.9),
                tiempo=_calificacion(azar, 2.6 if lento else 3.8),
                trato=_calificacion(azar, 4.2),
                comentario=azar.choice(COMENTARIOS),
            )
        )
    # Shuffled, so that not even the insertion order follows the requests'.
    azar.shuffle(respuestas)
    grupos: dict[tuple, list[RespuestaEncuesta]] = {}
    for respuesta in respuestas:
        grupos.setdefault((respuesta.ejercicio, respuesta.etapa_final), []).append(respuesta)
    publicadas, en_espera = [], []
    for grupo in grupos.values():
        corte = len(grupo) - len(grupo) % MINIMO_RESPUESTAS
        publicadas += grupo[:corte]
        en_espera += [respuesta_en_espera(r) for r in grupo[corte:]]
    InvitacionEncuesta.objects.bulk_create(invitaciones)
    RespuestaEncuesta.objects.bulk_create(publicadas)
    RespuestaEnEspera.objects.bulk_create(en_espera)
    return len(respuestas)
