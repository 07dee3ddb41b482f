"""Public page "¿Cómo es el trámite?": the procedure drawn, with the deadline of each step as
the administrator has set it (table PlazoEtapa) and the documents to bring; the review tracks,
the service standard and the price rules (issue 62) as the version in force of
ConfiguracionVias says; how each item is decided, and the published catalogue of reasons with
its yearly counts. Anyone may read it."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from dictamenes.cifras.selectors.indicadores import fraccionamientos_por_ejercicio
from dictamenes.models import Anexo, Area, ConfiguracionVias, DecisionPartida, PlazoEtapa
from dictamenes.models.precios import MetodoPrecio
from dictamenes.precios import reglas
from dictamenes.templatetags.etiquetas import pesos
from dictamenes.tramite.selectors.motivos import conteo_por_anio, motivos_publicados
from dictamenes.tramite.selectors.plazos import plazos_dias
from dictamenes.tramite.selectors.vias import (
    claves_nombradas,
    condiciones_texto,
    familias_texto,
    nombres_de_categorias,
    ventana_texto,
    vias_vigentes,
)
from publico.precios import PRECIOS

Etapa = PlazoEtapa.Etapa

# The documents a request carries (Anexo.Tipo). Only the oficio is required to present it
# (solicitudes.validar_para_presentar); the others are what the reviewers usually need.
DOCUMENTOS = (
    (
        Anexo.Tipo.OFICIO,
        True,
        _(
            "El oficio con el que la dependencia o entidad pide el dictamen. Es el único "
            "documento indispensable: sin él la solicitud no se puede presentar."
        ),
    ),
    (
        Anexo.Tipo.ANEXO_TECNICO,
        False,
        _("Las especificaciones técnicas de cada bien o servicio que se solicita."),
    ),
    (
        Anexo.Tipo.COTIZACION,
        False,
        _(
            "Una o varias cotizaciones vigentes, para valorar calidad, precio y oportunidad "
            "del mercado."
        ),
    ),
    (
        Anexo.Tipo.JUSTIFICACION,
        False,
        _("Por qué se necesita y cómo se alinea con los programas de gobierno digital."),
    ),
)


Resultado = DecisionPartida.Resultado
# What each decision on an item means, as the strategic reviewer records it
# (tramite.services.decisiones).
DECISIONES = {
    Resultado.APROBADA: _("por la cantidad y el monto solicitados."),
    Resultado.REDUCIDA: _(
        "por menos de lo solicitado, con uno de los motivos del catálogo publicado abajo; el "
        "dictamen dice la cantidad y el monto que se aprueban."
    ),
    Resultado.NO_APROBADA: _(
        "con uno de los motivos del catálogo publicado abajo y, cuando hace falta, una explicación."
    ),
}


def _dias(n: int) -> str:
    return ngettext("%(n)d día hábil", "%(n)d días hábiles", n) % {"n": n}


def _vias(config: ConfiguracionVias) -> dict:
    """The tracks as the version in force has them, in the page's words."""
    nombres = nombres_de_categorias(claves=claves_nombradas(config))
    return {
        "rapida_activa": config.rapida_activa,
        "umbral": pesos(config.umbral_monto),
        # The conditions in the rule's own words (tramite.reglas.vias.CONDICION_*).
        "condiciones": condiciones_texto(config=config),
        "categorias": [nombres.get(c, c) for c in config.categorias_completas or []],
        "dias_revision": _dias(config.dias_revision_rapida),
        "dias_estrategica": _dias(config.dias_estrategica_rapida),
        "meta_rapida": _dias(config.meta_dias_rapida),
        "meta_completa": _dias(config.meta_dias_completa),
        # Split purchases (issue 48): whether they are looked for, how, and how many groups
        # were found each year.
        "fraccion_activa": config.fraccion_activa,
        "fraccion_criterio": config.get_fraccion_criterio_display(),
        "fraccion_ventana": ventana_texto(config.fraccion_ventana_dias),
        # Families compared as one category (issue 59, item 5): only when searching by one.
        "fraccion_familias": (
            familias_texto(config.fraccion_familias, nombres)
            if config.fraccion_familias and config.fraccion_criterio == "categoria"
            else ""
        ),
        "fraccionamientos": fraccionamientos_por_ejercicio(),
    }


