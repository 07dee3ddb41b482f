"""Días hábiles: deadlines that skip weekends, Mexican holidays and declared días inhábiles."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

import holidays
from django.core.cache import cache
from django.utils import timezone

from dictamenes.models import DiaInhabil

# Years loaded on each side of the requested span, so callers may step a little outside it.
ANIOS_MARGEN = 2
# Semáforo: "verde" while more than this many business days remain; "amarillo" (por vencer)
# on the business day before the due date and on the due date itself. A step with the
# shortest deadline (2 business days: admisión, firma) arrives "verde", as every step does.
DIAS_AMARILLO = 1

# The office's working day: the hours in which the staff works. The capacity engine converts
# task times to business days of work with them.
JORNADA_INICIO = time(9)
JORNADA_FIN = time(18)

SABADO, DOMINGO = 5, 6
MOTIVO_DECLARADO = "día inhábil"

# Pages that only show deadlines (the inbox, the queue, a request's open steps) read the
# declared días inhábiles from the cache for this long; a change empties it at once in this
# process and everywhere when the cache is shared (DJANGO_CACHE_URL). Services that set a
# deadline always read the table.
PARA_MOSTRAR_S = 300
_GENERACION = "calendario:generacion"


@functools.lru_cache(maxsize=64)
def _feriados(primero: int, ultimo: int) -> dict[date, str]:
    """Mexico's official holidays for those years. They are fixed by law, so they are computed
    once per process (the library takes milliseconds per call, on every page with deadlines).
    The language is explicit: otherwise the names follow the process locale (English on C)."""
    return dict(holidays.Mexico(years=range(primero, ultimo + 1), language="es").items())


class Calendario:
    """Business-day arithmetic over a fixed set of non-working weekdays."""

    def __init__(
        self,
        inhabiles: Mapping[date, str] | Iterable[date],
        *,
        periodo: tuple[date, date] | None = None,
    ) -> None:
        """`inhabiles`: non-working dates (with their reason if a mapping).

        `periodo`: the (first, last) dates the data covers; dates outside raise ValueError.
        Without it the calendar trusts `inhabiles` for any date.
        """
        if isinstance(inhabiles, Mapping):
            self._inhabiles = {_fecha(f): str(m) for f, m in inhabiles.items()}
        else:
            self._inhabiles = {_fecha(f): MOTIVO_DECLARADO for f in inhabiles}
        self.periodo = periodo

    @classmethod
    def cargar(cls, desde: date, hasta: date, *, para_mostrar: bool = False) -> Calendario:
        """Load holidays and declared días inhábiles for the span, padded by whole years.

        `para_mostrar`: for a page that shows deadlines without setting any; the declared days
        may come from the cache (see PARA_MOSTRAR_S)."""
        desde, hasta = sorted((_fecha(desde), _fecha(hasta)))
        inicio = date(max(desde.year - ANIOS_MARGEN, date.min.year), 1, 1)
        fin = date(min(hasta.year + ANIOS_MARGEN, date.max.year), 12, 31)

        def leer():
            return dict(
                DiaInhabil.objects.filter(fecha__range=(inicio, fin))
                .order_by()
                .values_list("fecha", "descripcion")
            )

        if para_mostrar:
            # The generation never expires (None), here as in cache_vaciar: one that expired
            # would come back as 0 and find a copy kept under 0 before a day was declared.
            generacion = cache.get_or_set(_GENERACION, 0, None)
            clave = f"calendario:{generacion}:{inicio}:{fin}"
            declarados = cache.get_or_set(clave, leer, PARA_MOSTRAR_S)
        else:
            declarados = leer()
        # An official holiday keeps its own name even if it was also declared in the DB.
        return cls({**declarados, **_feriados(inicio.year, fin.year)}, periodo=(inicio, fin))

    def es_habil(self, fecha: date) -> bool:
        return self.motivo_inhabil(fecha) is None

    def motivo_inhabil(self, fecha: date) -> str | None:
        """Why `fecha` is not a business day ("sábado", a holiday's name...), or None."""
        fecha = self._revisar(fecha)
        if fecha.weekday() == SABADO:
            return "sábado"
        if fecha.weekday() == DOMINGO:
            return "domingo"
        return self._inhabiles.get(fecha)

    def sumar(self, fecha: date, dias: int) -> date:
        """The date `dias` business days after `fecha` (not counted).

        With dias=0: `fecha` if it is hábil, else the next business day.
        """
        if dias < 0:
            raise ValueError(f"dias debe ser >= 0, no {dias}")
        fecha = self._revisar(fecha)
        if dias == 0:
            while not self.es_habil(fecha):
                fecha += timedelta(days=1)
            return fecha
        while dias:
            fecha += timedelta(days=1)
            if self.es_habil(fecha):
                dias -= 1
        return fecha

    def habiles_entre(self, inicio: date, fin: date) -> int:
        """Business days in (inicio, fin]; negative (mirrored) when fin < inicio."""
        inicio, fin = self._revisar(inicio), self._revisar(fin)
        if fin < inicio:
            return -self.habiles_entre(fin, inicio)
        total = 0
        fecha = inicio
        while fecha < fin:
            fecha += timedelta(days=1)
            total += self.es_habil(fecha)
        return total

    def _revisar(self, fecha: date) -> date:
        fecha = _fecha(fecha)
        if self.periodo and not self.periodo[0] <= fecha <= self.periodo[1]:
            raise ValueError(
                f"{fecha} está fuera del periodo cargado "
                f"({self.periodo[0]} a {self.periodo[1]}); use Calendario.cargar con ese rango"
            )
        return fecha


def sumar_dias_habiles(*, desde: date, dias: int, calendario: Calendario | None = None) -> date:
    """The date `dias` business days after `desde` (see Calendario.sumar)."""
    # Two calendar days per business day is more than enough; the padding covers the rest.
    calendario = calendario or Calendario.cargar(desde, desde + timedelta(days=2 * max(dias, 0)))
    return calendario.sumar(desde, dias)


def dias_habiles_entre(*, inicio: date, fin: date, calendario: Calendario | None = None) -> int:
    """Business days in (inicio, fin]; negative when fin < inicio."""
    calendario = calendario or Calendario.cargar(inicio, fin)
    return calendario.habiles_entre(inicio, fin)


def vencimiento(*, desde: datetime, dias: int, calendario: Calendario | None = None) -> datetime:
    """End (23:59:59.999999 local time) of the business day `dias` days after `desde`."""
    zona = timezone.get_default_timezone()
    dia = sumar_dias_habiles(
        desde=timezone.localtime(desde, zona).date(), dias=dias, calendario=calendario
    )
    return timezone.make_aware(datetime.combine(dia, time.max), zona)


def dias_restantes(
    *, vence: datetime, ahora: datetime | None = None, calendario: Calendario | None = None
) -> int:
    """Business days from today to the due date: 0 if due today, negative once overdue."""
    ahora = ahora or timezone.now()
    zona = timezone.get_default_timezone()
    hoy = timezone.localtime(ahora, zona).date()
    dia = timezone.localtime(vence, zona).date()
    restantes = dias_habiles_entre(inicio=hoy, fin=dia, calendario=calendario)
    if ahora > vence:
        # Overdue on a weekend (or later on the due day itself) is still at least one day late.
        return min(restantes, -1)
    return restantes


def semaforo(
    *, vence: datetime, ahora: datetime | None = None, calendario: Calendario | None = None
) -> str:
    """Traffic light: "verde" (more than DIAS_AMARILLO business days left), "amarillo" (due
    the next business day or today), "rojo" (overdue)."""
    ahora = ahora or timezone.now()
    if ahora > vence:
        return "rojo"
    restantes = dias_restantes(vence=vence, ahora=ahora, calendario=calendario)
    return "verde" if restantes > DIAS_AMARILLO else "amarillo"


def _fecha(valor: date) -> date:
    # datetime is a date subclass but never equals one: it would silently miss every día inhábil.
    if isinstance(valor, datetime) or not isinstance(valor, date):
        raise TypeError(f"se esperaba una fecha (date), no {type(valor).__name__}")
    return valor


def cache_vaciar() -> None:
    """A día inhábil was declared, changed or removed: pages read the table again."""
    try:
        cache.incr(_GENERACION)
    except ValueError:
        cache.set(_GENERACION, 1, None)
