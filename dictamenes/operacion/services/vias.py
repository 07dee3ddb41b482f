"""The one door that changes the tracks' rules and service standard (issue 36), the office's
configuration the console edits (consola.views.vias) under dual control
(operacion.services.cambios.tipos): each saving is a new ConfiguracionVias version, checked
whole before anything is written, and audited in the same transaction with the values before
and after. A request keeps pointing to the version its track was given under
(Solicitud.via_config); moving a request onto its track is tramite.services.vias."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import CentroLey, ConfiguracionVias, MetodoPrecio
from dictamenes.models.vias import VENTANA_MAXIMA
from dictamenes.operacion.services.vias_umbrales import (
    CAMPOS_SENALES,
    errores_senales,
    rango,
    valores_senales,
)
from dictamenes.organizacion.selectors.usuarios import administra_roles
from dictamenes.tramite.selectors.vias import categorias_vigentes
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import solo_en_blanco

ERROR_NO_ADMINISTRADOR = _("Solo una persona administradora cambia las vías de revisión.")
ERROR_SIN_CAMBIOS = _("No cambió nada: las vías son iguales a la versión vigente.")
ERROR_UMBRAL_NEGATIVO = _("El umbral no puede ser negativo: escriba 0 o más pesos.")
ERROR_DIAS = _("Escriba un número entero de días hábiles, de %(minimo)s a %(maximo)s.")
ERROR_CATEGORIA = _(
    "«%(clave)s» no es una categoría de la edición vigente de los estándares: elija entre "
    "las que se ofrecen."
)
ERROR_VENTANA = _(
    "Escriba un número entero de días naturales, de 0 (todo el ejercicio fiscal) a %(maximo)s."
)
ERROR_META_RAPIDA = _(
    "El estándar de servicio de la vía rápida (%(rapida)s días hábiles) no puede ser mayor "
    "que el de la vía completa (%(completa)s días hábiles)."
)

DIAS_MINIMO, DIAS_MAXIMO = 1, 120
CAMPOS_DIAS = (
    "dias_revision_rapida",
    "dias_estrategica_rapida",
    "meta_dias_rapida",
    "meta_dias_completa",
)
CAMPOS_FRACCION = (
    "fraccion_activa",
    "fraccion_criterio",
    "fraccion_ventana_dias",
    "fraccion_familias",
)
# Families of categories (issue 59, item 5): each a name and two or more categories of the
# edition in force, a category in one family at most.
ERROR_FAMILIA_FORMATO = _(
    "Escriba cada familia en su renglón como «Nombre: clave-de-categoría, clave-de-categoría»."
)
ERROR_FAMILIA_NOMBRE = _("Cada familia lleva un nombre de 1 a %(maximo)s caracteres.")
ERROR_FAMILIA_NOMBRE_REPETIDO = _("Dos familias se llaman «%(nombre)s»: use otro nombre.")
ERROR_FAMILIA_POCAS = _("La familia «%(nombre)s» agrupa al menos dos categorías distintas.")
ERROR_FAMILIA_CATEGORIA = _(
    "«%(clave)s», en la familia «%(nombre)s», no es una categoría de la edición vigente de los "
    "estándares."
)
ERROR_FAMILIA_REPETIDA = _(
    "La categoría «%(clave)s» está en dos familias, «%(una)s» y «%(otra)s»: déjela en una."
)
FAMILIA_NOMBRE_MAXIMO = 100
# Price (issue 62): the amount from which each item carries three quotes, the method of the
# market price, and the two percentages (quotes out of line, items flagged over the reference).
ERROR_COTIZACIONES_UMBRAL = _(
    "El monto a partir del cual se piden tres cotizaciones no puede ser negativo: escriba 0 o "
    "más pesos."
)
ERROR_METODO = _("Elija uno de los métodos del precio de mercado que se ofrecen.")
ERROR_PORCENTAJE = _("Escriba un número entero de %(minimo)s a %(maximo)s por ciento.")
# Issue 76: contracts over the dictamen, the age of a quote that counts, the method per
# category and the law's price tests. The ranges are the model's validators (rango).
ERROR_VECES = _("Escriba un número entero de veces lo aprobado, de %(minimo)s a %(maximo)s.")
ERROR_ANTIGUEDAD = _("Escriba un número entero de días naturales, de %(minimo)s a %(maximo)s.")
ERROR_METODOS_FORMATO = _(
    "Los métodos por categoría no se leyeron: elija en cada categoría un método o «el método "
    "general»."
)
ERROR_METODO_CATEGORIA = _(
    "«%(clave)s» no es una categoría de la edición vigente de los estándares: elija un método "
    "solo para las que se ofrecen."
)
ERROR_METODO_DE_CATEGORIA = _(
    "Elija para «%(categoria)s» uno de los métodos que se ofrecen, o «el método general»."
)
ERROR_LEY_CENTRO = _(
    "Elija como valor central de la investigación de mercado la media o la mediana de las "
    "cotizaciones válidas."
)
ERROR_LEY_ARTICULO = _(
    "Escriba en un renglón el fundamento legal de las pruebas de precio (la ley y su "
    "artículo), de 1 a %(maximo)s caracteres."
)
CAMPOS_PORCENTAJE = (
    "precio_cv_pct",
    "precio_atipico_pct",
    "precio_senal_pct",
    "ley_no_aceptable_pct",
    "ley_no_conveniente_pct",
    "contrato_tolerancia_pct",
)
ERRORES_RANGO = {
    **dict.fromkeys(CAMPOS_PORCENTAJE, ERROR_PORCENTAJE),
    "contrato_absurdo_veces": ERROR_VECES,
    "cotizacion_antiguedad_dias": ERROR_ANTIGUEDAD,
}
CAMPOS_PRECIO = (
    "cotizaciones_umbral",
    "cotizacion_antiguedad_dias",
    "precio_metodo",
    "precio_cv_pct",
    "precio_metodos_categoria",
    "precio_atipico_pct",
    "precio_senal_pct",
)
CAMPOS_LEY = ("ley_centro", "ley_no_aceptable_pct", "ley_no_conveniente_pct", "ley_articulo")
CAMPOS_CONTRATO = ("contrato_tolerancia_pct", "contrato_absurdo_veces")
LEY_ARTICULO_MAXIMO = ConfiguracionVias._meta.get_field("ley_articulo").max_length
# Stored as _errores cleans them (in the edition's order), not as given.
LIMPIOS = ("categorias_completas", "fraccion_familias", "precio_metodos_categoria", "ley_articulo")
# The fields a version holds and the page edits, in the page's order.
CAMPOS = (
    "rapida_activa",
    "umbral_monto",
    "categorias_completas",
    *CAMPOS_DIAS,
    *CAMPOS_FRACCION,
    *CAMPOS_PRECIO,
    *CAMPOS_LEY,
    *CAMPOS_CONTRATO,
    *CAMPOS_SENALES,
)


def etiqueta(campo: str) -> str:
    return str(ConfiguracionVias._meta.get_field(campo).verbose_name)


def valores(config: ConfiguracionVias) -> dict:
    """A version's values as the audit event keeps them (JSON: the amounts as text, the
    categories sorted; the methods per category in the edition's order, as stored)."""
    return {
        "rapida_activa": config.rapida_activa,
        "umbral_monto": str(Decimal(config.umbral_monto).quantize(Decimal("0.01"))),
        "categorias_completas": sorted(config.categorias_completas or []),
        **{campo: getattr(config, campo) for campo in CAMPOS_DIAS + CAMPOS_FRACCION},
        "cotizaciones_umbral": str(Decimal(config.cotizaciones_umbral).quantize(Decimal("0.01"))),
        "precio_metodo": config.precio_metodo,
        "precio_metodos_categoria": dict(config.precio_metodos_categoria or {}),
        **{campo: getattr(config, campo) for campo in ERRORES_RANGO},
        "ley_centro": config.ley_centro,
        "ley_articulo": config.ley_articulo,
        **valores_senales(config),
        "fraccion_familias": sorted(
            (
                {"nombre": f["nombre"], "categorias": sorted(f["categorias"])}
                for f in config.fraccion_familias or []
            ),
            key=lambda f: f["nombre"],
        ),
    }


