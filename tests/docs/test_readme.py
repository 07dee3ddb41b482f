"""The README keeps what a newcomer needs first, in at most 200 lines, and nothing it said before
the documentation site was lost (issue 63, item 1): each heading and each line of README.md at
commit 01fc921 is still in README.md or in a page of docs/ (tests/docs/readme_anterior.py)."""

from pathlib import Path

from tests.docs.readme_anterior import COMMIT, ENCABEZADO, huella, leer_fixture, normalizar

RAIZ = Path(__file__).resolve().parents[2]
README = RAIZ / "README.md"
MAXIMO_DE_LINEAS = 200
# The one part left behind on purpose: the hand-written tree of «Mapa del código» (it left out
# capacidad/ and listed operacion/ twice). The site generates it from the packages' docstrings
# instead (docs/hooks/generados.py), and tests/docs/test_generados.py checks that it lists every
# package.
EXENTAS = range(2068, 2126)
# Lines rewritten on purpose after the move, each with why (a docs edit that changes an old line
# names it here, so that nothing leaves without a reason).
REESCRITAS = {
    **dict.fromkeys(
        (520, 521),
        "en la referencia de precio cada ente cuenta una vez: la mediana de las medianas de lo "
        "que pagó cada ente (issue 93, punto 5)",
    ),
    1523: "cambiar DJANGO_SECRET_KEY cierra todas las sesiones: la base guarda solo una huella "
    "de cada llave (issue 93, punto 1)",
    948: "con el contrato, OCDS publica también su fecha de término (issue 80, punto 5)",
    961: "el RFC de una empresa es el identificador del proveedor en OCDS (MX-RFC); el de una "
    "persona sigue sin publicarse (issue 88, punto 3)",
    1001: "el contrato lleva su fecha de término y le sigue la entrega (issue 80, punto 5)",
    548: "la base del precio en palabras pasó con el precio a su cuarto, "
    "precios/selectors/base.py (issue 92, punto 5)",
    **dict.fromkeys(
        range(56, 60),
        "tras una prueba que confirma, la copia de la demostración reemplaza el flush de Django "
        "(issue 64, punto 6)",
    ),
    **dict.fromkeys(
        (1462, 1463, 1464, 1491),
        "make bench-escala y make bench juzgan también el múltiplo del techo y lo que cuesta el "
        "middleware (issue 64, punto 7)",
    ),
    35: "las pruebas de navegador usan chromium-headless-shell cuando está (issue 64, punto 6)",
    46: "las pruebas de navegador usan chromium-headless-shell cuando está (issue 64, punto 6)",
    65: "la segunda fase corre en tres procesos (issue 64, punto 6)",
    67: "la segunda fase recolecta solo los archivos de tests/fases.py (issue 64, punto 6)",
    1102: "capacidad_calcular deja el plan de la hora (issue 64, punto 5)",
    432: "la regla de la vía rápida está en tramite/reglas/vias.py (issue 63, punto 7)",
    2046: "la regla de la vía rápida está en tramite/reglas/vias.py (issue 63, punto 7)",
    2059: "las páginas de la consola dejaron cuentas/ por dictamenes/consola/ (issue 63, punto 5)",
    2063: "la página del estado del sistema está en consola/views/sistema.py (issue 63, punto 5)",
    2047: "los plazos se leen de tramite/selectors/plazos.py: tramite.py se partió por tema "
    "(issue 79, punto 2)",
    2048: "quién puede actuar: la separación de funciones tiene su página (issue 79, punto 3)",
    208: "el contrato sobre la tolerancia espera a la revisión estratégica (issue 76, punto 2)",
    **dict.fromkeys(
        (1540, 1718, 1719),
        "la instalación y cada actualización construyen el manual donde el servidor lo lee "
        "(issue 78, punto 1)",
    ),
    **dict.fromkeys(
        (117, 1097, 1731),
        "la contraseña de la cuenta de emergencia la genera changepassword y la recibe solo una "
        "custodia; createsuperuser la crea sin contraseña (issue 77, punto 3)",
    ),
    **dict.fromkeys(
        (1098, 1413),
        "el token de la API de otra persona llega solo a su correo y el admin no muestra claves "
        "(issue 77, punto 1)",
    ),
    **dict.fromkeys(
        (1096, 1101, 1126, 1726, 1901),
        "createsuperuser, restaurar --forzar y los desbloqueos de axes piden --usuario "
        "(issue 77, punto 2)",
    ),
    518: "solo los contratos verificados entran a la referencia (issue 76, punto 1)",
    944: "el contrato que espera se publica como pending (issue 76, punto 2)",
    544: "reducir a la referencia cita «Precio por encima de la referencia» (issue 76, punto 7)",
    545: "reducir a la referencia cita «Precio por encima de la referencia» (issue 76, punto 7)",
    **dict.fromkeys(
        (161, 162, 167, *range(178, 191), 192, 195, 200, 201, 205, 210, 213, 214, 224, 225),
        "el mapa de escritores declara lo que cada camino escribe de verdad, revisado en vivo "
        "(issue 77, punto 5)",
    ),
    **dict.fromkeys(
        (229, 230, 231, 316, 317, 319, 320, 323, 328, 330, 333, 335, 337, 338),
        "el mapa de escritores declara lo que cada camino escribe de verdad, revisado en vivo, "
        "y los comandos de Django dejan un nombre en producción (issue 77, puntos 4 y 5)",
    ),
    422: "la condición de monto de la vía rápida se nombra como la pantalla: «la suma de sus "
    "partidas», no «su monto estimado» (issue 78, punto 5)",
    **dict.fromkeys(
        range(2129, 2165),
        "la escalera de capas se dibuja de los contratos de pyproject.toml al construir el sitio; "
        "la dibujada a mano dejaba fuera capacidad y contexto (issue 79, punto 4)",
    ),
    1597: "el candado de los comandos periódicos pasó a operacion/exclusion.py (issue 79, punto 4)",
    2061: "comun/ guarda solo lo que usan todas las capacidades (issue 79, punto 4)",
    **dict.fromkeys(
        (216, 219, 220, 221),
        "las páginas de partidas también escriben la solicitud: su búsqueda guardada (perfiles "
        "de sus partidas) la mantiene tramite.services.busqueda (issue 79, punto 6)",
    ),
    **dict.fromkeys(
        (217, 218),
        "las páginas de las cotizaciones también escriben las señales de una solicitud en "
        "prevención: las recalcula senales.services (issue 80, punto 2)",
    ),
    **dict.fromkeys(
        (880, 887, 888),
        "los datos abiertos suman las señales y su catálogo: nueve conjuntos agregados "
        "(issue 80, punto 4)",
    ),
    **dict.fromkeys(
        (1385, 1386, 1387, 1388, 1389),
        "el plan de capacidad planea con veinte escenarios y recomienda lo que cumple en 8 de "
        "cada 10, con su intervalo, su margen y la regla de costumbre (issue 81, punto 6)",
    ),
    314: "capacidad_validar ya no escribe: juzga el plan en mundos en memoria (issue 81)",
    **dict.fromkeys(
        range(1395, 1406),
        "capacidad_validar juzga el plan en el panel de treinta mundos de demo.mundos, no en "
        "el generador del histórico (issue 81, puntos 1 a 3)",
    ),
}


