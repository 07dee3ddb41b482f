"""Administrators draft editions here. Published editions are read-only; publishing and
drafting a new version go through the services, each behind a confirmation page."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from estandares import services
from estandares.forms import NuevaVersionForm
from estandares.models import Categoria, Perfil, Publicacion, Requisito


class _SoloBorradores:
    """Content of a published edition can be seen, never changed."""

    # The writers' map (config.escritores).
    control = (
        "solo borradores; publicar una edición se pide en «Publicar una edición» (control dual)"
    )

    def _publicacion_de(self, obj):
        raise NotImplementedError

    def _editable(self, obj) -> bool:
        return obj is None or self._publicacion_de(obj).es_borrador

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)


class _InlineSoloBorradores(_SoloBorradores):
    """Inline permission hooks receive the parent object, so _publicacion_de gets the parent."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(obj)


class CategoriaInline(_InlineSoloBorradores, admin.TabularInline):
    model = Categoria
    fields = ["orden", "clave", "nombre", "area", "num_perfiles"]
    readonly_fields = ["num_perfiles"]
    extra = 0
    show_change_link = True

    def _publicacion_de(self, obj):
        return obj

    @admin.display(description=_("perfiles"))
    def num_perfiles(self, obj):
        return obj.perfiles.count() if obj.pk else "—"


class PerfilInline(_InlineSoloBorradores, admin.TabularInline):
    model = Perfil
    fields = ["orden", "clave", "nombre", "descripcion"]
    extra = 0
    show_change_link = True

    def _publicacion_de(self, obj):
        return obj.publicacion


class RequisitoInline(_InlineSoloBorradores, admin.StackedInline):
    model = Requisito
    fields = [
        ("orden", "clave", "nombre"),
        ("tipo", "obligatorio"),
        ("unidad", "minimo", "maximo"),
        "opciones",
        "fundamento",
        "ayuda",
    ]
    extra = 0

    def _publicacion_de(self, obj):
        return obj.categoria.publicacion


@admin.register(Publicacion)
class PublicacionAdmin(_SoloBorradores, admin.ModelAdmin):
    list_display = ["version", "titulo", "estado", "vigente_desde", "vigente_hasta", "acciones"]
    list_filter = ["estado"]
    readonly_fields = ["estado", "vigente_hasta", "publicada_en"]
    inlines = [CategoriaInline]

    def _publicacion_de(self, obj):
        return obj

    @admin.display(description=_("acciones"))
    def acciones(self, obj):
        enlaces = []
        if obj.es_borrador:
            enlaces.append(
                (reverse("admin:estandares_publicacion_publicar", args=[obj.pk]), _("Publicar"))
            )
        enlaces.append(
            (
                reverse("admin:estandares_publicacion_nueva_version", args=[obj.pk]),
                _("Redactar nueva versión"),
            )
        )
        return format_html(
            " · ".join(['<a href="{}">{}</a>'] * len(enlaces)),
            *[x for par in enlaces for x in par],
        )

    def get_urls(self):
        propias = [
            path(
                "<int:pk>/publicar/",
                self.admin_site.admin_view(self.publicar_view),
                name="estandares_publicacion_publicar",
            ),
            path(
                "<int:pk>/nueva-version/",
                self.admin_site.admin_view(self.nueva_version_view),
                name="estandares_publicacion_nueva_version",
            ),
        ]
        return propias + super().get_urls()

    def _confirmar(self, request, publicacion, form, titulo, boton):
        contexto = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "publicacion": publicacion,
            "form": form,
            "title": titulo,
            "boton": boton,
        }
        return render(request, "admin/estandares/confirmar.html", contexto)

    def publicar_view(self, request, pk):
        """Publishing takes a second administrator's approval (issue 48): it is asked on
        «Publicar una edición» (cuentas:ediciones), never done here."""
        messages.info(
            request,
            _(
                "La publicación de una edición la pide una persona administradora y la aprueba "
                "otra: pídala aquí."
            ),
        )
        return redirect("cuentas:ediciones")

    def nueva_version_view(self, request, pk):
        base = get_object_or_404(Publicacion, pk=pk)
        if not self.has_add_permission(request):
            messages.error(request, _("No tiene permiso para redactar ediciones."))
            return redirect("admin:estandares_publicacion_changelist")
        form = NuevaVersionForm(request.POST or None, initial={"titulo": base.titulo})
        if request.method == "POST" and form.is_valid():
            try:
                # The admin's log entry is what the audit chain hears (cuentas.auditoria_admin):
                # written with the draft, in its transaction.
                with transaction.atomic():
                    nueva = services.publicacion_nueva_version(
                        base=base,
                        version=form.cleaned_data["version"],
                        titulo=form.cleaned_data["titulo"] or None,
                    )
                    self.log_addition(request, nueva, [{"added": {}}])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Borrador %(v)s creado.") % {"v": nueva.version})
                return redirect("admin:estandares_publicacion_change", nueva.pk)
        return self._confirmar(
            request,
            base,
            form,
            _("Redactar una nueva versión a partir de %(v)s") % {"v": base.version},
            _("Crear borrador"),
        )


@admin.register(Categoria)
class CategoriaAdmin(_SoloBorradores, admin.ModelAdmin):
    list_display = ["nombre", "publicacion", "area", "orden"]
    list_filter = ["publicacion", "area"]
    list_select_related = ["publicacion", "area"]
    inlines = [PerfilInline]

    def _publicacion_de(self, obj):
        return obj.publicacion


@admin.register(Perfil)
class PerfilAdmin(_SoloBorradores, admin.ModelAdmin):
    list_display = ["nombre", "categoria", "orden"]
    list_filter = ["categoria__publicacion"]
    list_select_related = ["categoria__publicacion"]
    inlines = [RequisitoInline]

    def _publicacion_de(self, obj):
        return obj.categoria.publicacion
