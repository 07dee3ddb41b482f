"""The signs bench's judge (bench/senales.py, run by make bench-senales): recall per sign over
the truth's cases, planted or made by the world; a sign on a request the truth does not give
it counts against it, and against the clean requests when the truth gives that request none;
the goals fail by name."""

from bench.senales import fallas, juzgar

VERDAD = {
    "solicitudes": [1, 2, 3, 4, 5],
    "plantadas": {"1": ["cobertura"], "2": ["cobertura", "contrato_excede"]},
    "del_mundo": {"3": ["cierre_de_ejercicio"]},
}


def test_el_recall_cuenta_los_casos_de_la_verdad_y_lo_de_mas_se_cuenta_aparte():
    juicio = juzgar(
        VERDAD,
        [
            (1, "cobertura", 2024),
            (2, "contrato_excede", 2024),  # its cover quotes, missed
            (2, "precio_alto", 2024),  # more than the truth, on a request that has some
            (3, "cierre_de_ejercicio", 2025),
            (4, "precio_alto", 2017),  # on a clean request
            (99, "cobertura", 2026),  # the demo's own request: not in the truth
        ],
    )
    cobertura = juicio["senales"]["cobertura"]
    assert (cobertura["casos"], cobertura["hallados"], cobertura["recall_pct"]) == (2, 1, 50.0)
    assert cobertura["ejemplos_no_hallados"] == [2]
    cierre = juicio["senales"]["cierre_de_ejercicio"]
    assert (cierre["plantados"], cierre["del_mundo"], cierre["recall_pct"]) == (0, 1, 100.0)
    precio = juicio["senales"]["precio_alto"]
    assert (precio["casos"], precio["de_mas"], precio["de_mas_en_limpias"]) == (0, 2, 1)
    assert precio["de_mas_por_ejercicio"] == {"2017": 1, "2024": 1}
    assert (juicio["limpias"], juicio["limpias_marcadas"], juicio["limpias_marcadas_pct"]) == (
        2,
        1,
        50.0,
    )
    assert "cobertura: recall 50.0 % < 90 %" in fallas(juicio)
    assert "50.0 % de las solicitudes limpias con alguna señal (máximo 10 %)" in fallas(juicio)
    assert "pago_excede: ningún caso en la historia" in fallas(juicio)


def test_todo_hallado_y_nada_de_mas_no_falla_por_esas_senales():
    juicio = juzgar(
        VERDAD,
        [(1, "cobertura", 2024), (2, "cobertura", 2024), (2, "contrato_excede", 2024)]
        + [(3, "cierre_de_ejercicio", 2025)],
    )
    assert juicio["limpias_marcadas"] == 0
    assert not [f for f in fallas(juicio) if "recall" in f or "limpias" in f]
