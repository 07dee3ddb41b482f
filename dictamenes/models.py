from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# RFC of a natural person (13 characters): 4 letters, birth date YYMMDD, 3-character homoclave.
RFC_PERSONA_FISICA = RegexValidator(
    r"^[A-ZÑ&]{4}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[A-Z\d]{3}$",
    message=_("El RFC debe tener 13 caracteres: 4 letras, fecha AAMMDD y homoclave."),
    code="rfc_invalido",
)

ERROR_PERFIL_ENTE_Y_AREAS = _(
    "Una persona pertenece a una dependencia o a áreas de la Subsecretaría, no a ambas."
)


class Ente(models.Model):
    """A state agency (dependencia or entidad) that requests dictámenes."""

    class Tipo(models.TextChoices):
        DEPENDENCIA = "dependencia", _("Dependencia")
        ENTIDAD = "entidad", _("Entidad paraestatal")
        DESCONCENTRADO = "desconcentrado", _("Órgano desconcentrado")

    nombre = models.CharField(_("nombre"), max_length=200, unique=True)
    siglas = models.CharField(_("siglas"), max_length=20, unique=True)
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    activo = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("ente")
        verbose_name_plural = _("entes")
        ordering = ["nombre"]

    def __str__(self) -> str:
        return f"{self.nombre} ({self.siglas})"


class Area(models.Model):
    """A review area of the Subsecretaría; each owns some categories of the standards."""

    clave = models.SlugField(_("clave"), max_length=40, unique=True)
    nombre = models.CharField(_("nombre"), max_length=120, unique=True)
    activa = models.BooleanField(_("activa"), default=True)

    class Meta:
        verbose_name = _("área de revisión")
        verbose_name_plural = _("áreas de revisión")
        ordering = ["nombre"]

    def __str__(self) -> str:
        return self.nombre


class Perfil(models.Model):
    """Who a person is in the procedure: an agency's staff, or the Subsecretaría's."""

    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="perfil",
        verbose_name=_("usuario"),
    )
    rfc = models.CharField(
        _("RFC"),
        max_length=13,
        unique=True,
        validators=[RFC_PERSONA_FISICA],
        help_text=_("Debe coincidir con el RFC de la e.firma de la persona."),
    )
    cargo = models.CharField(_("cargo"), max_length=200, blank=True)
    ente = models.ForeignKey(
        Ente,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="personal",
        verbose_name=_("ente"),
    )
    areas = models.ManyToManyField(
        Area, blank=True, related_name="personal", verbose_name=_("áreas")
    )

    class Meta:
        verbose_name = _("perfil")
        verbose_name_plural = _("perfiles")
        ordering = ["usuario__username"]

    def __str__(self) -> str:
        return self.usuario.get_full_name() or self.usuario.get_username()

    def clean(self) -> None:
        self.rfc = (self.rfc or "").strip().upper()
        # The M2M can only be checked once saved; services call validar_pertenencia too.
        if self.ente_id and self.pk and self.areas.exists():
            raise ValidationError(ERROR_PERFIL_ENTE_Y_AREAS, code="ente_y_areas")