# The market price's method after «el precio de mercado es» (MetodoPrecio).
METODOS = {
    MetodoPrecio.MEDIANA: _("la mediana de las cotizaciones que quedan"),
    MetodoPrecio.MEDIA: _("el promedio de las cotizaciones que quedan"),
    MetodoPrecio.MENOR: _("la más baja de las cotizaciones que quedan"),
    MetodoPrecio.DISPERSION: _(
        "el promedio de las que quedan si su coeficiente de variación no pasa de %(cv)s %%, y "
        "si no su mediana"
    ),
}


def _precios(config: ConfiguracionVias, nombres: dict) -> dict:
    """The price rules as the version in force has them (issue 62), and the reference's
    minimum, window and units as the rules of dictamenes.precios.reglas say."""
    return {
        "umbral": pesos(config.cotizaciones_umbral),
        "metodo": str(METODOS[config.precio_metodo]) % {"cv": config.precio_cv_pct},
        # Issue 76: the categories with a method of their own, the quotes' age, the law's
        # tests and the contracts over what was approved.
        "metodos_categoria": [
            (nombres.get(clave, clave), str(METODOS[metodo]) % {"cv": config.precio_cv_pct})
            for clave, metodo in sorted((config.precio_metodos_categoria or {}).items())
            if metodo in METODOS
        ],
        "antiguedad_dias": config.cotizacion_antiguedad_dias,
        "ley_centro": config.get_ley_centro_display(),
        "ley_no_aceptable_pct": config.ley_no_aceptable_pct,
        "ley_no_conveniente_pct": config.ley_no_conveniente_pct,
        "ley_articulo": config.ley_articulo,
        "tolerancia_pct": config.contrato_tolerancia_pct,
        "absurdo_veces": config.contrato_absurdo_veces,
        "atipico_pct": config.precio_atipico_pct,
        "senal_pct": config.precio_senal_pct,
        "meses": reglas.MESES_REFERENCIA,
        "compras": reglas.COMPRAS_MINIMAS,
        "entes": reglas.ENTES_MINIMOS,
        "unidades": [str(u) for u in reglas.UNIDAD_NORMAL.values()],
        "conjunto": PRECIOS,
    }


def _motivos() -> dict:
    """The catalogue, each reason with its count per fiscal year. The years run from the first
    with a count (or this one) to the last (or this one), with 0 where there is none."""
    conteos = conteo_por_anio()
    hoy = timezone.localdate().year
    anios_con_datos = {anio for _clave, anio in conteos}
    anios = list(range(min(anios_con_datos | {hoy}), max(anios_con_datos | {hoy}) + 1))
    filas = [
        {
            "nombre": motivo.nombre,
            "descripcion": motivo.descripcion,
            "conteos": [sum(conteos.get((motivo.clave, anio), {}).values()) for anio in anios],
        }
        for motivo in motivos_publicados()
    ]
    return {"anios": anios, "filas": filas}


@require_safe
def como(request):
    plazos = {str(etapa): _dias(dias) for etapa, dias in plazos_dias(etapas=Etapa).items()}
    documentos = [
        {"nombre": tipo.label, "requerido": requerido, "descripcion": descripcion}
        for tipo, requerido, descripcion in DOCUMENTOS
    ]
    areas = list(Area.objects.filter(activa=True).values_list("nombre", flat=True))
    config = vias_vigentes()
    return render(
        request,
        "tramite/como.html",
        {
            "plazos": plazos,
            "documentos": documentos,
            "areas": areas,
            "vias": _vias(config),
            "precios": _precios(
                config,
                nombres_de_categorias(claves=set(config.precio_metodos_categoria or {})),
            ),
            "decisiones": [(r.label, DECISIONES[r]) for r in Resultado],
            "motivos": _motivos(),
        },
    )
