"""The signs as open data (issue 80, item 4): how many requests carry each sign, per fiscal
year, agency and standards category, and the catalogue of signs with each one's rule and the
thresholds in force. Counts only: nothing that names a person or a supplier (a supplier may be
a person), no request, no text of a sign and nothing of what whoever decided did about it.

The counts are one GROUP BY over the signs that still hold (Senal.vigente) of presented
requests, joined to their items' categories; the agencies' and categories' names come from
their two small tables. A request whose items are of two categories counts in each."""

import json
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Ente, Solicitud
from dictamenes.models.senales import CodigoSenal, Senal
from dictamenes.organizacion.selectors.entes import fin_de_ejercicio, nombre_en, nombres_anteriores
from dictamenes.senales.catalogo import CATALOGO, regla, umbrales_de
from dictamenes.tramite.selectors.vias import vias_vigentes
from estandares.models import Categoria
from publico.datos_personales import nombre_publicable
from publico.esquema import (
    CATEGORIA,
    CATEGORIA_CLAVE,
    EJERCICIO,
    ENTE,
    ENTE_SIGLAS,
    REQUERIDO,
    Campo,
    Conjunto,
    etiquetas,
)

# A request without items (none is presented so; the imported history has no signs) would
# still be counted, under this category, as the savings' dataset names it.
SIN_CATEGORIA = "sin-categoria"
SIN_CATEGORIA_NOMBRE = _("Sin categoría")

_CATEGORIA = "solicitud__partidas__perfil__categoria__clave"


def conteo() -> list[dict]:
    """Rows {ejercicio, ente_id, categoria_clave, codigo, solicitudes}: per year, agency,
    category clave and sign, the presented requests with that sign in force. One query; a sign
    is one per request and code, so counting distinct signs counts requests."""
    filas = (
        Senal.objects.filter(vigente=True)
        .exclude(solicitud__estado=Solicitud.Estado.BORRADOR)
        .values("ejercicio", "ente_id", _CATEGORIA, "codigo")
        .annotate(solicitudes=Count("pk", distinct=True))
        .order_by()
    )
    return [
        {
            "ejercicio": f["ejercicio"],
            "ente_id": f["ente_id"],
            "categoria_clave": f[_CATEGORIA] or SIN_CATEGORIA,
            "codigo": f["codigo"],
            "solicitudes": f["solicitudes"],
        }
        for f in filas
    ]


def _nombres_de_categorias() -> dict[str, str]:
    """Each category clave by the name of its newest edition (a clave survives editions)."""
    nombres: dict[str, tuple[int, str]] = {}
    for clave, nombre, edicion in Categoria.objects.values_list(
        "clave", "nombre", "publicacion__version"
    ):
        if clave not in nombres or nombres[clave][0] < (edicion or 0):
            nombres[clave] = (edicion or 0, nombre)
    return {clave: nombre for clave, (_, nombre) in nombres.items()}


def _senales() -> list[dict]:
    nombres = dict(CodigoSenal.choices)
    entes = {
        pk: (siglas, nombre)
        for pk, siglas, nombre in Ente.objects.values_list("pk", "siglas", "nombre")
    }
    categorias = _nombres_de_categorias()
    # Each year names the agency as it was called on its last day (issue 59).
    anteriores = nombres_anteriores()
    filas = []
    for f in conteo():
        siglas, actual = entes[f["ente_id"]]
        clave = f["categoria_clave"]
        filas.append(
            {
                "ejercicio": f["ejercicio"],
                "ente_siglas": nombre_publicable(siglas),
                "ente": nombre_publicable(
                    nombre_en(
                        ente_id=f["ente_id"],
                        actual=actual,
                        fecha=fin_de_ejercicio(f["ejercicio"]),
                        anteriores=anteriores,
                    )
                ),
                "categoria_clave": clave,
                "categoria": categorias.get(clave) or str(SIN_CATEGORIA_NOMBRE),
                "senal_codigo": f["codigo"],
                "senal": str(nombres[f["codigo"]]),
                "solicitudes": f["solicitudes"],
            }
        )
    filas.sort(
        key=lambda f: (f["ejercicio"], f["ente_siglas"], f["categoria_clave"], f["senal_codigo"])
    )
    return filas


