"""«Precios de referencia TIC» as open data (issue 62, item 7): per standard profile, unit
and calendar quarter, how many purchases the state approved, from how many agencies, and
their median, quartiles and lowest unit price, only where the reference's minimum holds
(three purchases from two agencies, dictamenes.precios.reglas.suficiente), with the same
figures the references use (reglas.cifras). Read from the observed prices
(PrecioObservado: the items of dictámenes in force, at the price approved or paid) through a
server-side cursor, one quarter of one profile in memory at a time; the rows are few (one a
profile, unit and quarter) and are cached like the other aggregated datasets. No agency is
named and nothing people typed is published: keys and names of the standards, and figures."""

import datetime
import itertools
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from dictamenes.models import PrecioObservado, UnidadPrecio
from dictamenes.precios import reglas
from estandares.models import Perfil, Publicacion
from publico.esquema import CATEGORIA, CATEGORIA_CLAVE, REQUERIDO, Campo, Conjunto

CENTAVO = Decimal("0.01")
PERIODO = r"[0-9]{4}-T[1-4]"


def periodo(fecha: datetime.date) -> str:
    """The calendar quarter of a day: 2025-07-15 → «2025-T3»."""
    return f"{fecha.year}-T{(fecha.month - 1) // 3 + 1}"


def _pesos(valor: Decimal) -> str:
    return str(Decimal(valor).quantize(CENTAVO, ROUND_HALF_UP))


def _nombres() -> dict[tuple[str, str], tuple[str, str]]:
    """(category clave, profile clave) → (category name, profile name), as the newest
    published edition that has the profile names them: one query over the catalogue."""
    nombres = {}
    filas = (
        Perfil.objects.exclude(categoria__publicacion__estado=Publicacion.Estado.BORRADOR)
        .order_by(
            F("categoria__publicacion__vigente_desde").asc(nulls_first=True),
            "categoria__publicacion__publicada_en",
            "pk",
        )
        .values_list("categoria__clave", "clave", "categoria__nombre", "nombre")
    )
    for categoria_clave, perfil_clave, categoria, perfil in filas:
        nombres[categoria_clave, perfil_clave] = (categoria, perfil)  # the newest wins
    return nombres


def _observaciones():
    """Every observed price, profile by profile and newest first (the order of the index
    precio_perfil_fecha_idx), through a server-side cursor."""
    return (
        PrecioObservado.objects.order_by("categoria_clave", "perfil_clave", "unidad", "-fecha")
        .values_list("categoria_clave", "perfil_clave", "unidad", "fecha", "precio", "ente_id")
        .iterator(chunk_size=2000)
    )


def _filas() -> list[dict]:
    nombres = _nombres()
    unidades = {clave: str(etiqueta) for clave, etiqueta in reglas.UNIDAD_NORMAL.items()}
    filas = []
    grupos = itertools.groupby(_observaciones(), key=lambda o: (*o[:3], periodo(o[3])))
    for (categoria_clave, perfil_clave, unidad, trimestre), observadas in grupos:
        precios, entes = [], set()
        for *_clave, _fecha, precio, ente_id in observadas:
            precios.append(precio)
            entes.add(ente_id)
        if not reglas.suficiente(compras=len(precios), entes=len(entes)):
            continue
        cifras = reglas.cifras(precios)
        categoria, perfil = nombres.get(
            (categoria_clave, perfil_clave), (categoria_clave, perfil_clave)
        )
        filas.append(
            {
                "categoria_clave": categoria_clave,
                "categoria": categoria,
                "perfil_clave": perfil_clave,
                "perfil": perfil,
                "unidad": unidad,
                "unidad_etiqueta": unidades[unidad],
                "periodo": trimestre,
                "compras": cifras.compras,
                "entes": len(entes),
                "mediana_mxn": _pesos(cifras.mediana),
                "cuartil_1_mxn": _pesos(cifras.cuartil_1),
                "cuartil_3_mxn": _pesos(cifras.cuartil_3),
                "minimo_mxn": _pesos(cifras.minimo),
            }
        )
    return sorted(
        filas, key=lambda f: (f["categoria_clave"], f["perfil_clave"], f["unidad"], f["periodo"])
    )


def _precio(nombre: str, descripcion) -> Campo:
    return Campo(nombre, "number", descripcion, {"required": True, "minimum": 0})


PRECIOS = Conjunto(
    nombre="precios-referencia",
    titulo=_("Precios de referencia TIC"),
    descripcion=_(
        "Lo que el Estado pagó por cada perfil técnico de los estándares: por perfil, unidad "
        "y trimestre natural, cuántas compras (partidas aprobadas por un dictamen vigente, al "
        "precio aprobado o, si se registraron contratos, al pagado) y de cuántos entes, y la "
        "mediana, los cuartiles y el menor precio unitario, en la unidad de cada tipo: por "
        "pieza, por mes de servicio o por licencia al año. Solo los trimestres con al menos "
        "tres compras de dos entes distintos; el trimestre en curso, con lo que va de él. "
        "Cuartiles por el método inclusivo (CUARTIL.INC de una hoja de cálculo). No nombra "
        "entes ni contiene datos personales."
    ),
    palabras=("precios de referencia", "compras públicas", "estándares"),
    campos=(
        CATEGORIA_CLAVE,
        CATEGORIA,
        Campo(
            "perfil_clave",
            "string",
            _("Clave del perfil técnico en su categoría (la misma en cada edición)."),
            REQUERIDO,
        ),
        Campo(
            "perfil",
            "string",
            _("Nombre del perfil técnico, como lo nombra la edición más reciente que lo tiene."),
            REQUERIDO,
        ),
        Campo(
            "unidad",
            "string",
            _(
                "Clave del tipo de precio: pieza (por pieza), servicio (por mes de servicio) o "
                "licencia (por licencia al año)."
            ),
            REQUERIDO,
            valores=lambda: list(UnidadPrecio.values),
        ),
        Campo(
            "unidad_etiqueta",
            "string",
            _("La unidad de los precios de la fila, en palabras."),
            REQUERIDO,
            valores=lambda: [str(e) for e in reglas.UNIDAD_NORMAL.values()],
        ),
        Campo(
            "periodo",
            "string",
            _(
                "Trimestre natural de la fecha de los dictámenes, AAAA-TN: T1 de enero a marzo, "
                "T2 de abril a junio, T3 de julio a septiembre, T4 de octubre a diciembre."
            ),
            {"required": True, "pattern": PERIODO},
        ),
        Campo(
            "compras",
            "integer",
            _("Partidas aprobadas del perfil en el trimestre, cada una con su precio unitario."),
            {"required": True, "minimum": reglas.COMPRAS_MINIMAS},
        ),
        Campo(
            "entes",
            "integer",
            _("Entes distintos que hicieron esas compras."),
            {"required": True, "minimum": reglas.ENTES_MINIMOS},
        ),
        _precio("mediana_mxn", _("Mediana de los precios unitarios, en pesos.")),
        _precio("cuartil_1_mxn", _("Primer cuartil de los precios unitarios, en pesos.")),
        _precio("cuartil_3_mxn", _("Tercer cuartil de los precios unitarios, en pesos.")),
        _precio("minimo_mxn", _("Menor precio unitario, en pesos.")),
    ),
    clave=("categoria_clave", "perfil_clave", "unidad", "periodo"),
    filas=_filas,
    json=True,
)
