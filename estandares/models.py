"""The standards catalogue: editions (Publicacion) → categories → profiles → requisitos.

A published edition is immutable: its rows refuse to be saved or deleted once the edition
has left the draft state. Editing means drafting a new version (services.publicacion_nueva_version).
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from estandares import unidades
from estandares.entradas import LARGO_MAX, TextoCorto, TextoLargo

ERROR_EDICION_PUBLICADA = _(
    "La edición %(version)s ya está publicada y no puede modificarse; redacte una nueva versión."
)

CLAVE_REQUISITO = RegexValidator(
    r"^[a-z][a-z0-9_]*$",
    message=_("Use minúsculas, dígitos y guiones bajos, empezando con una letra."),
    code="clave_invalida",
)


class EdicionPublicadaError(ValidationError):
    """Raised on any write to the content of a published edition."""


class Publicacion(models.Model):
    class Estado(models.TextChoices):
        BORRADOR = "borrador", _("Borrador")
        VIGENTE = "vigente", _("Vigente")
        DEROGADA = "derogada", _("Derogada")

    titulo = TextoCorto(_("título"), max_length=250)
    version = TextoCorto(_("versión"), max_length=20, unique=True)
    fecha_boletin = models.DateField(_("fecha del Boletín Oficial"), null=True, blank=True)
    vigente_desde = models.DateField(_("vigente desde"), null=True, blank=True)
    # Set when a newer edition takes effect: the day before it does.
    vigente_hasta = models.DateField(_("vigente hasta"), null=True, blank=True, editable=False)
    estado = models.CharField(
        _("estado"),
        max_length=10,
        choices=Estado.choices,
        default=Estado.BORRADOR,
        editable=False,
    )
    notas = TextoLargo(_("notas"), max_length=LARGO_MAX, blank=True)
    publicada_en = models.DateTimeField(_("publicada en"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("edición de estándares")
        verbose_name_plural = _("ediciones de estándares")
        ordering = ["-vigente_desde", "-version"]
        indexes = [models.Index(fields=["estado", "vigente_desde"])]

    def __str__(self) -> str:
        return f"{self.titulo} — versión {self.version}"

    # The only fields a service may still change once published: the lifecycle, not the text.
    CAMPOS_DE_CICLO_DE_VIDA = frozenset(
        {"estado", "vigente_hasta", "publicada_en", "vigente_desde"}
    )

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) - self.CAMPOS_DE_CICLO_DE_VIDA:
            self.verificar_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.verificar_editable()
        return super().delete(*args, **kwargs)

    @property
    def es_borrador(self) -> bool:
        return self.estado == self.Estado.BORRADOR

    def verificar_editable(self) -> None:
        if (
            self.pk
            and not type(self).objects.filter(pk=self.pk, estado=self.Estado.BORRADOR).exists()
        ):
            raise EdicionPublicadaError(
                ERROR_EDICION_PUBLICADA, code="edicion_publicada", params={"version": self.version}
            )


class _ContenidoDeEdicion(models.Model):
    """Content rows guard the immutability of their edition on every save and delete."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._publicacion().verificar_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._publicacion().verificar_editable()
        return super().delete(*args, **kwargs)

    def _publicacion(self) -> Publicacion:
        raise NotImplementedError


class Categoria(_ContenidoDeEdicion):
    publicacion = models.ForeignKey(
        Publicacion,
        on_delete=models.CASCADE,
        related_name="categorias",
        verbose_name=_("edición"),
    )
    clave = models.SlugField(_("clave"), max_length=60)
    nombre = TextoCorto(_("nombre"), max_length=150)
    area = models.ForeignKey(
        "dictamenes.Area",
        on_delete=models.PROTECT,
        related_name="categorias",
        verbose_name=_("área de revisión"),
    )
    descripcion = TextoLargo(_("descripción"), max_length=LARGO_MAX, blank=True)
    orden = models.PositiveIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("categoría")
        verbose_name_plural = _("categorías")
        ordering = ["publicacion", "orden", "nombre"]
        constraints = [
            models.UniqueConstraint(fields=["publicacion", "clave"], name="categoria_clave_unica")
        ]

    def __str__(self) -> str:
        return self.nombre

    def _publicacion(self) -> Publicacion:
        return self.publicacion


