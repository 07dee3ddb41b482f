"""The refusals of the standards catalogue, in Spanish."""

from django.utils.translation import gettext_lazy as _

ERROR_NO_ES_BORRADOR = _("Solo se publica una edición en borrador.")
ERROR_SIN_FECHA = _("Indique la fecha desde la que la edición entra en vigor.")
ERROR_FECHA_ANTERIOR = _(
    "La nueva edición debe entrar en vigor después del %(fecha)s, cuando entró en vigor la "
    "edición %(version)s."
)
ERROR_EDICION_VACIA = _("La edición no tiene categorías; no hay nada que publicar.")
ERROR_CATEGORIA_SIN_PERFILES = _("La categoría «%(categoria)s» no tiene perfiles.")
ERROR_PERFIL_SIN_REQUISITOS = _("El perfil «%(perfil)s» no tiene requisitos.")
ERROR_VERSION_EXISTE = _("Ya existe una edición con la versión %(version)s.")


class ImportacionError(Exception):
    """A standards file that cannot be loaded; `errores` name the line and the field."""

    def __init__(self, errores: list[str]):
        self.errores = errores
        super().__init__("\n".join(errores))
