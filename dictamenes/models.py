import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

# RFC of a natural person (13 characters): 4 letters, birth date YYMMDD, 3-character homoclave.
RFC_PERSONA_FISICA = RegexValidator(
    r"^[A-ZÑ&]{4}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[A-Z\d]{3}$",
    message=_("El RFC debe tener 13 caracteres: 4 letras, fecha AAMMDD y homoclave."),
    code="rfc_invalido",
)

ERROR_PERFIL_ENTE_Y_AREAS = _(
    "Una persona pertenece a una dependencia o a áreas de la Subsecretaría, no a ambas."
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


class Ente(EtiquetasEnCache, models.Model):
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
        # Granted per object to the agency's own requirente group only.
        permissions = [("actuar_como_requirente", _("Presentar y corregir solicitudes del ente"))]

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
        # Granted per object to the area's reviewer group.
        permissions = [("revisar_area", _("Revisar las partidas del área"))]

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
    es_jefe = models.BooleanField(
        _("jefe de área"),
        default=False,
        help_text=_("Puede reasignar tareas entre personas del mismo rol."),
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


# --- Calendar --------------------------------------------------------------------------------


class DiaInhabil(models.Model):
    """A day declared non-working by the Subsecretaría, on top of the federal holidays."""

    fecha = models.DateField(_("fecha"), unique=True)
    descripcion = models.CharField(_("descripción"), max_length=200)

    class Meta:
        verbose_name = _("día inhábil")
        verbose_name_plural = _("días inhábiles")
        ordering = ["fecha"]

    def __str__(self) -> str:
        return f"{self.fecha:%d/%m/%Y} · {self.descripcion}"


class PlazoEtapa(EtiquetasEnCache, models.Model):
    """The deadline of each step, in business days; administrators edit it."""

    class Etapa(models.TextChoices):
        ADMISION = "admision", _("Admisión")
        SUBSANAR = "subsanar", _("Subsanar la prevención")
        REVISION_AREA = "revision_area", _("Revisión técnica por área")
        REVISION_ESTRATEGICA = "revision_estrategica", _("Revisión estratégica")
        FIRMA = "firma", _("Firma")

    etapa = models.CharField(_("etapa"), max_length=30, choices=Etapa.choices, unique=True)
    dias_habiles = models.PositiveSmallIntegerField(_("días hábiles"))

    class Meta:
        verbose_name = _("plazo de etapa")
        verbose_name_plural = _("plazos de etapa")
        ordering = ["etapa"]

    def __str__(self) -> str:
        return f"{self.get_etapa_display()}: {self.dias_habiles} días hábiles"


# --- Requests ---------------------------------------------------------------------------------


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


class Solicitud(EtiquetasEnCache, models.Model):
    """A request for a dictamen, from one agency. Its state moves only through the flow."""

    class Estado(models.TextChoices):
        BORRADOR = "borrador", _("Borrador")
        ADMISION = "admision", _("En admisión")
        PREVENIDA = "prevenida", _("Prevenida")
        REVISION_TECNICA = "revision_tecnica", _("En revisión técnica")
        REVISION_ESTRATEGICA = "revision_estrategica", _("En revisión estratégica")
        FIRMA = "firma", _("En firma")
        DICTAMINADA = "dictaminada", _("Dictaminada")
        DESECHADA = "desechada", _("Desechada")

    ente = models.ForeignKey(
        Ente, on_delete=models.PROTECT, related_name="solicitudes", verbose_name=_("ente")
    )
    folio = models.CharField(_("folio"), max_length=30, unique=True, null=True, blank=True)
    ejercicio = models.PositiveSmallIntegerField(_("ejercicio fiscal"))
    tipo_operacion = models.CharField(
        _("tipo de operación"), max_length=20, choices=TipoOperacion.choices
    )
    titulo = models.CharField(_("título"), max_length=250)
    justificacion = models.TextField(_("justificación"))
    alineacion = models.TextField(
        _("alineación al Programa de Gobierno Digital"),
        help_text=_("Objetivo, estrategia o línea de acción del programa que atiende."),
    )
    monto_estimado = models.DecimalField(
        _("monto total estimado (MXN)"), max_digits=14, decimal_places=2
    )
    estado = models.CharField(
        _("estado"),
        max_length=25,
        choices=Estado.choices,
        default=Estado.BORRADOR,
        editable=False,
    )
    resultado = models.CharField(
        _("resultado"), max_length=15, choices=Resultado.choices, blank=True, editable=False
    )
    presentada_en = models.DateTimeField(_("presentada en"), null=True, blank=True, editable=False)
    # Set when the request is attended (a dictamen issued, or closed as desechada).
    atendida_en = models.DateTimeField(_("atendida en"), null=True, blank=True, editable=False)
    # None until presented; then whether it matched a line of the agency's annual programme.
    planeada = models.BooleanField(_("planeada"), null=True, blank=True, editable=False)
    dias_habiles_atencion = models.PositiveSmallIntegerField(
        _("días hábiles de atención"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Sin contar el tiempo en que la solicitud esperó al requirente."),
    )
    creada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("creada por"),
    )
    creada_en = models.DateTimeField(_("creada en"), auto_now_add=True)
    actualizada_en = models.DateTimeField(_("actualizada en"), auto_now=True)
    # Optimistic locking: every edit of the general data through tramite raises it, and an
    # edit made from an older version is refused instead of silently overwriting another's.
    version = models.PositiveIntegerField(_("versión"), default=1, editable=False)

    class Meta:
        verbose_name = _("solicitud de dictamen")
        verbose_name_plural = _("solicitudes de dictamen")
        ordering = ["-creada_en"]
        indexes = [
            models.Index(fields=["ente", "ejercicio"]),
            models.Index(fields=["estado", "ejercicio"]),
            models.Index(fields=["-creada_en", "-id"], name="solicitud_recientes_idx"),
            models.Index(fields=["ejercicio", "presentada_en"]),
        ]
        permissions = [
            ("admitir_solicitud", _("Admitir o prevenir solicitudes")),
            ("decidir_solicitud", _("Decidir el resultado de una solicitud")),
            ("firmar_dictamen", _("Firmar dictámenes")),
            ("reasignar_tarea", _("Reasignar tareas dentro del mismo rol")),
        ]

    def __str__(self) -> str:
        return f"{self.folio or _('Borrador')} · {self.titulo}"

    @property
    def es_borrador(self) -> bool:
        return self.estado == self.Estado.BORRADOR

    @property
    def dictamen_vigente(self):
        return next((d for d in self.dictamenes.all() if d.cancelado_en is None), None)


class Partida(EtiquetasEnCache, models.Model):
    class Capitulo(models.TextChoices):
        C2000 = "2000", _("2000 · Materiales y suministros")
        C3000 = "3000", _("3000 · Servicios generales")
        C5000 = "5000", _("5000 · Bienes muebles, inmuebles e intangibles")

    solicitud = models.ForeignKey(
        Solicitud, on_delete=models.CASCADE, related_name="partidas", verbose_name=_("solicitud")
    )
    perfil = models.ForeignKey(
        "estandares.Perfil",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("perfil técnico"),
    )
    descripcion = models.CharField(_("descripción"), max_length=300)
    cantidad = models.PositiveIntegerField(_("cantidad"))
    precio_unitario = models.DecimalField(
        _("precio unitario (MXN)"), max_digits=14, decimal_places=2
    )
    capitulo = models.CharField(_("capítulo"), max_length=4, choices=Capitulo.choices)
    partida_especifica = models.CharField(
        _("partida específica"),
        max_length=5,
        validators=[RegexValidator(r"^\d{4,5}$", _("Use los 4 o 5 dígitos de la partida."))],
    )
    especificaciones = models.JSONField(_("especificaciones"), default=dict, blank=True)
    # The engine's result, stored as judged: the edition and every requisito's outcome.
    evaluacion = models.JSONField(_("evaluación"), default=dict, blank=True, editable=False)
    veredicto = models.CharField(_("veredicto"), max_length=15, blank=True, editable=False)
    # Optimistic locking, as on Solicitud: raised by every change through tramite.
    version = models.PositiveIntegerField(_("versión"), default=1, editable=False)

    class Meta:
        verbose_name = _("partida")
        verbose_name_plural = _("partidas")
        ordering = ["solicitud", "id"]

    def __str__(self) -> str:
        return self.descripcion

    @property
    def importe(self):
        return self.cantidad * self.precio_unitario


def _ruta_anexo(anexo, nombre: str) -> str:
    solicitud = anexo.solicitud
    carpeta = (solicitud.folio or f"borrador-{solicitud.pk}").replace("/", "-")
    return f"expedientes/{solicitud.ejercicio}/{carpeta}/{anexo.tipo}/{nombre}"


class Anexo(EtiquetasEnCache, models.Model):
    class Tipo(models.TextChoices):
        OFICIO = "oficio", _("Oficio de solicitud")
        ANEXO_TECNICO = "anexo_tecnico", _("Anexo técnico")
        COTIZACION = "cotizacion", _("Cotización")
        JUSTIFICACION = "justificacion", _("Justificación")
        INFORMACION = "informacion", _("Información adicional")

    solicitud = models.ForeignKey(
        Solicitud, on_delete=models.CASCADE, related_name="anexos", verbose_name=_("solicitud")
    )
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    archivo = models.FileField(_("archivo"), upload_to=_ruta_anexo, max_length=300)
    nombre = models.CharField(_("nombre original"), max_length=160)
    content_type = models.CharField(_("tipo de contenido"), max_length=120)
    tamano = models.PositiveBigIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    advertencias = models.JSONField(_("advertencias"), default=list, blank=True)
    subido_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("subido por"),
    )
    subido_en = models.DateTimeField(_("subido en"), auto_now_add=True)

    class Meta:
        verbose_name = _("anexo")
        verbose_name_plural = _("anexos")
        ordering = ["solicitud", "tipo", "subido_en"]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()}: {self.nombre}"


