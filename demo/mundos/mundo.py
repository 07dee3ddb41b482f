"""One world: its calendar, its arrivals, its people and their habits, and the requests'
course through admission, the areas' reviews, the strategic review and the signature.

Time is counted in the world's business days: t = index of the business day + the share of its
working day (09:00 to 17:00) gone by. Every business day starts with a tick at which each person
takes up the pace of that day (absent: 0; the cómputo reviewer in December with `medio_tiempo`:
0.5) and takes waiting files, first presented first served, while they hold fewer than their
limit (1, or 3 with `varios`, the files held sharing the pace equally).

Each request's course is drawn from a stream of its own (the world's seed, its year, its order,
the run): the same request takes the same course whatever is lent, and run 0 is the year that
happened (the one the record shows).
"""

from __future__ import annotations

import dataclasses
import datetime
import heapq
import math
import random
from collections import Counter, defaultdict

import holidays

INICIO = datetime.time(9)
HORAS = 8  # the world's working day: 09:00 to 17:00
PESOS_MES = (3, 4, 5, 5, 6, 6, 5, 7, 9, 12, 17, 21)
BASE = 830  # requests of the year before the rush, about
AREAS = {  # area: (weight in the choice of areas, mean work per review, business days)
    "computo": (36, 0.5),
    "software": (28, 0.6),
    "infraestructura": (14, 0.55),
    "redes": (12, 0.65),
    "seguridad": (10, 0.7),
}
OTROS = {"admision": 0.08, "revision_estrategica": 0.09, "firma": 0.07}
AREA = "revision_tecnica:"
DOS_AREAS, PREVENIDAS, DESECHADAS, PLAZO = 0.30, 0.10, 0.55, 5


def percentil_90(valores) -> int | None:
    """Nearest rank: the ceil(0.9 n)-th smallest value."""
    orden = sorted(valores)
    return orden[math.ceil(0.9 * len(orden)) - 1] if orden else None


def lunes(dia: datetime.date) -> datetime.date:
    return dia - datetime.timedelta(days=dia.weekday())


class Calendario:
    """Business days: Monday to Friday, not a Mexican federal holiday, not 24 or 31 December
    (the office's own days off)."""

    def __init__(self, desde: datetime.date, hasta: datetime.date):
        feriados = holidays.Mexico(years=range(desde.year, hasta.year + 1))
        dia, self.dias = desde, []
        while dia <= hasta:
            libre = (
                dia.weekday() >= 5
                or dia in feriados
                or (dia.month, dia.day) in ((12, 24), (12, 31))
            )
            if not libre:
                self.dias.append(dia)
            dia += datetime.timedelta(days=1)
        self.indice = {d: i for i, d in enumerate(self.dias)}
        self.meses = defaultdict(list)
        for d in self.dias:
            self.meses[(d.year, d.month)].append(d)

    def es_habil(self, dia: datetime.date) -> bool:
        return dia in self.indice

    def habiles(self, desde: datetime.date, hasta: datetime.date) -> list[datetime.date]:
        return [d for d in self.dias if desde <= d <= hasta]

    def siguiente(self, dia: datetime.date) -> int:
        """The index of `dia`, or of the next business day."""
        while dia not in self.indice:
            dia += datetime.timedelta(days=1)
        return self.indice[dia]

    def dia(self, t: float) -> datetime.date:
        return self.dias[min(int(t), len(self.dias) - 1)]

    def momento(self, t: float) -> datetime.datetime:
        i = min(int(t), len(self.dias) - 1)
        parte = min(max(t - i, 0.0), 0.9999)
        return datetime.datetime.combine(self.dias[i], INICIO) + datetime.timedelta(
            seconds=round(parte * HORAS * 3600)
        )


@dataclasses.dataclass(frozen=True)
class Especificacion:
    familia: str
    semilla: int
    servicio: str = "gamma"
    varios: bool = False
    lotes: bool = False
    medio_tiempo: bool = False
    fin_de_mes: bool = False
    pausas: bool = False
    desvio: float = 0.0


@dataclasses.dataclass(frozen=True)
class Prestamo:
    area: str
    desde: datetime.date
    hasta: datetime.date
    personas: int = 1


@dataclasses.dataclass(frozen=True)
class TareaRegistrada:
    paso: str
    persona: str
    creada: datetime.datetime
    terminada: datetime.datetime


