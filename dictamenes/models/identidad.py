"""Sign-in with the state's identity: the people a provider vouched for whom no account
matches yet."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccesoPendiente(models.Model):
    """Someone an identity provider (OpenID Connect, Llave) authenticated whose e-mail and
    CURP match no account here. Nobody is given an account by signing in: an administrator
    sees them on «Personas y roles», registers the account and grants its role through the
    audited service; the next sign-in links it."""

    # Written from what the provider asserted, never typed into a form.
    proveedor = models.CharField(_("proveedor"), max_length=40)
    # The button's name («Llave …» of the state), for people; `proveedor` is its key.
    proveedor_nombre = models.CharField(_("nombre del proveedor"), max_length=100, blank=True)
    uid = models.CharField(_("identificador en el proveedor"), max_length=255)
    correo = models.EmailField(_("correo"), blank=True)
    curp = models.CharField(_("CURP"), max_length=18, blank=True)
    nombre = models.CharField(_("nombre"), max_length=200, blank=True)
    intentos = models.PositiveIntegerField(_("intentos"), default=1)
    primera_vez = models.DateTimeField(_("primera vez"), auto_now_add=True)
    ultima_vez = models.DateTimeField(_("última vez"))
    atendido_en = models.DateTimeField(_("atendido en"), null=True, blank=True)
    cuenta = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cuenta vinculada"),
    )

    class Meta:
        verbose_name = _("acceso pendiente")
        verbose_name_plural = _("accesos pendientes")
        ordering = ["-ultima_vez"]
        constraints = [
            models.UniqueConstraint(fields=["proveedor", "uid"], name="acceso_pendiente_unico")
        ]

    def __str__(self) -> str:
        return self.nombre or self.correo or self.curp or self.uid


class CuentaEmergencia(models.Model):
    """Which account is the break-glass one (issue 48): the account itself, not its username,
    which any administrator may edit. Designated once from DJANGO_CUENTA_EMERGENCIA, the first
    time that account exists (organizacion.services.emergencia), and after that only by the
    `designar_cuenta_emergencia` command on the server."""

    unica = models.BooleanField(default=True, unique=True, editable=False)
    usuario = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cuenta de emergencia"),
    )
    designada_en = models.DateTimeField(_("designada en"), auto_now=True)

    class Meta:
        verbose_name = _("cuenta de emergencia")
        verbose_name_plural = _("cuenta de emergencia")

    def __str__(self) -> str:
        return str(self.usuario)
