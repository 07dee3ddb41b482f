"""The recorded year replayed with the fitted parameters, against the record (`simular_anio`
prints it before the scenarios)."""

import statistics
from dataclasses import dataclass

from dictamenes.simulacion.services.motor import COMO_SE_REGISTRO, Ajuste, Resultado, simular

SEMILLAS_COMPROBACION = 20


@dataclass(frozen=True)
class Comprobacion:
    """The recorded year replayed SEMILLAS_COMPROBACION times, against the record: the model
    reproduces it when the record's median and p90 are each within the range its runs give
    (about a 90 % band for twenty runs). One recorded year is one draw of a noisy process (a
    saturated December moves a year's p90 by days): asking the mean of the runs to match that
    one draw within a fixed share would reject a right model as often as a wrong one."""

    registrado_mediana: float
    registrado_p90: float
    simulado: Resultado  # the first run, for the scenarios' table
    corridas: tuple[Resultado, ...] = ()

    def _de(self, cifra: str) -> list[float]:
        return sorted(getattr(r, cifra) for r in self.corridas or (self.simulado,))

    @property
    def mediana(self) -> float:
        return statistics.fmean(self._de("mediana"))

    @property
    def p90(self) -> float:
        return statistics.fmean(self._de("p90"))

    @property
    def banda_mediana(self) -> tuple[float, float]:
        valores = self._de("mediana")
        return valores[0], valores[-1]

    @property
    def banda_p90(self) -> tuple[float, float]:
        valores = self._de("p90")
        return valores[0], valores[-1]

    @property
    def reproduce(self) -> bool:
        (a, b), (c, d) = self.banda_mediana, self.banda_p90
        return a <= self.registrado_mediana <= b and c <= self.registrado_p90 <= d


def comprobar(ajuste: Ajuste, *, semilla: int = 7) -> Comprobacion:
    """The recorded year replayed with the fitted parameters, against the record."""
    corridas = tuple(
        simular(ajuste, COMO_SE_REGISTRO, semilla=semilla + i) for i in range(SEMILLAS_COMPROBACION)
    )
    return Comprobacion(
        registrado_mediana=ajuste.historial.mediana,
        registrado_p90=ajuste.historial.p90,
        simulado=corridas[0],
        corridas=corridas,
    )
