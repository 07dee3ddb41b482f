"""The purchase made under a dictamen: the contract the agency signed with its supplier."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dictamenes.models.dictamenes import Dictamen
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import TextoCorto, TextoLargo
from estandares.identidad import validar_rfc

MOTIVO_EXCESO_MAX = 1000


def excede_lo_aprobado(*, contratado: Decimal, monto: Decimal, aprobado: Decimal) -> bool:
    """The rule of a contract over the dictamen, written once: the running total (what is
    already contracted under it plus this amount) passes what it approved. Equal is within.
    The service (seguimiento.services.contratos), the form's live check and the page read it."""
    return contratado + monto > aprobado


def pasa_la_tolerancia(*, total: Decimal, aprobado: Decimal, tolerancia_pct: int) -> bool:
    """The rule of a contract the requester may not record alone (issue 76, item 2), written
    once: the running total passes what the dictamen approved by more than the office's
    tolerance (equal is within). The service and the form's live check read it."""
    return total > aprobado * (1 + Decimal(tolerancia_pct) / 100)


@dataclass(frozen=True)
class TopeDeContratos:
    """What a dictamen approved and what is already contracted under it: what the contract
    form shows, and what a new amount is compared with."""

    aprobado: Decimal
    contratado: Decimal
    # The office's tolerance (ConfiguracionVias.contrato_tolerancia_pct): past it, a contract
    # waits for the strategic reviewer. None: not told.
    tolerancia_pct: int | None = None

    @property
    def restante(self) -> Decimal:
        """What may still be contracted without passing the approved total (0 once passed)."""
        return max(self.aprobado - self.contratado, Decimal(0))

    def excede(self, monto: Decimal) -> bool:
        return excede_lo_aprobado(contratado=self.contratado, monto=monto, aprobado=self.aprobado)

    def con(self, monto: Decimal | None) -> dict | None:
        """What the form says of an amount being typed (None for no amount): the running
        total it would make and whether it passes the approved total."""
        if monto is None or monto <= 0:
            return None
        total = self.contratado + monto
        return {
            "monto": monto,
            "total": total,
            "excede": self.excede(monto),
            "espera": self.tolerancia_pct is not None
            and pasa_la_tolerancia(
                total=total, aprobado=self.aprobado, tolerancia_pct=self.tolerancia_pct
            ),
            "tolerancia_pct": self.tolerancia_pct,
        }


class ContratoQuerySet(models.QuerySet):
    def que_cuentan(self):
        """The contracts that count as contracted (figures, the register, OCDS's amounts): not
        those waiting for, or refused by, the strategic reviewer (issue 76, item 2)."""
        return self.filter(
            autorizacion__in=[Contrato.Autorizacion.NO_REQUERIDA, Contrato.Autorizacion.AUTORIZADA]
        )

    def no_rechazados(self):
        """What a new contract's running total adds to: every contract but the refused."""
        return self.exclude(autorizacion=Contrato.Autorizacion.RECHAZADA)


