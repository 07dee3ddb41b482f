"""The one door that changes the tracks' rules and service standard (issue 36): each saving is
a new ConfiguracionVias version, checked whole before anything is written, and audited in the
same transaction with the values before and after. A request keeps pointing to the version
its track was given under (Solicitud.via_config)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.models import ConfiguracionVias
from dictamenes.selectors.configuracion_vias import categorias_vigentes
from dictamenes.selectors.usuarios import administra_roles
from dictamenes.services.auditoria import evento_registrar

ERROR_NO_ADMINISTRADOR = _("Solo una persona administradora cambia las vías de revisión.")
ERROR_SIN_CAMBIOS = _("No cambió nada: las vías son iguales a la versión vigente.")
ERROR_UMBRAL_NEGATIVO = _("El umbral no puede ser negativo: escriba 0 o más pesos.")
ERROR_DIAS = _("Escriba un número entero de días hábiles, de %(minimo)s a %(maximo)s.")
ERROR_CATEGORIA = _(
    "«%(clave)s» no es una categoría de la edición vigente de los estándares: elija entre "
    "las que se ofrecen."
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
# The fields a version holds and the page edits, in the page's order.
CAMPOS = ("rapida_activa", "umbral_monto", "categorias_completas", *CAMPOS_DIAS)


def etiqueta(campo: str) -> str:
    return str(ConfiguracionVias._meta.get_field(campo).verbose_name)


def valores(config: ConfiguracionVias) -> dict:
    """A version's values as the audit event keeps them (JSON: the amount as text, the
    categories sorted)."""
    return {
        "rapida_activa": config.rapida_activa,
        "umbral_monto": str(Decimal(config.umbral_monto).quantize(Decimal("0.01"))),
        "categorias_completas": sorted(config.categorias_completas or []),
        **{campo: getattr(config, campo) for campo in CAMPOS_DIAS},
    }


def _errores(datos: dict) -> tuple[dict, list[str]]:
    """The rules of a version ({field: error}), and the categories in the edition's order."""
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
    rapida, completa = datos["meta_dias_rapida"], datos["meta_dias_completa"]
    if not {"meta_dias_rapida", "meta_dias_completa"} & errores.keys() and rapida > completa:
        errores["meta_dias_rapida"] = ValidationError(
            ERROR_META_RAPIDA, code="meta", params={"rapida": rapida, "completa": completa}
        )
    en_edicion = [c["clave"] for c in categorias_vigentes()]
    pedidas = list(datos["categorias_completas"] or [])
    ajenas = [clave for clave in pedidas if clave not in en_edicion]
    if ajenas:
        errores["categorias_completas"] = [
            ValidationError(ERROR_CATEGORIA, code="categoria", params={"clave": clave})
            for clave in ajenas
        ]
    return errores, [clave for clave in en_edicion if clave in pedidas]


@transaction.atomic
def vias_guardar(*, datos: dict, por, motivo: str = "") -> ConfiguracionVias:
    """Save the tracks as a new version. `datos`: every field of CAMPOS. Everything is checked
    first; an error (a dict by field) leaves nothing written, and so does a saving that
    changes nothing (ERROR_SIN_CAMBIOS)."""
    if not administra_roles(usuario=por):
        raise PermissionDenied(ERROR_NO_ADMINISTRADOR)
    ConfiguracionVias.objects.vigentes()  # version 1 exists before we lock the latest
    anterior = ConfiguracionVias.objects.select_for_update().order_by("-version").first()
    errores, categorias = _errores(datos)
    nueva = ConfiguracionVias(
        version=anterior.version + 1,
        creado_en=timezone.now(),
        creado_por=por,
        motivo=motivo,
        **{campo: datos[campo] for campo in CAMPOS if campo != "categorias_completas"},
        categorias_completas=categorias,
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
