"""The one door that changes the institution's texts (issue 35): each saving is a new version,
checked whole before anything is written, and audited in the same transaction with what
changed. An issued dictamen keeps pointing to the version it was issued under."""

import hashlib
import string

import filetype
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from dictamenes.comun import archivos
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Dictamen, Solicitud, TextosInstitucionales
from dictamenes.organizacion import imagenes
from dictamenes.organizacion.selectors.textos import CLAVE_CACHE
from dictamenes.organizacion.selectors.usuarios import administra_roles

ERROR_NO_ADMINISTRADOR = _("Solo una persona administradora cambia los textos de la institución.")
ERROR_SIN_CAMBIOS = _("No cambió nada: los textos son iguales a la versión vigente.")
ERROR_PATRON_CAMPO = _(
    "El patrón solo puede usar {%(permitidos)s}; «{%(campo)s}» no existe. Ejemplo: %(ejemplo)s"
)
ERROR_PATRON_FALTA = _(
    "El patrón debe llevar {%(campo)s}, o dos folios podrían repetirse. Ejemplo: %(ejemplo)s"
)
ERROR_PATRON_FORMATO = _(
    "El patrón no se puede aplicar: cada campo va entre llaves y su formato, si lo lleva, es "
    "de número (como :04d). Ejemplo: %(ejemplo)s"
)
ERROR_PATRON_LARGO = _(
    "Con este patrón un folio mediría %(largo)s caracteres; el máximo es %(maximo)s."
)
ERROR_IMAGEN_TIPO = _(
    "La imagen del membrete debe ser PNG o JPEG; el archivo subido no lo es por su contenido."
)
ERROR_IMAGEN_DANADA = _("La imagen del membrete está dañada y no se puede abrir.")

# What the code passes to each pattern (tramite.services.folios, emision.services.firma), with
# the largest number a year may reach, to check the folio's length against its column.
PATRONES = {
    "folio_solicitud": {
        "anio": "ejercicio",
        "ejemplo": "SOL-{ejercicio}-{numero:05d}",
        "maximo": Solicitud._meta.get_field("folio").max_length,
    },
    "folio_dictamen": {
        "anio": "anio",
        "ejemplo": "SGD/DT/{anio}/{numero:04d}",
        "maximo": Dictamen._meta.get_field("folio").max_length,
    },
}
NUMERO_MAXIMO = 99_999
TIPOS_IMAGEN = {"image/png": "png", "image/jpeg": "jpg"}
# The articles of the names (issue 61): a change asked before they existed keeps the ones in
# force.
ARTICULOS = ("institucion_articulo", "unidad_resuelve_articulo", "unidad_firma_articulo")
# Fields compared to say what changed (the image by its digest).
CAMPOS = (
    "fundamentos",
    "membrete",
    "institucion",
    "institucion_articulo",
    "unidad_resuelve",
    "unidad_resuelve_articulo",
    "unidad_firma",
    "unidad_firma_articulo",
    "lugar",
    "folio_solicitud",
    "folio_dictamen",
    "condicion_dias_habiles",
    "membrete_imagen_sha256",
)


def etiqueta(campo: str) -> str:
    """How the page names a field in the history (the image by its name, not its digest)."""
    if campo == "membrete_imagen_sha256":
        campo = "membrete_imagen"
    return str(TextosInstitucionales._meta.get_field(campo).verbose_name)


def patron_validar(*, campo: str, patron: str) -> None:
    """The pattern formats with exactly the placeholders the code passes: the year and the
    number, both required (the number restarts each year). ValidationError in Spanish."""
    regla = PATRONES[campo]
    permitidos = {regla["anio"], "numero"}
    parametros = {"ejemplo": regla["ejemplo"], "permitidos": "}, {".join(sorted(permitidos))}
    try:
        usados = {nombre for _t, nombre, _f, _c in string.Formatter().parse(patron) if nombre}
    except ValueError as exc:
        raise ValidationError(ERROR_PATRON_FORMATO, code="patron", params=parametros) from exc
    for nombre in sorted(usados - permitidos):
        raise ValidationError(
            ERROR_PATRON_CAMPO, code="patron", params={**parametros, "campo": nombre}
        )
    for nombre in (regla["anio"], "numero"):
        if nombre not in usados:
            raise ValidationError(
                ERROR_PATRON_FALTA, code="patron", params={**parametros, "campo": nombre}
            )
    try:
        folio = patron.format(**{regla["anio"]: 2026, "numero": NUMERO_MAXIMO})
    except (ValueError, KeyError, IndexError, AttributeError, TypeError) as exc:
        raise ValidationError(ERROR_PATRON_FORMATO, code="patron", params=parametros) from exc
    if len(folio) > regla["maximo"]:
        raise ValidationError(
            ERROR_PATRON_LARGO,
            code="patron",
            params={"largo": len(folio), "maximo": regla["maximo"]},
        )