class Consecutivo(models.Model):
    """The last folio number handed out for a series and year. Incremented under a row lock
    inside the presenting transaction, so a rollback returns the number: no gaps, no repeats."""

    serie = models.CharField(_("serie"), max_length=20)
    ejercicio = models.PositiveSmallIntegerField(_("ejercicio"))
    ultimo = models.PositiveIntegerField(_("último"), default=0)

    class Meta:
        verbose_name = _("consecutivo")
        verbose_name_plural = _("consecutivos")
        constraints = [
            models.UniqueConstraint(fields=["serie", "ejercicio"], name="consecutivo_unico")
        ]

    def __str__(self) -> str:
        return f"{self.serie} {self.ejercicio}: {self.ultimo}"


class _EventosQuerySet(models.QuerySet):
    """Bulk writes are refused too: history is only ever appended."""

    def update(self, **kwargs):
        raise ValidationError(_("Los eventos de auditoría no se modifican."), code="inmutable")

    def delete(self):
        raise ValidationError(_("Los eventos de auditoría no se borran."), code="inmutable")


class EventoAuditoria(models.Model):
    """Who did what, when and why. Written by the service that makes the change, in the same
    transaction. Append-only and chained: each event holds the hash of the one before and its
    own hash over a canonical serialisation, so rewriting history breaks the chain
    (auditoria.cadena_verificar). On PostgreSQL a trigger also refuses UPDATE and DELETE."""

    numero = models.PositiveBigIntegerField(_("número"), unique=True, editable=False)
    solicitud = models.ForeignKey(
        Solicitud,
        on_delete=models.PROTECT,
        related_name="eventos",
        null=True,
        blank=True,
        verbose_name=_("solicitud"),
    )
    tipo = models.CharField(_("tipo"), max_length=40, db_index=True)
    descripcion = models.CharField(_("descripción"), max_length=300)
    motivo = models.TextField(_("motivo"), blank=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("usuario"),
    )
    datos = models.JSONField(_("datos"), default=dict, blank=True)
    ocurrido_en = models.DateTimeField(_("ocurrido en"), db_index=True, editable=False)
    anterior_hash = models.CharField(_("hash del evento anterior"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    objects = _EventosQuerySet.as_manager()

    class Meta:
        verbose_name = _("evento de auditoría")
        verbose_name_plural = _("eventos de auditoría")
        ordering = ["numero"]

    def __str__(self) -> str:
        return f"#{self.numero} {self.ocurrido_en:%Y-%m-%d %H:%M} {self.descripcion}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(_("Los eventos de auditoría no se modifican."), code="inmutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Los eventos de auditoría no se borran."), code="inmutable")


# --- Review ----------------------------------------------------------------------------------


class RevisionArea(EtiquetasEnCache, models.Model):
    """One area's technical review of a request. A request sent back gets a new round."""

    class Opinion(models.TextChoices):
        FAVORABLE = "favorable", _("Favorable")
        CON_OBSERVACIONES = "observaciones", _("Favorable con observaciones")
        NO_FAVORABLE = "no_favorable", _("No favorable")

    solicitud = models.ForeignKey(
        Solicitud,
        on_delete=models.CASCADE,
        related_name="revisiones",
        verbose_name=_("solicitud"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("área")
    )
    ronda = models.PositiveSmallIntegerField(_("ronda"), default=1)
    revisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revisor"),
    )
    opinion = models.CharField(_("opinión"), max_length=15, choices=Opinion.choices)
    observaciones = models.TextField(_("observaciones"), blank=True)
    concluida_en = models.DateTimeField(_("concluida en"), auto_now_add=True)

    class Meta:
        verbose_name = _("revisión de área")
        verbose_name_plural = _("revisiones de área")
        ordering = ["solicitud", "area__nombre", "ronda"]
        constraints = [
            models.UniqueConstraint(fields=["solicitud", "area", "ronda"], name="revision_unica")
        ]

    def __str__(self) -> str:
        return f"{self.area} · ronda {self.ronda}"


class OpinionPartida(models.Model):
    """The reviewer's opinion on one item, with any override of the engine's result."""

    revision = models.ForeignKey(
        RevisionArea,
        on_delete=models.CASCADE,
        related_name="opiniones",
        verbose_name=_("revisión"),
    )
    partida = models.ForeignKey(
        Partida, on_delete=models.CASCADE, related_name="opiniones", verbose_name=_("partida")
    )
    opinion = models.TextField(_("opinión técnica"))
    # {clave del requisito: {"resultado": ..., "motivo": ..., "motor": resultado original}}
    ajustes = models.JSONField(_("ajustes al resultado del motor"), default=dict, blank=True)

    class Meta:
        verbose_name = _("opinión sobre partida")
        verbose_name_plural = _("opiniones sobre partidas")
        ordering = ["revision", "partida"]

    def __str__(self) -> str:
        return f"{self.partida} · {self.revision}"


class PeticionInformacion(models.Model):
    """A reviewer asks the agency for more information; the area's clock stops meanwhile."""

    solicitud = models.ForeignKey(
        Solicitud,
        on_delete=models.CASCADE,
        related_name="peticiones",
        verbose_name=_("solicitud"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("área")
    )
    pregunta = models.TextField(_("información solicitada"))
    pedida_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pedida por"),
    )
    pedida_en = models.DateTimeField(_("pedida en"), auto_now_add=True)
    respuesta = models.TextField(_("respuesta"), blank=True)
    respondida_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("respondida por"),
    )
    respondida_en = models.DateTimeField(_("respondida en"), null=True, blank=True)

    class Meta:
        verbose_name = _("petición de información")
        verbose_name_plural = _("peticiones de información")
        ordering = ["pedida_en"]

    def __str__(self) -> str:
        return f"{self.area}: {self.pregunta[:60]}"

    @property
    def abierta(self) -> bool:
        return self.respondida_en is None


def _ruta_dictamen(dictamen, nombre: str) -> str:
    solicitud = dictamen.solicitud
    return f"expedientes/{solicitud.ejercicio}/{solicitud.folio}/{nombre}"


class Dictamen(EtiquetasEnCache, models.Model):
    """The issued, signed dictamen. Never deleted or overwritten: a cancellation is recorded
    on it with its own seal, and a rectification is a new dictamen that points to it."""

    solicitud = models.ForeignKey(
        Solicitud, on_delete=models.PROTECT, related_name="dictamenes", verbose_name=_("solicitud")
    )
    folio = models.CharField(_("folio"), max_length=40, unique=True)
    resultado = models.CharField(_("resultado"), max_length=15, choices=Resultado.choices)
    condiciones = models.TextField(_("condiciones"), blank=True)
    motivos = models.TextField(_("motivos"))
    vigencia_hasta = models.DateField(_("vigente hasta"))
    firmado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("firmado por"),
    )
    firmante_nombre = models.CharField(_("nombre de quien firma"), max_length=200)
    firmante_cargo = models.CharField(_("cargo de quien firma"), max_length=200)
    emitido_en = models.DateTimeField(_("emitido en"))
    # What was signed, and how.
    contenido_sha256 = models.CharField(_("SHA-256 del contenido"), max_length=64)
    cadena_original = models.TextField(_("cadena original"))
    sello = models.TextField(_("sello digital"))
    certificado_numero = models.CharField(_("número de certificado"), max_length=40)
    certificado_rfc = models.CharField(_("RFC del certificado"), max_length=13)
    certificado_pem = models.TextField(_("certificado"))
    pdf = models.FileField(_("PDF firmado"), upload_to=_ruta_dictamen, max_length=300)
    pdf_sha256 = models.CharField(_("SHA-256 del PDF"), max_length=64, db_index=True)
    sustituye = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectificaciones",
        verbose_name=_("rectifica al dictamen"),
    )
    cancelado_en = models.DateTimeField(_("cancelado en"), null=True, blank=True)
    cancelado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelado por"),
    )
    motivo_cancelacion = models.TextField(_("motivo de la cancelación"), blank=True)
    cadena_cancelacion = models.TextField(_("cadena original de la cancelación"), blank=True)
    sello_cancelacion = models.TextField(_("sello de la cancelación"), blank=True)

    class Meta:
        verbose_name = _("dictamen")
        verbose_name_plural = _("dictámenes")
        ordering = ["-emitido_en"]
        # The register, its exports and the API list newest first.
        indexes = [models.Index(fields=["-emitido_en", "-id"], name="dictamen_recientes_idx")]
        constraints = [
            # At most one dictamen in force per request; a rectification cancels the old one.
            models.UniqueConstraint(
                fields=["solicitud"],
                condition=models.Q(cancelado_en__isnull=True),
                name="un_dictamen_vigente_por_solicitud",
            )
        ]

    def __str__(self) -> str:
        return f"{self.folio} · {self.get_resultado_display()}"

    ESTADOS = {"cancelado": _("Cancelado"), "vencido": _("Vencido"), "vigente": _("Vigente")}

    @staticmethod
    def estado_en(*, cancelado_en, vigencia_hasta, hoy) -> str:
        if cancelado_en:
            return "cancelado"
        if vigencia_hasta < hoy:
            return "vencido"
        return "vigente"

    @property
    def estado(self) -> str:
        from django.utils import timezone

        return self.estado_en(
            cancelado_en=self.cancelado_en,
            vigencia_hasta=self.vigencia_hasta,
            hoy=timezone.localdate(),
        )

    @property
    def estado_display(self) -> str:
        return self.ESTADOS[self.estado]


