"""Recording the runs of the periodic commands (models.CorridaPeriodica): the lock wrapper
(dictamenes.management.cron) calls these at the start and end of every run. Each write is its
own statement outside any transaction of the command, so a run that fails halfway still
leaves its row, and the row says how it ended."""

import datetime

from django.utils import timezone

from dictamenes.models import CorridaPeriodica

# Rows older than this are pruned at the end of each run of the same command; the last good
# run of each is always kept (a weekly job's, or one that has been failing for months).
CONSERVAR = datetime.timedelta(days=60)
MENSAJE_MAX = 500


def _breve(texto: str) -> str:
    texto = " ".join(str(texto).split())
    return texto if len(texto) <= MENSAJE_MAX else texto[: MENSAJE_MAX - 1] + "…"


def corrida_iniciar(*, nombre: str) -> CorridaPeriodica:
    return CorridaPeriodica.objects.create(nombre=nombre, inicio=timezone.now())


def corrida_terminar(
    *,
    corrida: CorridaPeriodica,
    resultado: str,
    mensaje: str = "",
    datos: dict | None = None,
) -> None:
    corrida.fin = timezone.now()
    corrida.resultado = resultado
    corrida.mensaje = _breve(mensaje)
    if datos is not None:
        corrida.datos = datos
    corrida.save(update_fields=["fin", "resultado", "mensaje", "datos"])
    _podar(nombre=corrida.nombre, antes_de=corrida.fin - CONSERVAR)


def corrida_omitida(*, nombre: str, mensaje: str) -> None:
    ahora = timezone.now()
    CorridaPeriodica.objects.create(
        nombre=nombre,
        inicio=ahora,
        fin=ahora,
        resultado=CorridaPeriodica.Resultado.OMITIDA,
        mensaje=_breve(mensaje),
    )


def _podar(*, nombre: str, antes_de: datetime.datetime) -> None:
    ultima_buena = (
        CorridaPeriodica.objects.filter(nombre=nombre, resultado=CorridaPeriodica.Resultado.OK)
        .order_by("-inicio", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    CorridaPeriodica.objects.filter(nombre=nombre, inicio__lt=antes_de).exclude(
        pk=ultima_buena
    ).delete()