@dataclasses.dataclass(frozen=True)
class SolicitudRegistrada:
    folio: int
    ejercicio: int
    presentada: datetime.datetime
    areas: tuple[str, ...]
    prevenida: bool
    desechada: bool
    atendida: datetime.datetime | None
    dias: int | None
    tareas: tuple[TareaRegistrada, ...]
    pausa_registrada: int = 0  # pauses are never recorded in these worlds


@dataclasses.dataclass(frozen=True)
class Plantilla:
    personas: dict
    ausencias: tuple


@dataclasses.dataclass
class Caso:
    """A request in a run: its course and what happened to it."""

    orden: int
    ejercicio: int
    llegada: float
    areas: tuple = ()
    prevenida: bool = False
    desechada: bool = False
    trabajo: dict = dataclasses.field(default_factory=dict)
    correccion: float = 0.0
    pausa: tuple | None = None  # (area, business days)
    tareas: list = dataclasses.field(default_factory=list)  # [step, person, ready, closed]
    prevencion: float | None = None
    respuesta: float | None = None
    fin: float | None = None
    dias: int | None = None
    pendientes: int = 0

    def presentada(self, cal: Calendario) -> datetime.date:
        return cal.dia(self.llegada)


class _Persona:
    def __init__(self, ident, ritmo, limite):
        self.ident, self.ritmo_de, self.limite = ident, ritmo, limite
        self.activas: list = []  # [remaining work, task]
        self.ritmo, self.ultimo, self.version, self.paso = 0.0, 0.0, 0, ""

    def avanzar(self, ahora: float) -> None:
        if self.activas and self.ritmo > 0:
            hecho = (ahora - self.ultimo) * self.ritmo / len(self.activas)
            for activa in self.activas:
                activa[0] -= hecho
        self.ultimo = ahora


