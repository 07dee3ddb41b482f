"""What the administrator reads while a long command works (estandares.progreso): in a log,
a line every twentieth of the work or every half minute, with the rate and the time left, and
a summary at the end; on a terminal, rich's bar; with --verbosity 0, nothing."""

import io

import pytest
from django.core.management.base import OutputWrapper

from estandares.progreso import FALLIDO, HECHO, OMITIDO, Progreso


class Reloj:
    def __init__(self):
        self.ahora = 1000.0

    def __call__(self) -> float:
        return self.ahora


def _progreso(salida, reloj, **kwargs):
    return Progreso(
        salida=OutputWrapper(salida),
        titulo="Sellos de archivo",
        etiquetas={HECHO: "renovados", OMITIDO: "al día", FALLIDO: "sin renovar"},
        reloj=reloj,
        **kwargs,
    )


def test_en_un_registro_una_linea_cada_veinteavo_con_ritmo_y_tiempo_restante_y_el_resumen():
    salida, reloj = io.StringIO(), Reloj()
    with _progreso(salida, reloj, terminal=False) as progreso:
        progreso.fase("dictámenes", total=40)
        for i in range(40):
            reloj.ahora += 0.5
            progreso.avanzar(FALLIDO if i == 7 else OMITIDO if i % 10 == 0 else HECHO)
    lineas = salida.getvalue().splitlines()
    assert len(lineas) == 21  # one each 2 of 40, and the summary
    assert lineas[0] == (
        "Sellos de archivo · dictámenes: 2 de 40 (5.0 %), 2.0 por s, faltan 19.0 s; "
        "renovados 1, al día 1, sin renovar 0"
    )
    assert lineas[3] == (
        "Sellos de archivo · dictámenes: 8 de 40 (20.0 %), 2.0 por s, faltan 16.0 s; "
        "renovados 6, al día 1, sin renovar 1"
    )
    assert lineas[19] == (
        "Sellos de archivo · dictámenes: 40 de 40 (100.0 %), 2.0 por s; "
        "renovados 35, al día 4, sin renovar 1"
    )
    assert lineas[20] == (
        "Sellos de archivo: renovados 35, al día 4, sin renovar 1 en 20.0 s (2.0 por s)."
    )


def test_un_trabajo_lento_escribe_cada_medio_minuto_con_el_tiempo_en_horas():
    """72,000 dictámenes at a quarter second each: a line every 30 s, not every 3,600."""
    salida, reloj = io.StringIO(), Reloj()
    with _progreso(salida, reloj, terminal=False) as progreso:
        progreso.fase("dictámenes", total=72_000)
        for _ in range(250):
            reloj.ahora += 0.25
            progreso.avanzar(HECHO)
        reloj.ahora += 1.0
    lineas = salida.getvalue().splitlines()
    assert lineas == [
        "Sellos de archivo · dictámenes: 120 de 72,000 (0.2 %), 4.0 por s, faltan 4 h 59 min; "
        "renovados 120, al día 0, sin renovar 0",
        "Sellos de archivo · dictámenes: 240 de 72,000 (0.3 %), 4.0 por s, faltan 4 h 59 min; "
        "renovados 240, al día 0, sin renovar 0",
        "Sellos de archivo: renovados 250, al día 0, sin renovar 0 en 1 min 04 s (3.9 por s).",
    ]


def test_una_interrupcion_dice_hasta_donde_llego_y_como_seguir():
    salida, reloj = io.StringIO(), Reloj()
    with (
        pytest.raises(KeyboardInterrupt),
        _progreso(salida, reloj, terminal=False, reanudar="Corra de nuevo el comando.") as progreso,
    ):
        progreso.fase("dictámenes", total=10)
        for _ in range(3):
            reloj.ahora += 2
            progreso.avanzar(HECHO)
        raise KeyboardInterrupt
    assert salida.getvalue().splitlines()[-1] == (
        "Sellos de archivo: renovados 3, al día 0, sin renovar 0 en 6.0 s (2.0 s c/u). "
        "INTERRUMPIDO. Corra de nuevo el comando."
    )


def test_con_verbosity_0_no_escribe_nada():
    salida, reloj = io.StringIO(), Reloj()
    with _progreso(salida, reloj, verbosidad=0, terminal=True) as progreso:
        progreso.fase("dictámenes", total=3)
        progreso.avanzar(HECHO, 3)
        progreso.avisar("Base de datos: 10 objetos.")
    assert salida.getvalue() == ""


def test_en_una_terminal_dibuja_la_barra_de_rich_y_termina_con_el_resumen():
    salida, reloj = io.StringIO(), Reloj()
    with _progreso(salida, reloj, terminal=True) as progreso:
        progreso.fase("dictámenes", total=3)
        progreso.avisar("Un aviso sobre la barra.")
        for _ in range(3):
            reloj.ahora += 1
            progreso.avanzar(HECHO)
    texto = salida.getvalue()
    assert "\x1b[" in texto  # the terminal's control codes: a bar, not log lines
    assert texto.startswith("Sellos de archivo\n")
    assert "dictámenes" in texto and "3/3" in texto and "renovados 3, al día 0" in texto
    assert "Un aviso sobre la barra." in texto
    assert "3 de 3" not in texto
    assert texto.endswith(
        "Sellos de archivo: renovados 3, al día 0, sin renovar 0 en 3.0 s (1.0 por s).\n"
    )
