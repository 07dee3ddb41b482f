"""Reads of the standards catalogue."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from estandares import cumplimiento, formato
from estandares.cumplimiento import Evaluacion, PerfilSpec, RequisitoSpec
from estandares.forms import EspecificacionesForm
from estandares.models import Categoria, Perfil, Publicacion, Requisito

ERROR_PERFIL_NO_VIGENTE = _("Elija un perfil técnico de la edición vigente de los estándares.")
ERROR_VALORES_ILEGIBLES = _("Revise los valores marcados: no se pueden evaluar así.")


def publicaciones_publicadas() -> QuerySet[Publicacion]:
    return Publicacion.objects.exclude(estado=Publicacion.Estado.BORRADOR)


def publicacion_vigente(*, fecha: datetime.date) -> Publicacion | None:
    """The edition in force on `fecha`: published, effective by then and not yet replaced."""
    return (
        publicaciones_publicadas()
        .filter(vigente_desde__lte=fecha)
        .exclude(vigente_hasta__lt=fecha)
        .order_by("-vigente_desde")
        .first()
    )


def categorias_de(*, publicacion: Publicacion) -> QuerySet[Categoria]:
    """Categories with their area, profiles and requisitos: three queries whatever the size."""
    return publicacion.categorias.select_related("area").prefetch_related(
        Prefetch("perfiles", queryset=Perfil.objects.order_by("orden", "nombre")),
        Prefetch("perfiles__requisitos", queryset=Requisito.objects.order_by("orden", "id")),
    )


def publicacion_exportar(*, publicacion: Publicacion) -> str:
    return formato.escribir(publicacion, categorias_de(publicacion=publicacion))


def perfil_con_requisitos(*, perfil_id: int) -> Perfil:
    return (
        Perfil.objects.select_related("categoria__publicacion", "categoria__area")
        .prefetch_related(
            Prefetch("requisitos", queryset=Requisito.objects.order_by("orden", "id"))
        )
        .get(pk=perfil_id)
    )


def perfil_spec(*, perfil: Perfil) -> PerfilSpec:
    """The pure-data form of a profile that the compliance engine judges against."""
    return PerfilSpec(
        perfil_id=perfil.pk,
        version=perfil.categoria.publicacion.version,
        categoria=perfil.categoria.nombre,
        nombre=perfil.nombre,
        requisitos=tuple(
            RequisitoSpec(
                clave=r.clave,
                nombre=r.nombre,
                tipo=r.tipo,
                obligatorio=r.obligatorio,
                unidad=r.unidad,
                minimo=r.minimo,
                maximo=r.maximo,
                opciones=tuple(r.opciones),
                fundamento=r.fundamento,
            )
            for r in perfil.requisitos.all()
        ),
    )


def perfiles_para_elegir(*, publicacion: Publicacion) -> QuerySet[Perfil]:
    return (
        Perfil.objects.filter(categoria__publicacion=publicacion)
        .select_related("categoria")
        .order_by("categoria__orden", "orden")
    )


def perfil_vigente_spec(*, perfil_id, fecha: datetime.date) -> PerfilSpec:
    """The engine's form of a profile of the edition in force on `fecha`, the only ones an
    item may be judged against. `perfil_id` comes as typed: anything else is refused."""
    vigente = publicacion_vigente(fecha=fecha)
    texto = str(perfil_id or "")
    if (
        vigente is None
        or not texto.isdigit()
        or not perfiles_para_elegir(publicacion=vigente).filter(pk=int(texto)).exists()
    ):
        raise ValidationError(ERROR_PERFIL_NO_VIGENTE, code="perfil_no_vigente")
    return perfil_spec(perfil=perfil_con_requisitos(perfil_id=int(texto)))


def especificaciones_evaluar(
    *, perfil: PerfilSpec, datos: Mapping, prefijo: str | None = None
) -> Evaluacion:
    """Judge values as a person types them in the specifications form (strings, a unit per
    number) with the compliance engine, exactly as saving the item would.

    Raises ValidationError, keyed by requisito clave, when a value cannot be read at all
    (letters where a number goes, an option not in the list): the engine never sees it."""
    form = EspecificacionesForm(datos, perfil=perfil, prefix=prefijo)
    if not form.is_valid():
        errores = {}
        for campo, mensajes in form.errors.items():
            clave = campo.removesuffix("__unidad")
            errores.setdefault(clave, []).extend(str(m) for m in mensajes)
        raise ValidationError(
            {clave: [ValidationError(m) for m in mensajes] for clave, mensajes in errores.items()}
        )
    return cumplimiento.evaluar(perfil, form.especificaciones())


# --- Comparison of two editions -------------------------------------------------------------

_CAMPOS_COMPARADOS = {
    "categoria": ("nombre", "area", "descripcion"),
    "perfil": ("nombre", "descripcion"),
    "requisito": (
        "nombre",
        "tipo",
        "obligatorio",
        "unidad",
        "minimo",
        "maximo",
        "opciones",
        "fundamento",
    ),
}


def _indice(publicacion: Publicacion) -> dict[tuple, dict]:
    """Every element keyed by its path of claves, with the fields that matter."""
    indice = {}
    for categoria in categorias_de(publicacion=publicacion):
        indice[(categoria.clave,)] = {
            "elemento": "categoria",
            "nombre": categoria.nombre,
            "area": categoria.area.nombre,
            "descripcion": categoria.descripcion,
        }
        for perfil in categoria.perfiles.all():
            indice[(categoria.clave, perfil.clave)] = {
                "elemento": "perfil",
                "nombre": perfil.nombre,
                "descripcion": perfil.descripcion,
                "ruta": f"{categoria.nombre} · {perfil.nombre}",
            }
            for req in perfil.requisitos.all():
                indice[(categoria.clave, perfil.clave, req.clave)] = {
                    "elemento": "requisito",
                    "nombre": req.nombre,
                    "ruta": f"{categoria.nombre} · {perfil.nombre} · {req.nombre}",
                    "tipo": str(req.get_tipo_display()),
                    "obligatorio": req.obligatorio,
                    "unidad": req.unidad,
                    "minimo": req.minimo,
                    "maximo": req.maximo,
                    "opciones": list(req.opciones),
                    "fundamento": req.fundamento,
                }
    return indice


def publicaciones_comparar(*, anterior: Publicacion, nueva: Publicacion) -> dict[str, list]:
    """What `nueva` added, removed and changed with respect to `anterior`."""
    viejo, nuevo = _indice(anterior), _indice(nueva)
    agregados = [nuevo[k] | {"clave": "/".join(k)} for k in nuevo if k not in viejo]
    eliminados = [viejo[k] | {"clave": "/".join(k)} for k in viejo if k not in nuevo]
    cambiados = []
    for clave in nuevo.keys() & viejo.keys():
        antes, despues = viejo[clave], nuevo[clave]
        campos = [
            {"campo": campo, "antes": antes[campo], "despues": despues[campo]}
            for campo in _CAMPOS_COMPARADOS[despues["elemento"]]
            if antes[campo] != despues[campo]
        ]
        if campos:
            cambiados.append(despues | {"clave": "/".join(clave), "campos": campos})
    orden = sorted(nuevo.keys() | viejo.keys())
    posicion = {"/".join(k): i for i, k in enumerate(orden)}
    for lista in (agregados, eliminados, cambiados):
        lista.sort(key=lambda e: posicion[e["clave"]])
    return {"agregados": agregados, "eliminados": eliminados, "cambiados": cambiados}


# --- What the requester wrote ----------------------------------------------------------------


def _declaraciones(partida) -> list[tuple[str, str, str]]:
    """(clave, nombre, texto) of each requisito of kind declaración the item answered, in the
    profile's order. The engine only says a declaration was made; its text is for a person to
    judge, so every reader of the item is shown it. Reads `partida.perfil.requisitos.all()`:
    prefetch "perfil__requisitos" to read a list of items in one query."""
    especificaciones = (
        partida.especificaciones if isinstance(partida.especificaciones, dict) else {}
    )
    salida = []
    for requisito in partida.perfil.requisitos.all():
        if requisito.tipo != Requisito.Tipo.DECLARACION:
            continue
        valor = especificaciones.get(requisito.clave)
        if isinstance(valor, str) and valor.strip():
            salida.append((requisito.clave, requisito.nombre, valor.strip()))
    return salida


def declaraciones_de(*, partida) -> list[tuple[str, str]]:
    """An item's written declarations as (requisito name, text), in the profile's order: for
    the request's page, the expediente and the dictamen's PDF alike."""
    return [(nombre, texto) for _clave, nombre, texto in _declaraciones(partida)]


def declaraciones_por_clave(*, partida) -> dict[str, str]:
    """The same declarations keyed by requisito clave, to set each beside its requisito."""
    return {clave: texto for clave, _nombre, texto in _declaraciones(partida)}
