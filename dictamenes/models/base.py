"""Shared pieces of the models: validators, choices and cached choice labels."""

import functools

from django.core.validators import RegexValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# RFC of a natural person (13 characters): 4 letters, birth date YYMMDD, 3-character homoclave.
RFC_PERSONA_FISICA = RegexValidator(
    r"^[A-ZÑ&]{4}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[A-Z\d]{3}$",
    message=_("El RFC debe tener 13 caracteres: 4 letras, fecha AAMMDD y homoclave."),
    code="rfc_invalido",
)

# CURP (18 characters): 4 letters, birth date YYMMDD, sex, state, 3 consonants, the
# homonym differentiator and the check digit. Llave and the SIDU identify a person by it.
CURP = RegexValidator(
    r"^[A-Z][AEIOUX][A-Z]{2}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[HMX][A-Z]{5}[A-Z\d]\d$",
    message=_(
        "La CURP debe tener 18 caracteres: 4 letras, fecha AAMMDD, sexo, entidad, "
        "3 consonantes y 2 caracteres finales."
    ),
    code="curp_invalida",
)

ERROR_PERFIL_ENTE_Y_AREAS = _(
    "Una persona pertenece a una dependencia o a áreas de revisión, no a ambas."
)


@functools.lru_cache(maxsize=512)
def _etiquetas(campo, idioma: str) -> dict:
    return {make_hashable(valor): str(etiqueta) for valor, etiqueta in campo.flatchoices}


class EtiquetasEnCache:
    """get_FOO_display without Django's per-call cost: Django rebuilds a dict of the lazily
    translated choices, translating every label, on each call (a third of a 25-row list's
    time). Here each field's labels are translated once per language."""

    def _get_FIELD_display(self, field):  # noqa: N802 - Django's name
        valor = getattr(self, field.attname)
        return _etiquetas(field, get_language()).get(make_hashable(valor), valor)


class TipoOperacion(models.TextChoices):
    ADQUISICION = "adquisicion", _("Adquisición")
    ARRENDAMIENTO = "arrendamiento", _("Arrendamiento")
    RENOVACION = "renovacion", _("Renovación")
    SERVICIO = "servicio", _("Contratación de servicio")
    DESARROLLO = "desarrollo", _("Desarrollo de software")
    BAJA = "baja", _("Baja")


class Resultado(models.TextChoices):
    FAVORABLE = "favorable", _("Favorable")
    CONDICIONADO = "condicionado", _("Favorable condicionado")
    NO_FAVORABLE = "no_favorable", _("No favorable")


class VersionadasQuerySet(models.QuerySet):
    """Rows kept as versions, never edited (the institution's texts, the review tracks): the
    latest `version` is the one in force. Subclasses say what version 1 holds."""

    def iniciales(self) -> dict:
        raise NotImplementedError

    def vigentes(self):
        """The latest version; version 1 from `iniciales()` when there is none yet (a database
        flushed by a test, or one built without migrations). One query when it exists."""
        fila = self.order_by("-version").first()
        if fila is not None:
            return fila
        try:
            with transaction.atomic():
                return self.create(version=1, creado_en=timezone.now(), **self.iniciales())
        except IntegrityError:  # another request made it first
            return self.get(version=1)
