"""The names an agency had (issue 59): what the open data of a past year calls it. Written only
by dictamenes.organizacion.services.entes.ente_renombrar, the door a second administrator's
approval goes through; the name in force stays in Ente.nombre, which the current pages read."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dictamenes.models.catalogos import Ente
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import TextoCorto


class EnteNombre(models.Model):
    """A name the agency no longer has, and the last day it was in force: on any day up to
    `vigente_hasta` (and after the previous row's), the agency was called `nombre`."""

    ente = models.ForeignKey(
        Ente, on_delete=models.CASCADE, related_name="nombres_anteriores", verbose_name=_("ente")
    )
    # What the open data of its years still publishes as the buyer: no personal data, as
    # Ente.nombre (issue 77).
    nombre = TextoCorto(_("nombre"), max_length=200, validators=[SIN_DATOS_PERSONALES])
    vigente_hasta = models.DateField(_("vigente hasta"))
    registrado_en = models.DateTimeField(_("registrado en"), auto_now_add=True)

    class Meta:
        verbose_name = _("nombre anterior de un ente")
        verbose_name_plural = _("nombres anteriores de los entes")
        ordering = ["ente", "vigente_hasta", "pk"]
        indexes = [models.Index(fields=["ente", "vigente_hasta"], name="ente_nombre_hasta")]

    def __str__(self) -> str:
        return f"{self.nombre} (hasta el {self.vigente_hasta:%d/%m/%Y})"
