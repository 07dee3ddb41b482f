"""The periodic commands' runs (models.CorridaPeriodica): the last one and the last good one
of each, and which are overdue. Two queries whatever the number of runs kept."""

import datetime
import functools
import operator
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone

from dictamenes.models import CorridaPeriodica
from dictamenes.operacion.periodicas import PERIODICAS, Periodica
from dictamenes.operacion.selectors.asuntos import ATENCION, BIEN, FALLA, Asunto, fecha, hace

SECCION = "Comandos periódicos"
# Their state is told in their own items (estado.py), with what they found.
CON_ASUNTO_PROPIO = ("respaldo", "auditoria_verificar")


@dataclass(frozen=True)
class UltimaCorrida:
    periodica: Periodica
    ultima: CorridaPeriodica | None  # the last run that ended, well or not (not skipped)
    ultima_ok: CorridaPeriodica | None  # the last one that ended well
    vencida: bool  # its last good run is older than its period plus the grace
    vencida_desde: datetime.datetime | None

    @property
    def nombre(self) -> str:
        return self.periodica.nombre

    @property
    def ultima_ok_en(self) -> datetime.datetime | None:
        return self.ultima_ok.inicio if self.ultima_ok else None

    @property
    def fallo_despues(self) -> bool:
        """Its last run failed (after the last good one, if any)."""
        return self.ultima is not None and self.ultima.resultado == CorridaPeriodica.Resultado.FALLO


def ultimas_corridas(*, ahora: datetime.datetime | None = None) -> list[UltimaCorrida]:
    """Each periodic command of the table (periodicas.PERIODICAS), in its order, with its
    last run, its last good run and whether it is overdue. For the metrics too: name,
    `ultima_ok_en`, `vencida`."""
    ahora = ahora or timezone.now()
    Resultado = CorridaPeriodica.Resultado
    nombres = [p.nombre for p in PERIODICAS]
    marcas = {
        fila["nombre"]: fila
        for fila in CorridaPeriodica.objects.filter(nombre__in=nombres)
        .exclude(resultado__in=(Resultado.OMITIDA, Resultado.EN_CURSO))
        .values("nombre")
        .annotate(ultima=Max("inicio"), ultima_ok=Max("inicio", filter=Q(resultado=Resultado.OK)))
    }
    buscadas = [
        Q(nombre=nombre, inicio=momento)
        for nombre, fila in marcas.items()
        for momento in {fila["ultima"], fila["ultima_ok"]}
        if momento is not None
    ]
    filas: dict[tuple, CorridaPeriodica] = {}
    if buscadas:
        for corrida in (
            CorridaPeriodica.objects.filter(functools.reduce(operator.or_, buscadas))
            .exclude(resultado=Resultado.OMITIDA)
            .order_by("id")
        ):
            filas[(corrida.nombre, corrida.inicio)] = corrida
    resultado = []
    for periodica in PERIODICAS:
        fila = marcas.get(periodica.nombre, {})
        ultima = filas.get((periodica.nombre, fila.get("ultima")))
        ultima_ok = filas.get((periodica.nombre, fila.get("ultima_ok")))
        vencida_desde = (
            ultima_ok.inicio + periodica.periodo + periodica.gracia if ultima_ok else None
        )
        resultado.append(
            UltimaCorrida(
                periodica=periodica,
                ultima=ultima,
                ultima_ok=ultima_ok,
                vencida=periodica.esperada and vencida_desde is not None and vencida_desde < ahora,
                vencida_desde=vencida_desde,
            )
        )
    return resultado


def _que_hacer(nombre: str) -> str:
    return (
        f"Revise que su temporizador de systemd (o su línea de cron) esté activo "
        f"(systemctl list-timers) y córralo a mano: «.venv/bin/python manage.py {nombre}»; su "
        "salida dice qué falla."
    )


def asunto_de_corrida(corrida: UltimaCorrida, *, ahora: datetime.datetime, seccion=SECCION):
    """The state of one periodic command: overdue is a failure; a failed last run while the
    last good one is still within its period, a warning; never run yet, a warning."""
    p = corrida.periodica
    clave = f"periodica:{p.nombre}"
    titulo = f"{p.nombre}: {p.descripcion}"
    if not p.esperada:
        return Asunto(
            clave,
            seccion,
            titulo,
            BIEN,
            "Apagada en esta instalación (no se definió DJANGO_NOM151_URL): no se espera que "
            "corra.",
        )
    ultima_ok = corrida.ultima_ok
    fallo = (
        f" La última corrida ({fecha(corrida.ultima.inicio)}) falló: «{corrida.ultima.mensaje}»."
        if corrida.fallo_despues
        else ""
    )
    if ultima_ok is None:
        return Asunto(
            clave,
            seccion,
            titulo,
            ATENCION,
            "Nunca ha terminado bien una corrida en esta instalación." + fallo,
            desde=corrida.ultima.inicio if corrida.ultima else None,
            que_hacer=_que_hacer(p.nombre),
        )
    buena = f"Última corrida buena: {fecha(ultima_ok.inicio)} ({hace(ultima_ok.inicio, ahora)})."
    if corrida.vencida:
        return Asunto(
            clave,
            seccion,
            titulo,
            FALLA,
            f"Atrasado: pasaron más de {_periodo(p)} sin una corrida buena. {buena}{fallo}",
            desde=corrida.vencida_desde,
            que_hacer=_que_hacer(p.nombre),
        )
    if corrida.fallo_despues:
        return Asunto(
            clave,
            seccion,
            titulo,
            ATENCION,
            f"{buena}{fallo}",
            desde=corrida.ultima.inicio,
            que_hacer=_que_hacer(p.nombre),
        )
    return Asunto(clave, seccion, titulo, BIEN, buena, desde=ultima_ok.inicio)


def _periodo(p: Periodica) -> str:
    minutos = int(p.periodo.total_seconds() // 60)
    if minutos < 60:
        return f"{minutos} min"
    if minutos < 24 * 60:
        return "una hora" if minutos == 60 else f"{minutos // 60} h"
    dias = minutos // (24 * 60)
    return "un día" if dias == 1 else f"{dias} días"


def asuntos_de_corridas(corridas, *, ahora) -> list[Asunto]:
    return [
        asunto_de_corrida(c, ahora=ahora) for c in corridas if c.nombre not in CON_ASUNTO_PROPIO
    ]
