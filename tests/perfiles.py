"""How deep the property tests dig: Hypothesis profiles (issue 92, item 7).

`make test` runs the `ci` profile: each property test draws the number of examples it writes,
`ejemplos(n)` → n, the same ones each run where the test derandomizes. `make pruebas-profundas`
(a nightly job, or before a release) runs `HYPOTHESIS_PROFILE=profundo`: ten times as many, so
the cases the quick loop leaves out are still drawn, only not on every change.

A count written in a test's own `@settings` wins over any profile: a test whose depth should
follow the profile writes `max_examples=ejemplos(n)`. `--hypothesis-profile=mutantes` (make
mutantes, mutantes/plugin.py) keeps the ci counts.
"""

import os

from hypothesis import settings

PERFIL = os.environ.get("HYPOTHESIS_PROFILE", "ci")
PROFUNDIDAD = {"ci": 1, "profundo": 10}

settings.register_profile("ci", settings.get_profile("default"))
settings.register_profile("profundo", settings.get_profile("default"), max_examples=1000)
if PERFIL not in PROFUNDIDAD:
    raise ValueError(
        f"HYPOTHESIS_PROFILE={PERFIL!r}: los perfiles de las pruebas son {sorted(PROFUNDIDAD)}"
    )
settings.load_profile(PERFIL)


def ejemplos(n: int) -> int:
    """The examples a test that writes `n` draws under the profile of the run."""
    return n * PROFUNDIDAD[PERFIL]
