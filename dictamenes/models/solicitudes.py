"""A request with its items, attachments, area reviews, opinions and information requests,
and the flow's process row."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from dictamenes.models.base import EtiquetasEnCache, Resultado, TipoOperacion
from dictamenes.models.catalogos import Area, Ente
from dictamenes.models.precios import MESES_MAXIMO, UnidadPrecio
from dictamenes.models.vias import ConfiguracionVias, Via
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import LARGO_MAX, TextoCorto, TextoLargo

# The states a request ends in; every other one is still open (Solicitud.concluida).
ESTADOS_CONCLUIDOS = ("dictaminada", "desechada", "desistida", "cancelada")


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
        # Closed early, with a reason in the chain: by the agency (it withdraws the request)
        # or by the Subsecretaría.
        DESISTIDA = "desistida", _("Desistida")
        CANCELADA = "cancelada", _("Cancelada")

    ente = models.ForeignKey(
        Ente, on_delete=models.PROTECT, related_name="solicitudes", verbose_name=_("ente")
    )
    folio = models.CharField(_("folio"), max_length=30, unique=True, null=True, blank=True)
    ejercicio = models.PositiveSmallIntegerField(_("ejercicio fiscal"))
    tipo_operacion = models.CharField(
        _("tipo de operación"), max_length=20, choices=TipoOperacion.choices
    )
    titulo = TextoCorto(_("título"), max_length=250, validators=[SIN_DATOS_PERSONALES])
    justificacion = TextoLargo(
        _("justificación"), max_length=LARGO_MAX, validators=[SIN_DATOS_PERSONALES]
    )
    # Not published today, but written beside the title and the justification, by the same
    # people, and read by everyone who reviews: no personal data either (issue 88).
    alineacion = TextoLargo(
        _("alineación al Programa de Gobierno Digital"),
        max_length=4_000,
        validators=[SIN_DATOS_PERSONALES],
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
    # Concluded (dictaminada, desechada, desistida or cancelada): what a list shows after the
    # open ones. Stored by the database from the state, so the lists' order "open first,
    # newest first" reads an index instead of sorting the whole history (issue 45).
    concluida = models.GeneratedField(
        expression=models.Case(
            models.When(estado__in=ESTADOS_CONCLUIDOS, then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("concluida"),
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
    # Imported from the Subsecretaría's records of the years before the system
    # (dictamenes.operacion.services.importacion): no steps, events or items of its own.
    importada = models.BooleanField(_("importada"), default=False, editable=False)
    categorias_importadas = TextoCorto(
        _("categorías (importadas)"), max_length=500, blank=True, editable=False
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
    # The review track (issue 36), set when presented and again when admitted, by the rule in
    # tramite.reglas.vias with the tracks' version in force; the reasons are what the page shows.
    via = models.CharField(
        _("vía de revisión"), max_length=10, choices=Via.choices, blank=True, editable=False
    )
    via_razones = models.JSONField(_("razones de la vía"), default=list, blank=True, editable=False)
    via_config = models.ForeignKey(
        ConfiguracionVias,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("versión de las vías aplicada"),
    )
    # The mesa de control moved it to the full track (with a reason, in its event): the rule
    # no longer moves it back.
    via_movida = models.BooleanField(_("pasada a vía completa"), default=False, editable=False)
    # The possible split purchases found when its track was given (issue 48): for each, what
    # ties them, the other requests' folios and the sum (tramite.reglas.vias.Fraccion).
    via_fraccion = models.JSONField(
        _("posibles fraccionamientos"), default=list, blank=True, editable=False
    )
    # A purchase the State makes once for several agencies (issue 62): its savings against the
    # reference prices are counted apart in the indicators.
    compra_consolidada = models.BooleanField(
        _("compra consolidada"),
        default=False,
        help_text=_("La solicitud compra para varios entes, de forma consolidada."),
    )

    # What the request list's search reads of each row (issue 79, item 6), kept beside it so
    # the search is a filter on the request's own row: the title and the folio in capitals,
    # computed by the database itself (the same UPPER() that `icontains` applied to every row
    # on every search), and the technical profiles of its items, as the keys of an object
    # ({"<perfil id>": true}), kept by tramite.services.busqueda, which every writer of items
    # calls. The area's profiles are still read when searching, so a category that moves to
    # another area moves its requests in the search with it, as before.
    titulo_busqueda = models.GeneratedField(
        expression=Upper("titulo"),
        output_field=models.CharField(max_length=250),
        db_persist=True,
        verbose_name=_("título para buscar"),
    )
    folio_busqueda = models.GeneratedField(
        expression=Upper("folio"),
        output_field=models.CharField(max_length=30, null=True),
        db_persist=True,
        verbose_name=_("folio para buscar"),
    )
    perfiles_busqueda = models.JSONField(
        _("perfiles técnicos de sus partidas"), default=dict, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("solicitud de dictamen")
        verbose_name_plural = _("solicitudes de dictamen")
        ordering = ["-creada_en"]
        indexes = [
            models.Index(fields=["ente", "ejercicio"]),
            models.Index(fields=["estado", "ejercicio"]),
            models.Index(fields=["-creada_en", "-id"], name="solicitud_recientes_idx"),
            # The lists' order (tramite.abiertas_primero): open first, newest first; all of
            # them, and an agency's own ("Mis solicitudes").
            models.Index(
                fields=["concluida", "-creada_en", "-id"], name="solicitud_abiertas_primero_idx"
            ),
            models.Index(
                fields=["ente", "concluida", "-creada_en", "-id"],
                name="solicitud_ente_abiertas_idx",
            ),
            models.Index(fields=["ejercicio", "presentada_en"]),
            # The window of the consolidation suggestions (planeacion.services.programa): the
            # requests presented in the last weeks.
            models.Index(fields=["presentada_en"], name="solicitud_presentada_idx"),
            # The OCDS package of a month: the imported requests presented or attended in it.
            models.Index(fields=["atendida_en"], name="solicitud_atendida_idx"),
            # The indicators (cifras.selectors.indicadores): a year's times to attend, ordered, and
            # the month of attention of the dictaminadas with what their track's target needs.
            models.Index(
                fields=["ejercicio", "dias_habiles_atencion"], name="solicitud_tiempos_idx"
            ),
            models.Index(
                fields=["atendida_en"],
                include=["dias_habiles_atencion", "via", "via_config"],
                condition=models.Q(estado="dictaminada"),
                name="solicitud_dictaminadas_idx",
            ),
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
    descripcion = TextoCorto(_("descripción"), max_length=300, validators=[SIN_DATOS_PERSONALES])
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
    # What the unit price is for (issue 62): a piece, or a service or a licence over `meses`
    # months. The reference prices compare them per piece, per month and per licence-year.
    unidad = models.CharField(
        _("el precio unitario es"), max_length=10, choices=UnidadPrecio.choices, default="pieza"
    )
    meses = models.PositiveSmallIntegerField(
        _("meses que cubre el precio unitario"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MESES_MAXIMO)],
    )
    # Why fewer than three quotes (single source): required above the office's amount when
    # the item has fewer (issue 62, tramite.services.solicitudes at presentation).
    justificacion_cotizaciones = TextoLargo(
        _("justificación de menos de tres cotizaciones"),
        max_length=LARGO_MAX,
        blank=True,
        validators=[SIN_DATOS_PERSONALES],
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
        indexes = [
            # The items by request, with their profile, amounts and id, read from the index
            # alone (PostgreSQL): a window of requests for the consolidation suggestions of
            # the decision page, and every item in force for the indicators' savings with the
            # cache empty (the id joins the items' decisions: without it, PostgreSQL read the
            # whole table, 202 MB at ten years, 160 → 124 ms).
            models.Index(
                fields=["solicitud"],
                include=["perfil", "cantidad", "precio_unitario", "id"],
                name="partida_solicitud_importe_idx",
            ),
        ]

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
        CONTRATO = "contrato", _("Contrato")
        ENTREGA = "entrega", _("Acta de entrega-recepción")

    solicitud = models.ForeignKey(
        Solicitud, on_delete=models.CASCADE, related_name="anexos", verbose_name=_("solicitud")
    )
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    archivo = models.FileField(_("archivo"), upload_to=_ruta_anexo, max_length=300)
    nombre = TextoCorto(_("nombre original"), max_length=160)
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
    observaciones = TextoLargo(_("observaciones"), max_length=LARGO_MAX, blank=True)
    concluida_en = models.DateTimeField(_("concluida en"), auto_now_add=True)
    # A fast-track single review gives one opinion on every item, of every area (issue 61):
    # it is kept under its lead area (`area`: rounds, send-backs) and names here all the
    # areas it covered, so that no reader says it was only the lead area's. Empty otherwise.
    cubre = models.ManyToManyField(
        Area, blank=True, related_name="+", verbose_name=_("áreas que cubre")
    )

    class Meta:
        verbose_name = _("revisión de área")
        verbose_name_plural = _("revisiones de área")
        ordering = ["solicitud", "area__nombre", "ronda"]
        constraints = [
            models.UniqueConstraint(fields=["solicitud", "area", "ronda"], name="revision_unica")
        ]

    def __str__(self) -> str:
        return f"{self.area} · ronda {self.ronda}"

    @property
    def areas_texto(self) -> str:
        """Whose opinion it is, as every reader names it: its area, or every area a
        fast-track single review covered (prefetch `cubre` in lists)."""
        cubiertas = sorted(a.nombre for a in self.cubre.all())
        if len(cubiertas) < 2:
            return str(self.area)
        return str(
            _("%(areas)s (revisión técnica única, vía rápida)") % {"areas": ", ".join(cubiertas)}
        )


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
    opinion = TextoLargo(_("opinión técnica"), max_length=LARGO_MAX)
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
    pregunta = TextoLargo(_("información solicitada"), max_length=LARGO_MAX)
    pedida_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pedida por"),
    )
    pedida_en = models.DateTimeField(_("pedida en"), auto_now_add=True)
    respuesta = TextoLargo(_("respuesta"), max_length=LARGO_MAX, blank=True)
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
