"""Red flags (issue 80): the signs that a request deserves a second look, each with its stated
rule (dictamenes.senales.catalogo), its evidence and what whoever decided did about it; and the
delivery recorded after a contract (an acta de entrega-recepción and what was paid).

A sign is never an accusation: «señal», not «irregularidad». The signs are computed by the
doors that change what they read (dictamenes.senales.services.senales_actualizar), kept here,
and never on a page's load."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dictamenes.models.catalogos import Ente
from dictamenes.models.contratos import Contrato
from dictamenes.models.solicitudes import Solicitud
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import LARGO_MAX, TextoCorto, TextoLargo


class CodigoSenal(models.TextChoices):
    """The catalogue's codes; each one's rule, threshold and source are in
    dictamenes.senales.catalogo."""

    FRACCIONAMIENTO = "fraccionamiento", _("Posible fraccionamiento")
    PRECIO_ALTO = "precio_alto", _("Precio sobre la referencia")
    POCAS_COTIZACIONES = "pocas_cotizaciones", _("Menos de tres cotizaciones independientes")
    COBERTURA = "cobertura", _("Cotizaciones que parecen de cobertura")
    PROVEEDOR_DEL_ENTE = "proveedor_del_ente", _("Cotiza el propio ente o su personal")
    CONTRATO_EXCEDE = "contrato_excede", _("Contrato sobre lo aprobado")
    CONTRATO_SIN_COTIZACION = "contrato_sin_cotizacion", _("Contrato con quien no cotizó")
    APROBADA_SIN_MOTIVO = "aprobada_sin_motivo", _("Aprobada sobre la referencia sin motivo")
    PROVEEDOR_DOMINANTE = "proveedor_dominante", _("Un proveedor concentra el gasto del ente")
    CIERRE_DE_EJERCICIO = "cierre_de_ejercicio", _("Presentada al cierre del ejercicio")
    VIGENCIA_VENCIDA = "vigencia_vencida", _("Contrato después de la vigencia del dictamen")
    CONDICIONES_VENCIDAS = "condiciones_vencidas", _("Condiciones vencidas")
    ENTREGA_FALTANTE = "entrega_faltante", _("Sin entrega registrada")
    PAGO_EXCEDE = "pago_excede", _("Pago sobre el contrato")
    ENTREGA_DISTINTA = "entrega_distinta", _("Entrega distinta de lo aprobado")


class Senal(models.Model):
    """One sign on one request: the sentence that says what was found in this request, the
    evidence it links to, the suppliers it names (SenalProveedor), and, once someone who
    decides on the request looked at it, what they did. A sign that no longer holds after
    what it read changed is kept, with `retirada_en`, for the agency's and supplier's history."""

    class Atencion(models.TextChoices):
        SIN_EFECTO = "sin_efecto", _("Revisada: no cambia la decisión")
        PREVENCION = "prevencion", _("Se pidió al ente que corrija o explique")
        DECISION = "decision", _("Se tomó en cuenta en la decisión")
        VISTA = "vista", _("Se dio vista al órgano interno de control")

    solicitud = models.ForeignKey(
        Solicitud, on_delete=models.CASCADE, related_name="senales", verbose_name=_("solicitud")
    )
    codigo = models.CharField(_("señal"), max_length=30, choices=CodigoSenal.choices)
    # Copied from the request, for the auditor's filters and the open data's counts.
    ente = models.ForeignKey(
        Ente, on_delete=models.PROTECT, related_name="+", verbose_name=_("ente")
    )
    ejercicio = models.PositiveSmallIntegerField(_("ejercicio fiscal"))
    texto = TextoLargo(_("qué se encontró"), max_length=LARGO_MAX)
    # [{"texto": str, "enlace": str}]: what the sign read (an item, a quote, a contract...).
    evidencia = models.JSONField(_("evidencia"), default=list, blank=True)
    # The thresholds it was computed with ({"precio_senal_pct": 25, ...}).
    umbrales = models.JSONField(_("umbrales"), default=dict, blank=True)
    vigente = models.BooleanField(_("vigente"), default=True)
    detectada_en = models.DateTimeField(_("detectada en"))
    retirada_en = models.DateTimeField(_("ya no se cumple desde"), null=True, blank=True)
    atencion = models.CharField(
        _("qué se hizo"), max_length=12, choices=Atencion.choices, blank=True
    )
    atencion_nota = TextoLargo(
        _("nota de quien la atendió"),
        max_length=2_000,
        blank=True,
        validators=[SIN_DATOS_PERSONALES],
    )
    atendida_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("atendida por"),
    )
    atendida_en = models.DateTimeField(_("atendida en"), null=True, blank=True)

    class Meta:
        verbose_name = _("señal")
        verbose_name_plural = _("señales")
        ordering = ["solicitud", "codigo"]
        constraints = [models.UniqueConstraint(fields=["solicitud", "codigo"], name="senal_unica")]
        indexes = [
            models.Index(fields=["codigo", "ejercicio"], name="senal_codigo_idx"),
            models.Index(fields=["ente", "ejercicio"], name="senal_ente_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_codigo_display()} · {self.solicitud_id}"


class SenalProveedor(models.Model):
    """A supplier a sign names, as written and as the price rule compares names
    (estandares.identidad.nombre_canonico): the supplier's page reads it."""

    senal = models.ForeignKey(
        Senal, on_delete=models.CASCADE, related_name="proveedores", verbose_name=_("señal")
    )
    nombre = TextoCorto(_("proveedor"), max_length=200)
    clave = models.CharField(_("clave del proveedor"), max_length=200, db_index=True)

    class Meta:
        verbose_name = _("proveedor de una señal")
        verbose_name_plural = _("proveedores de las señales")
        ordering = ["senal", "clave"]
        constraints = [
            models.UniqueConstraint(fields=["senal", "clave"], name="senal_proveedor_unico")
        ]

    def __str__(self) -> str:
        return self.nombre


class Entrega(models.Model):
    """What was delivered and paid under a contract: the acta de entrega-recepción (an Anexo
    of type «Acta de entrega-recepción»), its date, what was paid and, per approved item, the
    quantity received ({"<partida id>": n})."""

    contrato = models.ForeignKey(
        Contrato, on_delete=models.PROTECT, related_name="entregas", verbose_name=_("contrato")
    )
    fecha = models.DateField(_("fecha del acta de entrega-recepción"))
    anexo = models.OneToOneField(
        "dictamenes.Anexo",
        on_delete=models.PROTECT,
        related_name="entrega",
        verbose_name=_("acta de entrega-recepción"),
    )
    monto_pagado = models.DecimalField(
        _("monto pagado (MXN)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    cantidades = models.JSONField(_("cantidades recibidas por partida"), default=dict, blank=True)
    registrada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrada por"),
    )
    registrada_en = models.DateTimeField(_("registrada en"))

    class Meta:
        verbose_name = _("entrega")
        verbose_name_plural = _("entregas")
        ordering = ["fecha", "id"]

    def __str__(self) -> str:
        return f"{self.contrato} · {self.fecha:%d/%m/%Y}"
