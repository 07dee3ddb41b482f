"""«Ahorro de la revisión de TIC» as open data (issue 36, and issue 62 for the reference):
per fiscal year, agency and category, what was requested, approved and contracted under the
dictámenes in force and the savings, and the savings against the state's own reference prices
(the ordinary purchases, and the consolidated ones apart; defined in issue 76 as what the
review cut above the reference, ahorros.DEFINICION_REFERENCIA), read from
dictamenes.cifras.selectors.ahorros. The columns of issue 62 come after the older ones, and
those of issue 76 after them, so a program that reads them by position keeps working."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dictamenes.cifras.selectors import ahorros
from publico.datos_personales import nombre_publicable
from publico.esquema import (
    CATEGORIA,
    CATEGORIA_CLAVE,
    CONTEO,
    EJERCICIO,
    ENTE,
    ENTE_SIGLAS,
    REQUERIDO,
    Campo,
    Conjunto,
)

# The counts of items keep their names; the amounts end in _mxn, as every amount of the
# open data does.
_CUENTAS = ("partidas_aprobadas", "partidas_con_referencia")


def columna(campo: str) -> str:
    """The column of a field of the selector (CAMPOS_MONTO, CAMPOS_PRECIO)."""
    sin_prefijo = campo.removeprefix(ahorros.CONSOLIDADA)
    return campo if sin_prefijo in _CUENTAS else f"{campo}_mxn"


def _monto(nombre: str, descripcion, restricciones=None) -> Campo:
    return Campo(nombre, "number", descripcion, restricciones or {"required": True, "minimum": 0})


def _ahorros() -> list[dict]:
    return [
        {
            "ejercicio": f["ejercicio"],
            "ente_siglas": nombre_publicable(f["ente_siglas"]),
            "categoria_clave": f["categoria_clave"],
            "ente": nombre_publicable(f["ente"]),
            "categoria": f["categoria"],
            **{columna(c): f[c] for c in ahorros.CAMPOS_MONTO + ahorros.CAMPOS_PRECIO},
        }
        for f in ahorros.por_ente_y_categoria()
    ]


def _frente_a_referencia(prefijo: str, compras) -> tuple[Campo, ...]:
    """The five columns of issue 62 of the savings against the reference of one kind of
    purchase (the sixth, of issue 76, goes after all of them: _sobre_referencia)."""

    def nombre(campo: str) -> str:
        return columna(prefijo + campo)

    return (
        Campo(
            nombre("partidas_aprobadas"),
            "integer",
            format_lazy(
                _(
                    "Partidas aprobadas (completas o por menos) {compras}: el total sobre el "
                    "que se lee cuántas tuvieron precio de referencia."
                ),
                compras=compras,
            ),
            CONTEO,
        ),
        Campo(
            nombre("partidas_con_referencia"),
            "integer",
            format_lazy(
                _(
                    "De las partidas aprobadas {compras}, las que se decidieron con un precio "
                    "de referencia (la decisión guardó el de su perfil)."
                ),
                compras=compras,
            ),
            CONTEO,
        ),
        _monto(
            nombre("a_referencia"),
            format_lazy(
                _(
                    "Lo que costaría lo aprobado de las partidas con referencia {compras} al "
                    "precio de referencia que guardó su decisión (referencia unitaria × "
                    "cantidad aprobada), en pesos. Informativo: el ahorro no es la resta de "
                    "esta columna y la siguiente."
                ),
                compras=compras,
            ),
        ),
        _monto(
            nombre("aprobado_con_referencia"),
            _("Lo que los dictámenes aprobaron de esas partidas con referencia, en pesos."),
        ),
        _monto(
            nombre("ahorro_referencia"),
            format_lazy(
                _("{definicion} De las partidas con referencia {compras}, en pesos."),
                definicion=ahorros.DEFINICION_REFERENCIA,
                compras=compras,
            ),
        ),
    )


def _sobre_referencia(prefijo: str, compras) -> Campo:
    return _monto(
        columna(prefijo + "sobre_referencia"),
        format_lazy(
            _(
                "Lo solicitado por encima de la referencia de las partidas con referencia "
                "{compras}: por cada una, lo que el precio unitario solicitado rebasaba la "
                "referencia (cero si no la rebasaba) por la cantidad aprobada, en pesos. El "
                "ahorro frente a la referencia es la parte de esto que la revisión recortó."
            ),
            compras=compras,
        ),
    )


_ORDINARIAS = _("de las compras de cada ente (no consolidadas)")
_CONSOLIDADAS = _("de las compras consolidadas")

AHORROS = Conjunto(
    nombre="ahorros",
    titulo=_("Ahorro de la revisión de TIC"),
    descripcion=format_lazy(
        _(
            "Por ejercicio fiscal, ente y categoría de los estándares, sobre las solicitudes con "
            "dictamen vigente (emitido y no cancelado): el monto solicitado en sus partidas, lo "
            "que el dictamen aprobó, lo contratado y el ahorro (solicitado menos aprobado). Los "
            "contratos se registran por dictamen: su monto se reparte entre las categorías del "
            "dictamen en proporción a lo aprobado de cada una. No cuenta las solicitudes cerradas "
            "sin dictamen, los dictámenes cancelados ni el histórico importado, que no tiene "
            "partidas; un precio menor al contratar se ve en lo contratado, no en el ahorro. "
            "Después, el ahorro frente a los precios de referencia del Estado, solo de las "
            "partidas aprobadas que se decidieron con referencia, con cuántas de las aprobadas "
            "lo cubren; las compras consolidadas, aparte, en las columnas que empiezan con "
            "consolidada_. Un dictamen no favorable no aprueba partidas. {definicion}"
        ),
        definicion=ahorros.DEFINICION_REFERENCIA,
    ),
    palabras=("indicadores", "ahorro", "compras públicas", "precios de referencia"),
    campos=(
        EJERCICIO,
        ENTE_SIGLAS,
        ENTE,
        CATEGORIA_CLAVE,
        CATEGORIA,
        _monto(
            "solicitado_mxn",
            _("Suma de las partidas solicitadas (cantidad × precio unitario), en pesos."),
        ),
        _monto("aprobado_mxn", _("Lo que los dictámenes aprobaron de esas partidas, en pesos.")),
        _monto(
            "contratado_mxn",
            _("Contratos registrados bajo esos dictámenes, la parte de la categoría, en pesos."),
        ),
        _monto("ahorro_mxn", _("Solicitado menos aprobado, en pesos."), REQUERIDO),
        *_frente_a_referencia("", _ORDINARIAS),
        *_frente_a_referencia(ahorros.CONSOLIDADA, _CONSOLIDADAS),
        # Issue 76, after the older columns: the whole the savings are a share of.
        _sobre_referencia("", _ORDINARIAS),
        _sobre_referencia(ahorros.CONSOLIDADA, _CONSOLIDADAS),
    ),
    clave=("ejercicio", "ente_siglas", "categoria_clave"),
    filas=_ahorros,
)