def _errores(datos: dict) -> tuple[dict, dict]:
    """The rules of a version ({field: error}) and the fields of LIMPIOS as stored: the
    categories and the methods per category in the edition's order, the families cleaned, the
    article trimmed."""
    errores = {}
    umbral = datos["umbral_monto"]
    if umbral is not None and umbral < 0:
        errores["umbral_monto"] = ValidationError(ERROR_UMBRAL_NEGATIVO, code="umbral")
    for campo in CAMPOS_DIAS:
        dias = datos[campo]
        if not isinstance(dias, int) or not DIAS_MINIMO <= dias <= DIAS_MAXIMO:
            errores[campo] = ValidationError(
                ERROR_DIAS, code="dias", params={"minimo": DIAS_MINIMO, "maximo": DIAS_MAXIMO}
            )
    ventana = datos["fraccion_ventana_dias"]
    if not isinstance(ventana, int) or not 0 <= ventana <= VENTANA_MAXIMA:
        errores["fraccion_ventana_dias"] = ValidationError(
            ERROR_VENTANA, code="ventana", params={"maximo": VENTANA_MAXIMA}
        )
    rapida, completa = datos["meta_dias_rapida"], datos["meta_dias_completa"]
    if not {"meta_dias_rapida", "meta_dias_completa"} & errores.keys() and rapida > completa:
        errores["meta_dias_rapida"] = ValidationError(
            ERROR_META_RAPIDA, code="meta", params={"rapida": rapida, "completa": completa}
        )
    errores.update(_errores_precio(datos))
    errores.update(errores_senales(datos))
    categorias = categorias_vigentes()
    en_edicion = [c["clave"] for c in categorias]
    pedidas = list(datos["categorias_completas"] or [])
    ajenas = [clave for clave in pedidas if clave not in en_edicion]
    if ajenas:
        errores["categorias_completas"] = [
            ValidationError(ERROR_CATEGORIA, code="categoria", params={"clave": clave})
            for clave in ajenas
        ]
    familias, de_familias = _familias(datos["fraccion_familias"], en_edicion)
    if de_familias:
        errores["fraccion_familias"] = de_familias
    metodos, de_metodos = _metodos(datos["precio_metodos_categoria"], categorias)
    if de_metodos:
        errores["precio_metodos_categoria"] = de_metodos
    articulo, de_articulo = _articulo(datos["ley_articulo"])
    if de_articulo:
        errores["ley_articulo"] = de_articulo
    return errores, {
        "categorias_completas": [clave for clave in en_edicion if clave in pedidas],
        "fraccion_familias": familias,
        "precio_metodos_categoria": metodos,
        "ley_articulo": articulo,
    }