class Mundo:
    def __init__(self, espec: Especificacion, anio: int):
        self.espec, self.anio = espec, anio
        self.calendario = Calendario(datetime.date(anio - 1, 1, 1), datetime.date(anio + 1, 12, 31))
        azar = random.Random(f"mundo-{espec.semilla}")  # noqa: S311 - a stated random world
        self.base = round(BASE * azar.uniform(0.9, 1.1))
        self.medias = {p: m * azar.uniform(0.9, 1.1) for p, m in OTROS.items()}
        self.medias |= {AREA + a: m * azar.uniform(0.9, 1.1) for a, (_w, m) in AREAS.items()}
        otra = azar.choice(["software", "infraestructura", "redes", "seguridad"])
        semana = lunes(datetime.date(anio, 11, 1)) + datetime.timedelta(weeks=azar.randrange(1, 8))
        self.ausencias = (
            (
                AREA + "computo",
                "computo-1",
                datetime.date(anio, 12, 14),
                datetime.date(anio, 12, 27),
            ),
            (AREA + otra, f"{otra}-1", semana, semana + datetime.timedelta(days=4)),
        )
        self._registro = None

    # --- what the office is told ---------------------------------------------------------------

    def llegadas_del_anio(self, ejercicio: int) -> int:
        n = self.base if ejercicio < self.anio else round(self.base * 1.04)
        return round(n * (1 + self.espec.desvio)) if ejercicio == self.anio else n

    def pronostico(self) -> dict[int, int]:
        n = round(self.base * 1.04)
        return {m: round(n * w / sum(PESOS_MES)) for m, w in enumerate(PESOS_MES, start=1)}

    def plantilla(self) -> Plantilla:
        personas = {
            "admision": ("admision-1",),
            "revision_estrategica": ("estrategica-1",),
            "firma": ("firma-1",),
        }
        personas |= {AREA + a: (f"{a}-1",) for a in AREAS}
        return Plantilla(personas=personas, ausencias=self.ausencias)

    # --- the process ---------------------------------------------------------------------------

    def _momentos(self, ejercicio: int) -> list[float]:
        """The year's arrival moments: the same in every run."""
        self._llegadas = getattr(self, "_llegadas", {})
        if ejercicio not in self._llegadas:
            cal = self.calendario
            azar = random.Random(f"{self.espec.semilla}-{ejercicio}-llegadas")  # noqa: S311
            momentos = []
            n = self.llegadas_del_anio(ejercicio)
            for mes in azar.choices(range(1, 13), weights=PESOS_MES, k=n):
                dias = cal.meses[(ejercicio, mes)]
                if self.espec.fin_de_mes and azar.random() < 0.5:
                    dia = azar.choice(dias[-3:])
                else:
                    dia = azar.choice(dias)
                momentos.append(cal.indice[dia] + azar.random())
            self._llegadas[ejercicio] = sorted(momentos)
        return self._llegadas[ejercicio]

    def _casos(self, ejercicio: int, corrida: int) -> list[Caso]:
        casos = []
        for orden, t in enumerate(self._momentos(ejercicio)):
            caso = Caso(
                orden=orden + (0 if ejercicio < self.anio else 10**6),
                ejercicio=ejercicio,
                llegada=t,
            )
            self._curso(caso, random.Random(f"{self.espec.semilla}-{ejercicio}-{orden}-{corrida}"))  # noqa: S311
            casos.append(caso)
        return casos

    def _curso(self, caso: Caso, azar: random.Random) -> None:
        claves, pesos = list(AREAS), [w for w, _m in AREAS.values()]
        k = 2 if azar.random() < DOS_AREAS else 1
        areas = []
        while len(areas) < k:
            clave = azar.choices(claves, weights=pesos)[0]
            if clave not in areas:
                areas.append(clave)
        caso.areas = tuple(areas)
        caso.prevenida = azar.random() < PREVENIDAS
        caso.desechada = caso.prevenida and azar.random() < DESECHADAS
        caso.correccion = azar.uniform(1.0, 5.0)
        pasos = [
            "admision",
            "admision",
            *(AREA + a for a in areas),
            "revision_estrategica",
            "firma",
        ]
        for paso in pasos:
            caso.trabajo.setdefault(paso, []).append(self._servicio(azar, self.medias[paso]))
        if self.espec.pausas and azar.random() < 0.2:
            caso.pausa = (AREA + areas[0], azar.uniform(2.0, 8.0))

    def _servicio(self, azar: random.Random, media: float) -> float:
        familia = self.espec.servicio
        if familia == "lognormal":
            return azar.lognormvariate(math.log(media) - 0.5, 1.0)
        if familia == "pareto":
            alfa = 2.2
            return media * (alfa - 1) / alfa * azar.paretovariate(alfa)
        return azar.gammavariate(2.0, media / 2.0)

    def _personal(self, prestamos) -> dict[str, list[_Persona]]:
        cal, limite = self.calendario, 3 if self.espec.varios else 1
        fuera = defaultdict(set)
        for _paso, persona, desde, hasta in self.ausencias:
            fuera[persona] |= set(cal.habiles(desde, hasta))
        for anio in (self.anio - 1,):  # the same vacation the year before
            fuera["computo-1"] |= set(
                cal.habiles(datetime.date(anio, 12, 14), datetime.date(anio, 12, 27))
            )

        def ritmo(ident):
            def de(dia):
                if dia in fuera[ident]:
                    return 0.0
                if self.espec.medio_tiempo and ident == "computo-1" and dia.month == 12:
                    return 0.5
                return 1.0

            return de

        gente = {"admision": [_Persona("admision-1", ritmo("admision-1"), limite)]}
        gente["revision_estrategica"] = [_Persona("estrategica-1", ritmo("estrategica-1"), limite)]
        gente["firma"] = [_Persona("firma-1", ritmo("firma-1"), limite)]
        for a in AREAS:
            gente[AREA + a] = [_Persona(f"{a}-1", ritmo(f"{a}-1"), limite)]
        for n, p in enumerate(prestamos):
            for k in range(p.personas):
                gente[AREA + p.area].append(
                    _Persona(
                        f"{p.area}-p{n}-{k}",
                        lambda dia, p=p: 1.0 if p.desde <= dia <= p.hasta else 0.0,
                        limite,
                    )
                )
        for paso, personas in gente.items():
            for persona in personas:
                persona.paso = paso
        return gente

    def _simular(self, casos: list[Caso], prestamos=(), desde: int = 0) -> None:
        """Every case through the process to its end (mutates the cases)."""
        cal, gente = self.calendario, self._personal(prestamos)
        eventos, contador, colas = [], iter(range(10**9)), defaultdict(list)
        abiertos = [len(casos)]  # the cases not yet at their end: days tick while any is open

        def atender(caso, t):
            self._atender(caso, t)
            abiertos[0] -= 1

        def evento(t, *datos):
            heapq.heappush(eventos, (t, next(contador), *datos))

        def plan(persona, ahora):
            persona.version += 1
            if persona.activas and persona.ritmo > 0:
                resto = min(a[0] for a in persona.activas)
                evento(
                    ahora + max(resto, 0.0) * len(persona.activas) / persona.ritmo,
                    "persona",
                    persona,
                    persona.version,
                )

        def tomar(paso, persona, ahora):
            cola = colas[paso]
            while cola and len(persona.activas) < persona.limite and persona.ritmo > 0:
                _orden, _n, caso, tarea = heapq.heappop(cola)
                tarea[1] = persona.ident
                persona.activas.append([caso.trabajo[paso].pop(0), (caso, tarea)])

        def despachar(paso, ahora):
            for persona in gente[paso]:
                if colas[paso] and len(persona.activas) < persona.limite and persona.ritmo > 0:
                    persona.avanzar(ahora)
                    tomar(paso, persona, ahora)
                    plan(persona, ahora)

        def lista(caso, paso, t):
            tarea = [paso, None, t, None]
            caso.tareas.append(tarea)
            heapq.heappush(colas[paso], (caso.orden, next(contador), caso, tarea))
            evento(t, "despachar", paso)

        def hecha(caso, tarea, t):
            paso = tarea[0]
            cierre = t
            if caso.pausa and caso.pausa[0] == paso:
                cierre = t + caso.pausa[1]  # waits for information nobody records
            if self.espec.lotes:
                cierre = math.floor(cierre) + 0.999  # closed with the day's batch
            evento(cierre, "cierre", caso, tarea)

        def cerrar(caso, tarea, t):
            tarea[3] = t
            paso = tarea[0]
            if paso == "admision":
                if caso.prevenida and caso.prevencion is None:
                    caso.prevencion = t
                    fin = math.floor(t) + PLAZO + 1 if caso.desechada else t + caso.correccion
                    caso.tareas.append(["subsanar", "requirente", t, fin])
                    evento(fin, "respuesta", caso)
                    return
                caso.pendientes = len(caso.areas)
                for a in caso.areas:
                    lista(caso, AREA + a, t)
            elif paso.startswith(AREA):
                caso.pendientes -= 1
                if caso.pendientes == 0:
                    lista(caso, "revision_estrategica", t)
            elif paso == "revision_estrategica":
                lista(caso, "firma", t)
            else:
                atender(caso, t)

        for caso in casos:
            evento(caso.llegada, "llega", caso)
        evento(float(desde), "dia", desde)
        while eventos:
            t, _n, tipo, *datos = heapq.heappop(eventos)
            if tipo == "llega":
                lista(datos[0], "admision", t)
            elif tipo == "despachar":
                despachar(datos[0], t)
            elif tipo == "dia":
                if abiertos[0] and datos[0] + 1 < len(cal.dias):
                    evento(float(datos[0] + 1), "dia", datos[0] + 1)
                hoy = cal.dias[datos[0]]
                for paso, personas in gente.items():
                    for persona in personas:
                        persona.avanzar(t)
                        persona.ritmo = persona.ritmo_de(hoy)
                        tomar(paso, persona, t)
                        plan(persona, t)
            elif tipo == "persona":
                persona, version = datos
                if version != persona.version:
                    continue
                persona.avanzar(t)
                terminadas = [a for a in persona.activas if a[0] <= 1e-9]
                persona.activas = [a for a in persona.activas if a[0] > 1e-9]
                for _resto, (caso, tarea) in terminadas:
                    hecha(caso, tarea, t)
                tomar(persona.paso, persona, t)
                plan(persona, t)
            elif tipo == "cierre":
                cerrar(datos[0], datos[1], t)
            elif tipo == "respuesta":
                caso = datos[0]
                caso.respuesta = t
                if caso.desechada:
                    atender(caso, t)
                else:
                    lista(caso, "admision", t)

    def _atender(self, caso: Caso, t: float) -> None:
        caso.fin = t
        dias = math.floor(t) - math.floor(caso.llegada)
        if caso.prevencion is not None:
            dias -= math.floor(caso.respuesta if caso.respuesta is not None else t) - math.floor(
                caso.prevencion
            )
        caso.dias = max(dias, 0)

    # --- the record and the runs -----------------------------------------------------------------

    def _realizado(self) -> list[Caso]:
        if self._registro is None:
            casos = self._casos(self.anio - 1, 0) + self._casos(self.anio, 0)
            self._simular(casos)
            self._registro = casos
        return self._registro

    def registro(self, hasta: datetime.date) -> list[SolicitudRegistrada]:
        cal, corte = self.calendario, float(self.calendario.siguiente(hasta))
        lista = []
        for c in self._realizado():
            if c.llegada >= corte:
                continue
            tareas = tuple(
                TareaRegistrada(paso, persona, cal.momento(lista_), cal.momento(cierre))
                for paso, persona, lista_, cierre in c.tareas
                if cierre is not None and cierre < corte
            )
            atendida = c.fin is not None and c.fin < corte
            lista.append(
                SolicitudRegistrada(
                    folio=c.orden,
                    ejercicio=c.ejercicio,
                    presentada=cal.momento(c.llegada),
                    areas=c.areas,
                    prevenida=c.prevenida and c.prevencion is not None and c.prevencion < corte,
                    desechada=c.desechada and atendida,
                    atendida=cal.momento(c.fin) if atendida else None,
                    dias=c.dias if atendida else None,
                    tareas=tareas,
                )
            )
        return lista

    def correr(self, prestamos=(), corrida: int = 0) -> list[Caso]:
        """The rush year's requests with these loans, from its first business day with empty
        queues; run 0 draws the courses of the year that happened."""
        casos = self._casos(self.anio, corrida)
        self._simular(
            casos, prestamos, desde=self.calendario.siguiente(datetime.date(self.anio, 1, 1))
        )
        return casos

    def p90_semanal(self, casos) -> dict:
        por = defaultdict(list)
        for c in casos:
            if c.dias is None:
                continue
            semana = lunes(c.presentada(self.calendario))
            por[(semana, None)].append(c.dias)
            for a in c.areas:
                por[(semana, a)].append(c.dias)
        return {llave: percentil_90(v) for llave, v in por.items()}

    def cumple(self, prestamos, *, estandar: int, desde: datetime.date, corridas: int = 12):
        """Every week from `desde`'s to the year's end, all its arrivals and each area's: the
        mean of its p90 over runs 1..corridas within the standard."""
        medias = self._medias(tuple(prestamos), desde, corridas)
        return all(v <= estandar for v in medias.values()), medias

    def _medias(self, prestamos, desde, corridas) -> dict:
        clave = (prestamos, desde, corridas)
        self._cache = getattr(self, "_cache", {})
        if clave not in self._cache:
            desde_lunes, valores = lunes(desde), defaultdict(list)
            for k in range(1, corridas + 1):
                for llave, p90 in self.p90_semanal(self.correr(prestamos, k)).items():
                    if llave[0] >= desde_lunes and llave[0].year == self.anio:
                        valores[llave].append(p90)
            self._cache[clave] = {llave: sum(v) / len(v) for llave, v in valores.items()}
        return self._cache[clave]

    def dias_revisor(self, prestamos) -> float:
        return float(
            sum(p.personas * len(self.calendario.habiles(p.desde, p.hasta)) for p in prestamos)
        )

    def regla_empirica(self, *, desde: datetime.date) -> tuple[Prestamo, ...]:
        """One more reviewer in the two areas with the most reviews in the record of the year
        before, every business day of December."""
        cuenta = Counter(
            t.paso[len(AREA) :]
            for s in self.registro(desde)
            if s.ejercicio == self.anio - 1
            for t in s.tareas
            if t.paso.startswith(AREA)
        )
        dos = sorted(sorted(cuenta, key=lambda a: (-cuenta[a], a))[:2])
        diciembre = self.calendario.habiles(
            max(desde, datetime.date(self.anio, 12, 1)), datetime.date(self.anio, 12, 31)
        )
        return tuple(Prestamo(a, diciembre[0], diciembre[-1], 1) for a in dos)


def _fin_de_mes(anio: int, mes: int) -> datetime.date:
    return datetime.date(anio + (mes == 12), mes % 12 + 1, 1) - datetime.timedelta(days=1)
