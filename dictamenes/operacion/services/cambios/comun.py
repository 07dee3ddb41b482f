"""What the kinds of configuration change share (operacion.services.cambios.tipos and its
companion modules): a rehearsal that forgets what it cached, and how a value is written in a
row the approver reads, before → after."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dictamenes.operacion.services.ensayo import ensayar
from dictamenes.organizacion.selectors.textos import CLAVE_CACHE as CLAVE_TEXTOS
from dictamenes.organizacion.services import areas as areas_servicio
from dictamenes.roles import Rol
from dictamenes.tramite.selectors.pasos import CLAVE_CATALOGOS as CATALOGOS_DE_PASOS

# What a rehearsal may leave cached of what it wrote and then undid (operacion.services.ensayo).
CACHES_DEL_ENSAYO = (CLAVE_TEXTOS, *areas_servicio.CACHES_DE_AREAS, CATALOGOS_DE_PASOS)


def _ensayar(funcion):
    return ensayar(funcion, olvidar=CACHES_DEL_ENSAYO)


INTERNOS = (Rol.MESA_CONTROL, Rol.REVISOR_TECNICO, Rol.REVISOR_ESTRATEGICO, Rol.FIRMANTE)


def _fila(campo: str, antes: str, despues: str) -> dict:
    return {
        "campo": capfirst(campo),
        "antes": antes,
        "despues": despues,
        "cambia": antes != despues,
    }


def _dias(n) -> str:
    return ngettext("%(n)d día hábil", "%(n)d días hábiles", n) % {"n": n}


def _texto(valor) -> str:
    if isinstance(valor, bool):
        return _("sí") if valor else _("no")
    if valor in (None, ""):
        return "—"
    return str(valor)


def valor_de_textos(campo: str, valor) -> str:
    """A field of the institution's texts as the approver reads it (the image is shown as
    itself on the page; its row names it)."""
    if campo == "membrete_imagen_sha256":
        return _("imagen %(h)s…") % {"h": valor[:12]} if valor else _("sin imagen")
    if campo == "condicion_dias_habiles":
        return _dias(valor)
    return _texto(valor)