def _errores_precio(datos: dict) -> dict:
    errores = {}
    umbral = datos["cotizaciones_umbral"]
    if umbral is not None and umbral < 0:
        errores["cotizaciones_umbral"] = ValidationError(
            ERROR_COTIZACIONES_UMBRAL, code="cotizaciones_umbral"
        )
    if datos["precio_metodo"] not in MetodoPrecio.values:
        errores["precio_metodo"] = ValidationError(ERROR_METODO, code="metodo")
    for campo, mensaje in ERRORES_RANGO.items():
        (minimo, maximo), valor = rango(campo), datos[campo]
        # True is an int to Python, not a number to a person.
        if isinstance(valor, bool) or not isinstance(valor, int) or not minimo <= valor <= maximo:
            errores[campo] = ValidationError(
                mensaje, code="rango", params={"minimo": minimo, "maximo": maximo}
            )
    if datos["ley_centro"] not in CentroLey.values:
        errores["ley_centro"] = ValidationError(ERROR_LEY_CENTRO, code="ley_centro")
    return errores


def _articulo(articulo) -> tuple[str, ValidationError | None]:
    """The law's article as stored (trimmed) and what is wrong with it: blank, too long,
    more than one line, or a personal datum (the dictamen prints it)."""
    limpio = articulo.strip() if isinstance(articulo, str) else ""
    maximo = LEY_ARTICULO_MAXIMO
    if not limpio or solo_en_blanco(limpio) or len(limpio) > maximo or "\n" in limpio:
        return limpio, ValidationError(
            ERROR_LEY_ARTICULO, code="ley_articulo", params={"maximo": maximo}
        )
    try:
        SIN_DATOS_PERSONALES(limpio)
    except ValidationError as exc:
        return limpio, exc
    return limpio, None


def _metodos(metodos, categorias: list[dict]) -> tuple[dict, list[ValidationError]]:
    """The methods per category as stored ({clave: method}, in the edition's order) and what
    is wrong with them: a category out of the edition in force, a method that is not one.
    They arrive as the page gathered them, or as a stored request of change kept them:
    anything else is refused as unread, never a 500."""
    if not isinstance(metodos, dict) or not all(
        isinstance(clave, str) and isinstance(metodo, str) for clave, metodo in metodos.items()
    ):
        return {}, [ValidationError(ERROR_METODOS_FORMATO, code="metodos_formato")]
    nombres = {c["clave"]: c["nombre"] for c in categorias}
    errores = []
    for clave, metodo in metodos.items():
        if clave not in nombres:
            errores.append(
                ValidationError(
                    ERROR_METODO_CATEGORIA, code="metodo_categoria", params={"clave": clave}
                )
            )
        elif metodo not in MetodoPrecio.values:
            errores.append(
                ValidationError(
                    ERROR_METODO_DE_CATEGORIA,
                    code="metodo_de_categoria",
                    params={"categoria": nombres[clave]},
                )
            )
    return {clave: metodos[clave] for clave in nombres if clave in metodos}, errores


