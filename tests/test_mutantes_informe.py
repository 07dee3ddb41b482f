"""What the mutation report counts as killed (mutantes/informe.py, issue 92, item 3)."""

from dictamenes.emision.documentos import efirma
from mutantes import informe


def _sesion(error: str) -> dict:
    return {
        "fallas": [{"prueba": "tests/x.py::test_firma", "fase": "setup", "error": error}],
        "errores_de_coleccion": [],
        "pasaron": 54,
        "salida": 1,
    }


def test_una_prueba_que_falla_porque_la_ac_de_prueba_no_respondio_no_mata_al_mutante():
    # The error as the child records it: the last line of a signing test's failure.
    error = f"django.core.exceptions.ValidationError: ['{efirma.ERROR_ESTADO_NO_DISPONIBLE}']"
    veredicto, prueba, motivo = informe.clasificar("killed", _sesion(error), 1)
    assert (veredicto, prueba) == ("aparte", "")
    assert "tests/x.py::test_firma" in motivo and "no respondió" in motivo


def test_cualquier_otra_falla_de_la_misma_prueba_lo_mata():
    error = "django.core.exceptions.ValidationError: ['El plazo venció el 2026-12-01.']"
    assert informe.clasificar("killed", _sesion(error), 1) == (
        "muerto",
        "tests/x.py::test_firma",
        "",
    )