def imagen_validar(archivo) -> tuple[bytes, str]:
    """A PNG or JPEG by its content (not its name), within the uploads' size limit and the
    images' limit in pixels (read from its header, before anything decodes it), that opens as
    an image. Returns its bytes and extension."""
    archivos.validar_tamano(archivo.size)
    archivo.seek(0)
    contenido = archivo.read()
    archivos.validar_tamano(len(contenido))  # the declared size may lie
    if not contenido:
        raise ValidationError(archivos.ERROR_VACIO, code="vacio")
    tipo = filetype.guess(contenido[:8192])
    if tipo is None or tipo.mime not in TIPOS_IMAGEN:
        raise ValidationError(ERROR_IMAGEN_TIPO, code="tipo")
    try:
        imagenes.imagen_medir(contenido)
    except ValidationError as exc:
        if exc.code == "danada":
            raise ValidationError(ERROR_IMAGEN_DANADA, code="danada") from exc
        raise
    try:
        with Image.open(ContentFile(contenido)) as imagen:
            imagen.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(ERROR_IMAGEN_DANADA, code="danada") from exc
    return contenido, TIPOS_IMAGEN[tipo.mime]


def valores(textos) -> dict:
    return {campo: getattr(textos, campo) for campo in CAMPOS}


@transaction.atomic
def textos_guardar(
    *, usuario, datos: dict, imagen=None, quitar_imagen: bool = False, motivo: str = ""
) -> TextosInstitucionales:
    """Save the texts as a new version. `datos`: the editable fields (CAMPOS but the image);
    `imagen`: a new letterhead image, or `quitar_imagen` to print none. Everything is
    checked first; an error (a dict by field) leaves nothing written."""
    if not administra_roles(usuario=usuario):
        raise PermissionDenied(ERROR_NO_ADMINISTRADOR)
    TextosInstitucionales.objects.vigentes()  # version 1 exists before we lock the latest
    anterior = TextosInstitucionales.objects.select_for_update().order_by("-version").first()
    nueva = TextosInstitucionales(
        version=anterior.version + 1,
        creado_en=timezone.now(),
        creado_por=usuario,
        motivo=motivo,
        membrete_imagen=None if quitar_imagen else anterior.membrete_imagen.name,
        membrete_imagen_sha256="" if quitar_imagen else anterior.membrete_imagen_sha256,
        **{
            campo: datos.get(campo, getattr(anterior, campo))
            if campo in ARTICULOS
            else datos[campo]
            for campo in CAMPOS
            if campo != "membrete_imagen_sha256"
        },
    )
    errores = {}
    for campo in PATRONES:
        try:
            patron_validar(campo=campo, patron=datos[campo])
        except ValidationError as exc:
            errores[campo] = exc
    contenido = None
    if imagen is not None:
        try:
            contenido, extension = imagen_validar(imagen)
        except ValidationError as exc:
            errores["membrete_imagen"] = exc
        else:
            nueva.membrete_imagen_sha256 = hashlib.sha256(contenido).hexdigest()
    try:
        nueva.full_clean(exclude=["membrete_imagen", *errores])
    except ValidationError as exc:
        errores.update(exc.error_dict)
    if errores:
        raise ValidationError(errores)
    antes, despues = valores(anterior), valores(nueva)
    cambios = {c: [antes[c], despues[c]] for c in CAMPOS if antes[c] != despues[c]}
    if not cambios:
        raise ValidationError(ERROR_SIN_CAMBIOS, code="sin_cambios")
    if contenido is not None:
        nueva.membrete_imagen.save(f"membrete.{extension}", ContentFile(contenido), save=False)
    nueva.save()
    transaction.on_commit(lambda: cache.delete(CLAVE_CACHE))
    evento_registrar(
        tipo="textos_institucionales",
        descripcion=f"Textos de la institución: versión {nueva.version}",
        usuario=usuario,
        motivo=motivo,
        datos={"version": nueva.version, "anterior": anterior.version, "cambios": cambios},
    )
    return nueva
