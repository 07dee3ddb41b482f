"""Where bench/perfilar.py charges each sample (make bench's «Dónde se va el tiempo» table), over
call trees written by hand: the queries a view runs are the view's SQL, even though the request
middleware's query counter (config.observacion) wraps each of them; a method a middleware
inherits from its library (django-csp) is still that middleware's."""

import sys
from collections import Counter
from dataclasses import dataclass, field

from bench import perfilar

OBSERVACION = sys.modules["config.observacion"].__file__
SEGURIDAD = sys.modules["config.seguridad"].__file__
DJANGO = "/venv/site-packages/django"


@dataclass
class Marco:
    """What perfilar reads of a pyinstrument frame: where, what, and the time under it."""

    file_path: str
    function: str
    propio: float = 0.0
    children: list = field(default_factory=list)

    @property
    def time(self) -> float:
        return self.propio + sum(hijo.time for hijo in self.children)


def _peticion(*dentro_de_la_vista) -> Marco:
    """Django's handler → ObservacionMiddleware (0.1 s of its own) → the view (1 s of its own)
    → whatever is given."""
    return Marco(
        f"{DJANGO}/core/handlers/base.py",
        "get_response",
        children=[
            Marco(
                OBSERVACION,
                "__call__",
                0.1,
                [
                    Marco(
                        f"{DJANGO}/core/handlers/base.py",
                        "_get_response",
                        children=[Marco("/app/dictamenes/vistas.py", "lista", 1.0, [
                            *dentro_de_la_vista
                        ])],
                    )
                ],
            )
        ],
    )  # fmt: skip


def _consulta(segundos: float) -> Marco:
    """One query run through Django's cursor, ObservacionMiddleware's counter wrapping it."""
    return Marco(
        f"{DJANGO}/db/backends/utils.py",
        "execute",
        children=[
            Marco(
                f"{DJANGO}/db/backends/utils.py",
                "_execute_with_wrappers",
                children=[
                    Marco(OBSERVACION, "contar", 0.01, [
                        Marco(f"{DJANGO}/db/backends/utils.py", "_execute", children=[
                            Marco("/venv/site-packages/psycopg/cursor.py", "execute", segundos)
                        ])
                    ])
                ],
            )
        ],
    )  # fmt: skip


def _reparto(raiz: Marco) -> dict[str, float]:
    cuenta = Counter()
    perfilar._repartir(raiz, perfilar.DJANGO, cuenta)
    return {parte: round(s, 6) for parte, s in cuenta.items() if s}


def test_las_consultas_de_la_vista_son_su_sql_aunque_el_contador_las_envuelva():
    reparto = _reparto(_peticion(_consulta(5.0), _consulta(2.0)))
    assert reparto == {
        # Its own code: the request's line and metrics, and counting each of the two queries.
        "Middleware: ObservacionMiddleware": 0.12,
        "Vista: su Python": 1.0,
        "Vista: SQL (ORM y controlador)": 7.0,
    }


def test_lo_que_un_middleware_hereda_de_su_biblioteca_es_suyo():
    csp = sys.modules["csp.middleware"].__file__
    raiz = _peticion()
    raiz.children[0].children.append(
        Marco(csp, "process_response", 0.3, [Marco("/venv/site-packages/csp/utils.py", "x", 0.2)])
    )
    reparto = _reparto(raiz)
    etiqueta = perfilar.MIDDLEWARE[SEGURIDAD]
    assert "PoliticaDeContenidoMiddleware" in etiqueta
    assert reparto[etiqueta] == 0.5
    assert reparto["Middleware: ObservacionMiddleware"] == 0.1