def _familias(familias, en_edicion: list[str]) -> tuple[list[dict], list[ValidationError]]:
    """The families as stored (names trimmed, categories in the edition's order) and what is
    wrong with them. They arrive as the page parsed them, or as a stored request of change
    kept them: anything else is refused as badly written, never a 500."""
    if not isinstance(familias, list) or not all(
        isinstance(f, dict)
        and isinstance(f.get("nombre"), str)
        and isinstance(f.get("categorias"), list)
        and all(isinstance(c, str) for c in f["categorias"])
        for f in familias
    ):
        return [], [ValidationError(ERROR_FAMILIA_FORMATO, code="familia_formato")]
    errores, limpias, nombres, de_cual = [], [], set(), {}
    for familia in familias:
        nombre = " ".join(familia["nombre"].split())
        if not 1 <= len(nombre) <= FAMILIA_NOMBRE_MAXIMO:
            errores.append(
                ValidationError(
                    ERROR_FAMILIA_NOMBRE,
                    code="familia_nombre",
                    params={"maximo": FAMILIA_NOMBRE_MAXIMO},
                )
            )
            continue
        if nombre.casefold() in nombres:
            errores.append(
                ValidationError(
                    ERROR_FAMILIA_NOMBRE_REPETIDO,
                    code="familia_repetida",
                    params={"nombre": nombre},
                )
            )
        nombres.add(nombre.casefold())
        claves = list(dict.fromkeys(c.strip() for c in familia["categorias"] if c.strip()))
        for clave in claves:
            if clave not in en_edicion:
                errores.append(
                    ValidationError(
                        ERROR_FAMILIA_CATEGORIA,
                        code="familia_categoria",
                        params={"clave": clave, "nombre": nombre},
                    )
                )
            elif clave in de_cual:
                errores.append(
                    ValidationError(
                        ERROR_FAMILIA_REPETIDA,
                        code="familia_categoria_repetida",
                        params={"clave": clave, "una": de_cual[clave], "otra": nombre},
                    )
                )
            else:
                de_cual[clave] = nombre
        if len(claves) < 2:
            errores.append(
                ValidationError(
                    ERROR_FAMILIA_POCAS, code="familia_pocas", params={"nombre": nombre}
                )
            )
        limpias.append({"nombre": nombre, "categorias": [c for c in en_edicion if c in claves]})
    return limpias, errores


@transaction.atomic
def vias_guardar(*, datos: dict, por, motivo: str = "") -> ConfiguracionVias:
    """Save the tracks as a new version. `datos`: every field of CAMPOS. Everything is checked
    first; an error (a dict by field) leaves nothing written, and so does a saving that
    changes nothing (ERROR_SIN_CAMBIOS)."""
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_NO_ADMINISTRADOR)
    ConfiguracionVias.objects.vigentes()  # version 1 exists before we lock the latest
    anterior = ConfiguracionVias.objects.select_for_update().order_by("-version").first()
    errores, limpios = _errores(datos)
    nueva = ConfiguracionVias(
        version=anterior.version + 1,
        creado_en=timezone.now(),
        creado_por=por,
        motivo=motivo,
        **{campo: datos[campo] for campo in CAMPOS if campo not in LIMPIOS},
        **limpios,
    )
    try:
        nueva.full_clean(exclude=list(errores))
    except ValidationError as exc:
        errores.update(exc.error_dict)
    if errores:
        raise ValidationError(errores)
    antes, despues = valores(anterior), valores(nueva)
    if antes == despues:
        raise ValidationError(ERROR_SIN_CAMBIOS, code="sin_cambios")
    nueva.save()
    evento_registrar(
        tipo="vias_revision",
        descripcion=f"Vías de revisión: versión {nueva.version}",
        usuario=por,
        motivo=motivo,
        datos={
            "version": nueva.version,
            "anterior": anterior.version,
            "antes": antes,
            "despues": despues,
        },
    )
    return nueva