_CODIGO = Campo(
    "senal_codigo",
    "string",
    _("Código de la señal; su regla y sus umbrales están en el catálogo de señales."),
    REQUERIDO,
    valores=lambda: list(CodigoSenal.values),
)
_NOMBRE = Campo(
    "senal",
    "string",
    _("Nombre de la señal."),
    REQUERIDO,
    valores=etiquetas(CodigoSenal.labels),
)

SENALES = Conjunto(
    nombre="senales",
    titulo=_("Señales de las solicitudes por ente, categoría y año"),
    descripcion=_(
        "Por ejercicio fiscal, ente solicitante, categoría de los estándares y señal, cuántas "
        "solicitudes presentadas tienen esa señal y sigue vigente (una que dejó de cumplirse "
        "no cuenta). Una señal indica que la solicitud merece una segunda mirada; no es una "
        "irregularidad ni una acusación. La categoría es la de las partidas de la solicitud: una "
        "solicitud con partidas de dos categorías cuenta en cada una, así que la suma de las "
        "categorías puede pasar el número de solicitudes. Solo conteos: no nombra personas ni "
        "proveedores. La regla de cada señal y sus umbrales vigentes están en el catálogo de "
        "señales (senales-catalogo.csv)."
    ),
    palabras=("señales", "indicadores", "compras públicas"),
    campos=(
        EJERCICIO,
        ENTE_SIGLAS,
        ENTE,
        CATEGORIA_CLAVE,
        CATEGORIA,
        _CODIGO,
        _NOMBRE,
        Campo(
            "solicitudes",
            "integer",
            _("Solicitudes presentadas de ese ente, ejercicio y categoría con la señal vigente."),
            {"required": True, "minimum": 1},
        ),
    ),
    clave=("ejercicio", "ente_siglas", "categoria_clave", "senal_codigo"),
    filas=_senales,
    claves_foraneas=(
        {
            "fields": ["senal_codigo"],
            "reference": {"resource": "senales-catalogo", "fields": ["codigo"]},
        },
    ),
)


def _numero(valor):
    """A threshold as JSON writes it: 500000.00 → 500000, 0.50 → 0.5."""
    if isinstance(valor, Decimal):
        return int(valor) if valor == valor.to_integral_value() else float(valor)
    return valor


def _catalogo() -> list[dict]:
    config = vias_vigentes()
    return [
        {
            "codigo": d.codigo,
            "nombre": d.nombre,
            "regla": regla(d.codigo, config),
            "umbrales": json.dumps(
                {k: _numero(v) for k, v in umbrales_de(d.codigo, config).items()},
                ensure_ascii=False,
            ),
            "evidencia": str(d.evidencia),
            "cuando": str(d.cuando),
            "fuente": d.fuente,
        }
        for d in CATALOGO.values()
    ]


SENALES_CATALOGO = Conjunto(
    nombre="senales-catalogo",
    titulo=_("Catálogo de señales"),
    descripcion=_(
        "Cada señal que el sistema calcula sobre las solicitudes: su código, su nombre, su "
        "regla en una oración con los umbrales vigentes hoy, esos umbrales (los campos de la "
        "configuración de las vías de revisión, que se cambian con control dual), la evidencia "
        "que enlaza, cuándo se calcula y su fuente, si la tiene. Cada señal se calculó con los "
        "umbrales vigentes al calcularla."
    ),
    palabras=("señales", "reglas", "compras públicas"),
    campos=(
        Campo(
            "codigo",
            "string",
            _("Código de la señal, el de senal_codigo en el conjunto de señales."),
            {"required": True, "unique": True},
            valores=lambda: list(CodigoSenal.values),
        ),
        Campo("nombre", "string", _("Nombre de la señal."), REQUERIDO),
        Campo(
            "regla",
            "string",
            _("La regla en una oración, con los umbrales vigentes."),
            REQUERIDO,
        ),
        Campo(
            "umbrales",
            "object",
            _(
                "Los umbrales vigentes que lee la regla, como objeto JSON: nombre del campo de "
                "la configuración y su valor (porcentajes, días hábiles, pesos o número de "
                "contratos); {} si la regla no tiene umbral."
            ),
            REQUERIDO,
        ),
        Campo("evidencia", "string", _("Lo que la señal enlaza como evidencia."), REQUERIDO),
        Campo("cuando", "string", _("Cuándo se calcula."), REQUERIDO),
        Campo(
            "fuente",
            "string",
            _("De dónde viene la regla (Cardinal, ChileCompra, la ley); vacío si es propia."),
        ),
    ),
    clave=("codigo",),
    filas=_catalogo,
)
