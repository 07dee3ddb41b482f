"""Worlds the capacity plan did not make (issue 81, item 1): a stated queueing process of the
office, with its own business-day calendar (the `holidays` library and its own working day,
09:00 to 17:00) and its own p90, that imports nothing from the product (tests/demo/
test_mundos.py reads every import of this package; import-linter forbids the product too).

Each switch of `Especificacion` breaks one assumption of the plan's engine:
- `servicio`: the service-time family, gamma (shape 2), lognormal (σ = 1) or Pareto (α = 2.2),
  each with the stated mean;
- `varios`: people hold up to three files at once, each advancing at a share of their pace;
- `lotes`: people close their tasks in the system in a batch at the end of their working day
  (the request moves on only then);
- `medio_tiempo`: the cómputo reviewer works at half pace in December, and nobody registers it;
- `fin_de_mes`: half of each month's arrivals fall in its last three business days;
- `pausas`: a fifth of the requests wait 2 to 8 business days in a technical review for
  information nobody records (the reviewer works other files meanwhile; the days count);
- `desvio`: the rush year's arrivals are the forecast times (1 + desvio).

`PANEL` is the fixed, versioned panel: the ten families × seeds 1 to 3.
"""

from demo.mundos.busqueda import minimo
from demo.mundos.mundo import (
    Calendario,
    Caso,
    Especificacion,
    Mundo,
    Plantilla,
    Prestamo,
    SolicitudRegistrada,
    TareaRegistrada,
    percentil_90,
)

PANEL_VERSION = "2026-11-28"
FAMILIAS = {
    "base": {},
    "lognormal": {"servicio": "lognormal"},
    "pareto": {"servicio": "pareto"},
    "varios": {"varios": True},
    "lotes": {"lotes": True},
    "medio_tiempo": {"medio_tiempo": True},
    "fin_de_mes": {"fin_de_mes": True},
    "pausas": {"pausas": True},
    "mas15": {"desvio": 0.15},
    "menos15": {"desvio": -0.15},
}
PANEL = tuple(
    Especificacion(familia=familia, semilla=semilla, **cambios)
    for familia, cambios in FAMILIAS.items()
    for semilla in (1, 2, 3)
)
# The suite's two: the engine's own assumptions, and two of them broken at once.
DOS_MUNDOS = (
    Especificacion(familia="base", semilla=1),
    Especificacion(
        familia="lognormal+fin_de_mes", semilla=2, servicio="lognormal", fin_de_mes=True
    ),
)

__all__ = [
    "DOS_MUNDOS",
    "FAMILIAS",
    "PANEL",
    "PANEL_VERSION",
    "Calendario",
    "Caso",
    "Especificacion",
    "Mundo",
    "Plantilla",
    "Prestamo",
    "SolicitudRegistrada",
    "TareaRegistrada",
    "minimo",
    "percentil_90",
]