class Sustitucion(models.Model):
    """A reviewer on leave names a substitute for a date range."""

    titular = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sustituciones",
        verbose_name=_("titular"),
    )
    suplente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="suplencias",
        verbose_name=_("suplente"),
    )
    desde = models.DateField(_("desde"))
    hasta = models.DateField(_("hasta"))
    motivo = models.CharField(_("motivo"), max_length=200)

    class Meta:
        verbose_name = _("sustitución")
        verbose_name_plural = _("sustituciones")
        ordering = ["-desde"]

    def __str__(self) -> str:
        return f"{self.suplente} por {self.titular} ({self.desde} a {self.hasta})"


# --- Process (viewflow) ------------------------------------------------------------------------


class ProcesoDictamen(Process):
    """The viewflow process of one request: routing data only; the rules live in services."""

    solicitud = models.OneToOneField(
        Solicitud, on_delete=models.PROTECT, related_name="proceso", verbose_name=_("solicitud")
    )
    admitida = models.BooleanField(_("admitida"), default=False)
    subsanar_vence = models.DateTimeField(_("vence el plazo para subsanar"), null=True, blank=True)
    area_devuelta = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("área a la que se devolvió"),
    )

    class Meta:
        verbose_name = _("proceso de dictamen")
        verbose_name_plural = _("procesos de dictamen")