def _textos() -> list[str]:
    return [README.read_text(encoding="utf-8")] + [
        pagina.read_text(encoding="utf-8") for pagina in sorted((RAIZ / "docs").rglob("*.md"))
    ]


def test_el_readme_cabe_en_200_lineas():
    lineas = README.read_text(encoding="utf-8").count("\n")
    assert lineas <= MAXIMO_DE_LINEAS, f"README.md tiene {lineas} líneas"


def test_cada_encabezado_de_antes_sigue_como_encabezado():
    encabezados = {
        normalizar(linea)
        for texto in _textos()
        for linea in texto.splitlines()
        if ENCABEZADO.match(linea)
    }
    perdidos = [f"línea {n}: {e}" for n, e, _ in leer_fixture() if normalizar(e) not in encabezados]
    assert not perdidos, perdidos


def test_ninguna_linea_de_antes_se_perdio():
    presentes = {huella(linea) for texto in _textos() for linea in texto.splitlines()}
    perdidas = [
        f"README {COMMIT}, línea {n} («{normalizar(encabezado)}»)"
        for _, encabezado, cuerpo in leer_fixture()
        for n, valor in cuerpo
        if valor not in presentes and n not in EXENTAS and n not in REESCRITAS
    ]
    assert not perdidas, (
        f"{len(perdidas)} líneas del README anterior no están en README.md ni en docs/ "
        f"(vea `git show {COMMIT}:README.md | sed -n <línea>p`): {perdidas[:20]}"
    )
