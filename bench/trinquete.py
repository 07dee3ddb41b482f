"""The rules tried against the ratchet of the price reference (issue 93, item 5), compared in
a world that imports nothing of the product: the reference as a median of a 24-month window
after Tukey's fences, and the rule for what an approval above it contributes.

Two worlds, each run over 30 seeds (the mean and the worst are printed):
- edge steps: a window of 40 honest purchases from 10 agencies (lognormal noise, sigma 0.08),
  then steps approved at the reference + 10 % (or + 25 %) and contracted 10 % over what was
  approved, by one agency or by three in concert, all within the window (the worst case: none
  of the honest purchases leaves it meanwhile); the drift after 10, 20 and 80 steps;
- an honest market whose every price rises 5 % a year: 3 purchases a month from 10 agencies
  for four years, each at that day's market times the noise; the reference at the end against
  the market at the window's middle (what a 24-month median of it estimates) and today's.

The rules:
- actual: what the product did before (each purchase counts; a contract no more than the
  approved price plus the tolerance);
- tope+10: besides, no purchase enters above the reference at its decision plus 10 %;
- tope 0: no purchase enters above the reference at its decision;
- por ente: each agency's purchases count once, as their median (after the fences over every
  purchase), and the reference is the median of the agencies' medians;
- por ente+tope: both.

The product keeps «por ente» (dictamenes/precios/reglas.py, REGLA_POR_ENTE): the lowest drift
among the rules that follow the honest rise; «tope 0» has none, and falls 20 % behind an
honest market. The same attacks replayed through the product's doors:
tests/dictamenes/precios/test_trinquete.py (make bench-trinquete runs both).

    python bench/trinquete.py [--semillas 30]
"""

import argparse
import random
import statistics as st

VENTANA = 24


def _cercas(valores):
    v = sorted(valores)
    if len(v) < 2:
        return v[0], v[0]
    q1, _m, q3 = st.quantiles(v, n=4, method="inclusive")
    return q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)


def referencia(compras, regla):
    """compras: (agency, price). The median after the fences; by agency, of their medians."""
    inferior, superior = _cercas([p for _e, p in compras])
    dentro = [(e, p) for e, p in compras if inferior <= p <= superior]
    if regla.startswith("por ente"):
        por_ente = {}
        for e, p in dentro:
            por_ente.setdefault(e, []).append(p)
        return st.median(st.median(v) for v in por_ente.values())
    return st.median(p for _e, p in dentro)


def entra(aprobado, pagado, referencia_al_decidir, regla, tolerancia=0.10):
    valor = min(pagado, aprobado * (1 + tolerancia))
    if regla in ("tope+10", "por ente+tope"):
        valor = min(valor, referencia_al_decidir * (1 + tolerancia))
    if regla == "tope 0":
        valor = min(valor, referencia_al_decidir)
    return valor


def ataque(regla, rng, *, sobre, contrato, atacantes, pasos=80):
    compras = [(f"e{rng.randrange(10)}", 40712 * rng.lognormvariate(0, 0.08)) for _ in range(40)]
    inicio, deriva = referencia(compras, regla), {}
    for n in range(1, pasos + 1):
        r = referencia(compras, regla)
        aprobado = r * (1 + sobre)
        compras.append((f"x{n % atacantes}", entra(aprobado, aprobado * (1 + contrato), r, regla)))
        if n in (10, 20, 80):
            deriva[n] = referencia(compras, regla) / inicio - 1
    return deriva


def honesto(regla, rng, *, anios=4, por_mes=3, crece=0.05):
    compras = []  # (month, agency, price)
    for mes in range(anios * 12):
        mercado = 40712 * (1 + crece) ** (mes / 12)
        for _ in range(por_mes):
            ventana = [(e, p) for m, e, p in compras if m > mes - VENTANA]
            precio = mercado * rng.lognormvariate(0, 0.08)
            r = referencia(ventana, regla) if len(ventana) >= 3 else None
            compras.append(
                (
                    mes,
                    f"e{rng.randrange(10)}",
                    precio if r is None else entra(precio, precio, r, regla),
                )
            )
    ultimo = anios * 12 - 1
    r = referencia([(e, p) for m, e, p in compras if m > ultimo - VENTANA], regla)
    hoy = 40712 * (1 + crece) ** (ultimo / 12)
    medio = 40712 * (1 + crece) ** ((ultimo - VENTANA / 2) / 12)
    return r / medio - 1, r / hoy - 1


def azar(semilla: int) -> random.Random:
    return random.Random(semilla)  # noqa: S311 (a world, not a secret)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--semillas", type=int, default=30)
    args = parser.parse_args()
    semillas = range(args.semillas)
    reglas = ("actual", "tope+10", "tope 0", "por ente", "por ente+tope")
    print(f"Deriva de la referencia (media de {args.semillas} semillas; peor entre paréntesis)")
    print("| regla | ataque | 10 pasos | 20 pasos | 80 pasos |")
    print("|---|---|---:|---:|---:|")
    for regla in reglas:
        for sobre, contrato, atacantes in ((0.10, 0.10, 1), (0.25, 0.10, 1), (0.10, 0.10, 3)):
            corridas = [
                ataque(regla, azar(s), sobre=sobre, contrato=contrato, atacantes=atacantes)
                for s in semillas
            ]
            celdas = [
                f"{st.mean(c[n] for c in corridas):+.1%} ({max(c[n] for c in corridas):+.1%})"
                for n in (10, 20, 80)
            ]
            quien = "1 ente" if atacantes == 1 else f"{atacantes} entes"
            print(
                f"| {regla} | +{sobre:.0%} y +{contrato:.0%}, {quien} | "
                + " | ".join(celdas)
                + " |"
            )
    print()
    print("Mercado honesto que sube 5 % al año (media de las semillas)")
    print("| regla | frente al mercado a la mitad de la ventana | frente al de hoy |")
    print("|---|---:|---:|")
    for regla in reglas:
        corridas = [honesto(regla, azar(s)) for s in semillas]
        medio = st.mean(c[0] for c in corridas)
        hoy = st.mean(c[1] for c in corridas)
        print(f"| {regla} | {medio:+.1%} | {hoy:+.1%} |")


if __name__ == "__main__":
    main()
