"""How far the administrator's long commands have got (respaldo, restaurar, importar_historico,
estandares_importar, sellos_archivo_renovar, generar_historico, simular_anio): a progress bar on
a terminal (rich), plain lines in a log, and a summary at the end.

A service reports its work to an `Avance` it is given (`fase` to say what it counts and how
many, `avanzar` for each item done, skipped or failed) and knows nothing of the screen; the
command hands it a `Progreso`, which draws. The null `Avance` (SIN_AVANCE) is the default, so
the same service runs silent from a test, a view or the shell.

It lives here, in the lowest layer of the apps, because the standards' own import reports to it
too and the standards may not import the procedure (import-linter), as `estandares.entradas`.

Not on a terminal (cron, a log, `| tee`), the bar would be control codes: each line says the
items done of the total, the rate, the time left and the counts, one every `cada` items (5 %
of the total by default) or every `segundos` seconds, whichever comes first. `--verbosity 0`
prints nothing: neither bar, nor lines, nor summary (errors still end the command).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

HECHO, OMITIDO, FALLIDO = "hecho", "omitido", "fallido"
RESULTADOS = (HECHO, OMITIDO, FALLIDO)
ETIQUETAS = {HECHO: "hechos", OMITIDO: "omitidos", FALLIDO: "fallidos"}
SEGUNDOS = 30.0  # at most this long without a line in a log
PARTES = 20  # a line each twentieth of the total (5 %)


class Avance:
    """What a service calls as it works; this one ignores it."""

    def fase(self, descripcion: str, *, total: int | None) -> None:
        """What is counted from now on (a backup's files, a run's dictámenes) and how many."""

    def avanzar(self, resultado: str = HECHO, cantidad: int = 1) -> None:
        """`cantidad` items more, each done (HECHO), skipped (OMITIDO) or failed (FALLIDO)."""

    def avisar(self, texto: str) -> None:
        """A line of its own (what a phase found), above the bar on a terminal."""


SIN_AVANCE = Avance()


def numero(n: float) -> str:
    return f"{n:,.0f}"


def duracion(segundos: float) -> str:
    """1.2 s, 4 min 05 s, 6 h 02 min: what a person reads in a log."""
    if segundos < 60:
        return f"{segundos:.1f} s"
    minutos, seg = divmod(round(segundos), 60)
    if minutos < 60:
        return f"{minutos} min {seg:02d} s"
    horas, minutos = divmod(minutos, 60)
    return f"{horas} h {minutos:02d} min"


def ritmo(cuantos: int, segundos: float) -> str:
    por_segundo = cuantos / segundos if segundos > 0 else 0.0
    if 0 < por_segundo < 1:
        return f"{segundos / cuantos:.1f} s c/u"
    return f"{por_segundo:,.1f} por s"


class Progreso(Avance):
    """The bar or the lines of one command, and its summary; use it as a context manager.

    salida      the command's self.stdout (Django's OutputWrapper) or any text stream
    verbosidad  the command's --verbosity: 0 prints nothing
    titulo      what the work is, first in every line and in the summary
    etiquetas   the words for HECHO, OMITIDO, FALLIDO («renovados», «al día», ...)
    terminal    None: a bar if `salida` is a terminal; True or False to choose
    reloj       monotonic seconds (tests pass their own)
    reanudar    for work that resumes: what to do after an interruption
    """

    def __init__(
        self,
        *,
        salida,
        verbosidad: int = 1,
        titulo: str,
        etiquetas: dict[str, str] | None = None,
        terminal: bool | None = None,
        cada: int | None = None,
        segundos: float = SEGUNDOS,
        reloj: Callable[[], float] = time.monotonic,
        reanudar: str = "",
    ):
        self.salida = salida
        self.callado = verbosidad == 0
        self.titulo = titulo
        self.etiquetas = {**ETIQUETAS, **(etiquetas or {})}
        if terminal is None:
            terminal = bool(getattr(salida, "isatty", lambda: False)())
        self.terminal = terminal and not self.callado
        self.cada_fijo, self.segundos, self.reloj = cada, segundos, reloj
        self.reanudar = reanudar  # what an interrupted run leaves, said after «INTERRUMPIDO.»
        self.cuentas = dict.fromkeys(RESULTADOS, 0)
        self.descripcion, self.total, self.hechos_fase = "", None, 0
        self.inicio = self.inicio_fase = self.ultima_linea = reloj()
        self.proxima = self.cada = 0
        self._barra = self._tarea = None

    # --- Context ---------------------------------------------------------------------------

    def __enter__(self) -> Progreso:
        self.inicio = self.inicio_fase = self.ultima_linea = self.reloj()
        if self.terminal:
            self._barra = self._barra_nueva()
            self._barra.start()
        return self

    def __exit__(self, tipo, valor, traza) -> None:
        if self._barra is not None:
            self._barra.stop()
            self._barra = None
        # An interruption says so, and how far it got (the next run continues from there);
        # an error before any item (a file refused whole) is said by the error alone.
        if not self.callado and (tipo is None or any(self.cuentas.values())):
            self._escribir(self.resumen(interrumpido=tipo is not None))

    def _barra_nueva(self):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.table import Column

        # Django's OutputWrapper ends every write with a newline; the bar redraws one line.
        consola = Console(file=getattr(self.salida, "_out", self.salida), force_terminal=True)
        # Within 80 columns: the title goes above, once; the bar names the phase.
        consola.print(self.titulo, markup=False, highlight=False)
        # The figures never shrink to «…»; the counts fold onto a second line if need be.
        return Progress(
            TextColumn("{task.description}", table_column=Column(no_wrap=True)),
            BarColumn(bar_width=12),
            MofNCompleteColumn(table_column=Column(no_wrap=True, min_width=13)),
            TimeRemainingColumn(table_column=Column(no_wrap=True, min_width=7)),
            TextColumn("{task.fields[cuentas]}", table_column=Column(overflow="fold")),
            console=consola,
            redirect_stdout=False,
            redirect_stderr=False,
            get_time=self.reloj,
        )

    # --- What the service calls ------------------------------------------------------------

    def fase(self, descripcion: str, *, total: int | None) -> None:
        self.descripcion, self.total, self.hechos_fase = descripcion, total, 0
        self.inicio_fase = self.ultima_linea = self.reloj()
        self.cada = self.cada_fijo or (max(1, math.ceil(total / PARTES)) if total else 100)
        self.proxima = self.cada
        if self._barra is not None:
            self._tarea = self._barra.add_task(
                descripcion or self.titulo, total=total, cuentas=self._cuentas()
            )

    def avanzar(self, resultado: str = HECHO, cantidad: int = 1) -> None:
        if resultado not in self.cuentas:
            raise ValueError(f"resultado desconocido: {resultado}")
        if not self.cada:  # no phase named: one unnamed phase of unknown size
            self.fase("", total=None)
        self.cuentas[resultado] += cantidad
        self.hechos_fase += cantidad
        if self.callado:
            return
        if self._barra is not None:
            self._barra.update(self._tarea, advance=cantidad, cuentas=self._cuentas())
            return
        ahora = self.reloj()
        fin = self.total is not None and self.hechos_fase >= self.total
        if self.hechos_fase >= self.proxima or fin or ahora - self.ultima_linea >= self.segundos:
            self._escribir(self.linea(ahora))
            self.ultima_linea = ahora
            self.proxima = (self.hechos_fase // self.cada + 1) * self.cada

    def avisar(self, texto: str) -> None:
        if self.callado:
            return
        if self._barra is not None:
            self._barra.console.print(texto, markup=False, highlight=False)
        else:
            self._escribir(texto)

    # --- What is written -------------------------------------------------------------------

    def _nombre(self) -> str:
        return f"{self.titulo} · {self.descripcion}" if self.descripcion else self.titulo

    def _cuentas(self) -> str:
        return ", ".join(f"{self.etiquetas[r]} {numero(self.cuentas[r])}" for r in RESULTADOS)

    def linea(self, ahora: float) -> str:
        """«Sellos de archivo · dictámenes: 1,200 de 72,000 (1.7 %), 3.3 por s, faltan
        5 h 58 min; renovados 1,150, al día 40, sin renovar 10»"""
        n, total = self.hechos_fase, self.total
        transcurrido = ahora - self.inicio_fase
        partes = [f"{self._nombre()}: {numero(n)}"]
        if total:
            partes[0] += f" de {numero(total)} ({100 * n / total:.1f} %)"
        if n and transcurrido > 0:
            partes.append(ritmo(n, transcurrido))
            if total and n < total:
                partes.append(f"faltan {duracion((total - n) * transcurrido / n)}")
        return ", ".join(partes) + "; " + self._cuentas()

    def resumen(self, *, interrumpido: bool = False) -> str:
        """«Sellos de archivo: renovados 3, al día 1, sin renovar 0 en 1.2 s.»"""
        segundos = self.reloj() - self.inicio
        cuantos = sum(self.cuentas.values())
        texto = f"{self.titulo}: {self._cuentas()} en {duracion(segundos)}"
        if cuantos and segundos > 0:
            texto += f" ({ritmo(cuantos, segundos)})"
        if interrumpido:
            return texto + f". INTERRUMPIDO.{' ' + self.reanudar if self.reanudar else ''}"
        return texto + "."

    def _escribir(self, texto: str) -> None:
        self.salida.write(texto)
