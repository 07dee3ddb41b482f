"""How the plan's scenarios are told to a director (issue 81, item 6), the same on the page
and in the weekly e-mail: a share of scenarios as «n de cada 10», and the areas of the rule of
thumb by name. No query here."""

import math


def de_cada_diez(probabilidad: float | None) -> int | None:
    """A share of scenarios as «en al menos n de cada 10»: n rounded down (the share is at
    least that; a hair of float error does not drop a tenth)."""
    if probabilidad is None:
        return None
    return math.floor(10 * probabilidad + 1e-9)


def areas_de_la_regla(plan) -> list[str]:
    """The names of the rule of thumb's areas, once each, in the plan's order."""
    return list(dict.fromkeys(a.area.nombre for a in plan.regla))