class Contrato(models.Model):
    """A contract the agency records under its favourable dictamen. The signals compare it
    with what the dictamen allowed when it was recorded: the total contracted over what the
    dictamen approved (then with the agency's reason, motivo_exceso), a date after its
    validity, or before the dictamen itself, or a condition to be met before contracting
    still unmet."""

    dictamen = models.ForeignKey(
        Dictamen, on_delete=models.PROTECT, related_name="contratos", verbose_name=_("dictamen")
    )
    numero = TextoCorto(_("número de contrato"), max_length=100, validators=[SIN_DATOS_PERSONALES])
    proveedor = TextoCorto(_("proveedor"), max_length=200, validators=[SIN_DATOS_PERSONALES])
    # Issue 88: the supplier's RFC in its own field, compact and in capitals: a company's (12
    # characters) is published as the OCDS party's identifier (MX-RFC); a person's (13) never.
    proveedor_rfc = models.CharField(
        _("RFC del proveedor"), max_length=13, blank=True, validators=[validar_rfc]
    )
    fecha = models.DateField(_("fecha del contrato"))
    # When the contract ends (issue 80): the delivery is due by then; a delivery not recorded
    # some business days later is a sign. Empty: its date.
    termino = models.DateField(_("fecha de término"), null=True, blank=True)
    monto = models.DecimalField(
        _("monto contratado (MXN)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    # Why the agency contracts more than the dictamen approved: required, and kept, only when
    # the running total passes it (issue 61).
    motivo_exceso = TextoLargo(
        _("motivo para contratar más de lo aprobado"),
        max_length=MOTIVO_EXCESO_MAX,
        blank=True,
        validators=[SIN_DATOS_PERSONALES],
    )
    excede_monto = models.BooleanField(_("excede el monto del dictamen"), default=False)
    fuera_de_vigencia = models.BooleanField(_("después de la vigencia"), default=False)
    antes_del_dictamen = models.BooleanField(_("antes del dictamen"), default=False)
    condicion_pendiente = models.BooleanField(
        _("con una condición previa sin cumplir"), default=False
    )

    # Issue 76, items 1–2. The contract's document (an Anexo of type «Contrato»); a contract
    # whose running total passes the approved total by more than the office's tolerance waits
    # for the strategic reviewer (PENDIENTE) and enters no figure until authorised; a
    # contract's price enters the reference only once someone who is not the requester has
    # checked it against its document (verificado_por).
    class Autorizacion(models.TextChoices):
        NO_REQUERIDA = "no_requerida", _("dentro de lo aprobado o de la tolerancia")
        PENDIENTE = "pendiente", _("en espera de la revisión estratégica")
        AUTORIZADA = "autorizada", _("autorizado por la revisión estratégica")
        RECHAZADA = "rechazada", _("no autorizado por la revisión estratégica")

    anexo = models.OneToOneField(
        "dictamenes.Anexo",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contrato",
        verbose_name=_("documento del contrato"),
    )
    autorizacion = models.CharField(
        _("autorización"),
        max_length=15,
        choices=Autorizacion.choices,
        default=Autorizacion.NO_REQUERIDA,
    )
    autorizado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("autorizado o rechazado por"),
    )
    autorizado_en = models.DateTimeField(_("autorizado o rechazado en"), null=True, blank=True)
    motivo_autorizacion = TextoLargo(
        _("motivo de la revisión estratégica"),
        max_length=MOTIVO_EXCESO_MAX,
        blank=True,
        validators=[SIN_DATOS_PERSONALES],
    )
    verificado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verificado contra su documento por"),
    )
    verificado_en = models.DateTimeField(_("verificado en"), null=True, blank=True)
    # Issue 93, item 6: when the server first sent the contract's document to whoever checked
    # it (their audit event «contrato_documento_abierto»), kept with the check.
    documento_abierto_en = models.DateTimeField(
        _("documento abierto por quien lo verificó en"), null=True, blank=True
    )
    registrado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrado por"),
    )
    registrado_en = models.DateTimeField(_("registrado en"))

    objects = ContratoQuerySet.as_manager()

    class Meta:
        verbose_name = _("contrato")
        verbose_name_plural = _("contratos")
        ordering = ["fecha", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dictamen", "numero"], name="contrato_numero_unico")
        ]

    def __str__(self) -> str:
        return f"{self.numero} · {self.proveedor}"

    @property
    def cuenta(self) -> bool:
        """Whether the contract counts as contracted (figures, OCDS contracts): not while it
        waits for, or after it was refused by, the strategic reviewer."""
        return self.autorizacion in (
            self.Autorizacion.NO_REQUERIDA,
            self.Autorizacion.AUTORIZADA,
        )

    @property
    def senalado(self) -> bool:
        return (
            self.excede_monto
            or self.fuera_de_vigencia
            or self.antes_del_dictamen
            or self.condicion_pendiente
        )
