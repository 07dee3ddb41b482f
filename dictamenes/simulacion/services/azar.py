"""The engine's draws (simulacion.services.motor), each the same number from the same stream as
the standard library's own draw, prepared once: a run's results do not change, its time does
(tests/dictamenes/simulacion/test_motor_igual.py holds each against the library's)."""

import bisect
import functools
import itertools
import random
from collections import Counter


def elegir(azar: random.Random, conteo: Counter):
    claves = sorted(conteo)
    return azar.choices(claves, weights=[conteo[c] for c in claves])[0]


class Sorteo:
    """`elegir` over one Counter drawn thousands of times in a run: its keys sorted and its
    cumulative weights once, the draw as random.choices makes it (the same number from the
    same stream, the same key): a run's results do not change, its time does."""

    def __init__(self, conteo: Counter):
        self.claves = sorted(conteo)
        self.acumulados = list(itertools.accumulate(conteo[c] for c in self.claves))
        self.total = self.acumulados[-1] + 0.0 if self.acumulados else 0.0
        self.ultimo = len(self.claves) - 1

    def __call__(self, azar: random.Random):
        if self.total <= 0.0:
            raise ValueError("Total of weights must be greater than zero")
        i = bisect.bisect(self.acumulados, azar.random() * self.total, 0, self.ultimo)
        return self.claves[i]


@functools.lru_cache(maxsize=64)
def remuestra(semilla: int, pasos: tuple) -> dict:
    """Each step's measured times drawn again from themselves (the bootstrap of `simular`): a
    function of the seed and the times only, the same for every scenario the plan tries with
    that seed, so drawn once. Read only: the runs only draw from it."""
    muestra = random.Random(f"{semilla}-remuestreo")  # noqa: S311 - a reproducible bootstrap
    return {paso: muestra.choices(v, k=len(v)) for paso, v in pasos}


def sacador(azar: random.Random):
    """`azar.choice`, spelt out as random.Random.choice draws (its _randbelow: getrandbits of
    the length's bits until one falls below it): the same element from the same stream,
    without two calls per draw (the engine draws six per request)."""
    getrandbits = azar.getrandbits

    def sacar(seq):
        n = len(seq)
        if not n:
            raise IndexError("Cannot choose from an empty sequence")
        k = n.bit_length()
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return seq[r]

    return sacar