# --- Annual programme (PAAAS) -------------------------------------------------------------------


class ProgramaAnual(models.Model):
    """The ICT procurements an agency plans for a fiscal year, from its PAAAS."""

    ente = models.ForeignKey(
        Ente, on_delete=models.PROTECT, related_name="programas", verbose_name=_("ente")
    )
    ejercicio = models.PositiveSmallIntegerField(_("ejercicio fiscal"))
    registrado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrado por"),
    )
    registrado_en = models.DateTimeField(_("registrado en"), auto_now_add=True)

    class Meta:
        verbose_name = _("programa anual")
        verbose_name_plural = _("programas anuales")
        ordering = ["-ejercicio", "ente__nombre"]
        constraints = [models.UniqueConstraint(fields=["ente", "ejercicio"], name="programa_unico")]

    def __str__(self) -> str:
        return f"{self.ente.siglas} {self.ejercicio}"


class LineaPrograma(models.Model):
    programa = models.ForeignKey(
        ProgramaAnual,
        on_delete=models.CASCADE,
        related_name="lineas",
        verbose_name=_("programa"),
    )
    categoria = models.CharField(_("categoría (clave)"), max_length=60)
    perfil = models.CharField(_("perfil (clave)"), max_length=60, blank=True)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("área revisora")
    )
    descripcion = models.CharField(_("descripción"), max_length=300)
    cantidad = models.PositiveIntegerField(_("cantidad"))
    monto_estimado = models.DecimalField(_("monto estimado (MXN)"), max_digits=14, decimal_places=2)
    capitulo = models.CharField(_("capítulo"), max_length=4, choices=Partida.Capitulo.choices)
    partida_especifica = models.CharField(_("partida específica"), max_length=5)
    mes_previsto = models.PositiveSmallIntegerField(_("mes en que se presentará"))
    solicitud = models.OneToOneField(
        Solicitud,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linea_programa",
        verbose_name=_("solicitud presentada"),
    )
    recordada_en = models.DateTimeField(_("recordatorio enviado"), null=True, blank=True)

    class Meta:
        verbose_name = _("línea del programa")
        verbose_name_plural = _("líneas del programa")
        ordering = ["programa", "mes_previsto", "id"]
        indexes = [models.Index(fields=["categoria", "mes_previsto"])]

    def __str__(self) -> str:
        return f"{self.descripcion} ({self.mes_previsto:02d})"


class Aviso(models.Model):
    """An e-mail notice waiting in the outbox. It is written in the same transaction as the
    decision it announces, so a decision never goes unannounced and a rolled-back one is never
    announced; it is sent after commit and, if the mail server is down, retried later by
    `manage.py enviar_avisos` (cron)."""

    destinatarios = models.JSONField(_("destinatarios"), default=list)
    asunto = models.CharField(_("asunto"), max_length=300)
    mensaje = models.TextField(_("mensaje"))
    creado_en = models.DateTimeField(_("creado en"), auto_now_add=True)
    enviado_en = models.DateTimeField(_("enviado en"), null=True, blank=True)
    intentos = models.PositiveSmallIntegerField(_("intentos"), default=0)
    ultimo_error = models.TextField(_("último error"), blank=True)

    class Meta:
        verbose_name = _("aviso por correo")
        verbose_name_plural = _("avisos por correo")
        ordering = ["creado_en", "id"]
        # The retry job reads only the pending ones, oldest first.
        indexes = [
            models.Index(
                fields=["creado_en"],
                condition=models.Q(enviado_en__isnull=True),
                name="aviso_pendiente_idx",
            )
        ]

    def __str__(self) -> str:
        return self.asunto