class Perfil(_ContenidoDeEdicion):
    categoria = models.ForeignKey(
        Categoria,
        on_delete=models.CASCADE,
        related_name="perfiles",
        verbose_name=_("categoría"),
    )
    clave = models.SlugField(_("clave"), max_length=60)
    nombre = TextoCorto(_("nombre"), max_length=150)
    descripcion = TextoLargo(_("descripción"), max_length=LARGO_MAX, blank=True)
    orden = models.PositiveIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("perfil técnico")
        verbose_name_plural = _("perfiles técnicos")
        ordering = ["categoria", "orden", "nombre"]
        constraints = [
            models.UniqueConstraint(fields=["categoria", "clave"], name="perfil_clave_unica")
        ]

    def __str__(self) -> str:
        return f"{self.categoria.nombre} · {self.nombre}"

    def _publicacion(self) -> Publicacion:
        return self.categoria.publicacion


class Requisito(_ContenidoDeEdicion):
    class Tipo(models.TextChoices):
        NUMERO = "numero", _("Número con unidad")
        OPCION = "opcion", _("Opción de una lista")
        BOOLEANO = "booleano", _("Sí/no que debe cumplirse")
        DECLARACION = "declaracion", _("Declaración por escrito")

    perfil = models.ForeignKey(
        Perfil, on_delete=models.CASCADE, related_name="requisitos", verbose_name=_("perfil")
    )
    clave = models.CharField(_("clave"), max_length=60, validators=[CLAVE_REQUISITO])
    nombre = TextoCorto(_("nombre"), max_length=200)
    tipo = models.CharField(_("tipo"), max_length=12, choices=Tipo.choices)
    obligatorio = models.BooleanField(
        _("obligatorio"), default=True, help_text=_("Si no, el requisito es recomendado.")
    )
    unidad = models.CharField(
        _("unidad"), max_length=20, blank=True, choices=unidades.OPCIONES_UNIDAD
    )
    minimo = models.DecimalField(
        _("mínimo"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    maximo = models.DecimalField(
        _("máximo"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    opciones = models.JSONField(_("opciones"), default=list, blank=True)
    fundamento = TextoCorto(_("fundamento"), max_length=300)
    ayuda = TextoCorto(_("ayuda"), max_length=300, blank=True)
    orden = models.PositiveIntegerField(_("orden"), default=0)

    class Meta:
        verbose_name = _("requisito")
        verbose_name_plural = _("requisitos")
        ordering = ["perfil", "orden", "id"]
        constraints = [
            models.UniqueConstraint(fields=["perfil", "clave"], name="requisito_clave_unica")
        ]

    def __str__(self) -> str:
        return self.nombre

    def _publicacion(self) -> Publicacion:
        return self.perfil.categoria.publicacion

    @property
    def criterio(self) -> str:
        """What satisfies the requisito, in a reader's words: "≥ 16 GB", "SSD o NVMe"."""
        from estandares.cumplimiento import fmt

        if self.tipo == self.Tipo.NUMERO:
            partes = []
            if self.minimo is not None:
                partes.append(f"≥ {fmt(self.minimo)} {self.unidad}")
            if self.maximo is not None:
                partes.append(f"≤ {fmt(self.maximo)} {self.unidad}")
            return " y ".join(partes)
        if self.tipo == self.Tipo.OPCION:
            return (
                " o ".join(self.opciones)
                if len(self.opciones) < 3
                else (", ".join(self.opciones[:-1]) + " o " + self.opciones[-1])
            )
        if self.tipo == self.Tipo.BOOLEANO:
            return str(_("Debe cumplirse"))
        return str(_("Declarar por escrito"))

    def clean(self) -> None:
        errores = {}
        if self.tipo == self.Tipo.NUMERO:
            if not self.unidad:
                errores["unidad"] = _("Un requisito numérico necesita unidad.")
            if self.minimo is None and self.maximo is None:
                errores["minimo"] = _("Indique un mínimo, un máximo o ambos.")
            if self.minimo is not None and self.maximo is not None and self.minimo > self.maximo:
                errores["maximo"] = _("El máximo no puede ser menor que el mínimo.")
        else:
            for campo in ("unidad", "minimo", "maximo"):
                if getattr(self, campo) not in (None, ""):
                    errores[campo] = _("Solo los requisitos numéricos llevan unidad y límites.")
        if self.tipo == self.Tipo.OPCION:
            if (
                not isinstance(self.opciones, list)
                or len(self.opciones) < 2
                or not all(isinstance(o, str) and o.strip() for o in self.opciones)
            ):
                errores["opciones"] = _("Indique al menos dos opciones de texto.")
            elif len({o.strip().casefold() for o in self.opciones}) != len(self.opciones):
                errores["opciones"] = _("Las opciones no deben repetirse.")
        elif self.opciones:
            errores["opciones"] = _("Solo los requisitos de opción llevan opciones.")
        if errores:
            raise ValidationError(errores)
