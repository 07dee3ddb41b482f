"""viewflow's inbox, queue and archive, extended with the request, its agency, the due date
and a traffic light, sorted by due date (earliest first) and filterable. Task links lead to
the request's page, where the work itself is done."""

import django_filters
from django.db.models import F
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from viewflow.utils import viewprop
from viewflow.workflow.flow.views import list as listas
from viewflow.workflow.models import Task

from dictamenes import calendario, tramite
from dictamenes.models import Area, Ente, Solicitud, TipoOperacion

SOLICITUD = "process__procesodictamen__solicitud"


def tarea(request, **kwargs):
    solicitud = request.activation.process.solicitud
    return redirect("solicitudes:detalle", pk=solicitud.pk)


class FiltroTareas(django_filters.FilterSet):
    ente = django_filters.ModelChoiceFilter(
        field_name=f"{SOLICITUD}__ente", queryset=Ente.objects.all(), label=_("Ente")
    )
    area = django_filters.ModelChoiceFilter(
        field_name=f"{SOLICITUD}__partidas__perfil__categoria__area",
        queryset=Area.objects.all(),
        label=_("Área"),
        distinct=True,
    )
    tipo = django_filters.ChoiceFilter(
        field_name=f"{SOLICITUD}__tipo_operacion",
        choices=TipoOperacion.choices,
        label=_("Tipo de operación"),
    )
    ejercicio = django_filters.NumberFilter(
        field_name=f"{SOLICITUD}__ejercicio", label=_("Ejercicio")
    )

    class Meta:
        model = Task
        fields = ["ente", "area", "tipo", "ejercicio"]


class _ConPlazos:
    columns = ("folio", "flow_task", "ente", "titulo", "vence", "plazo")
    filterset_class = FiltroTareas

    def _con_solicitud(self, queryset):
        return queryset.select_related(f"{SOLICITUD}__ente", "process").order_by(
            F("data__vence").asc(nulls_last=True), "created"
        )

    def _solicitud(self, task) -> Solicitud:
        return task.process.procesodictamen.solicitud

    def folio(self, task):
        solicitud = self._solicitud(task)
        return format_html(
            '<a href="{}">{}</a>',
            reverse("solicitudes:detalle", args=[solicitud.pk]),
            solicitud.folio,
        )

    folio.short_description = _("Folio")

    def ente(self, task):
        return self._solicitud(task).ente.siglas

    ente.short_description = _("Ente")

    def titulo(self, task):
        return self._solicitud(task).titulo

    titulo.short_description = _("Solicitud")

    def vence(self, task):
        vence = tramite.vencimiento_de(task)
        return f"{timezone.localtime(vence):%d/%m/%Y}" if vence else "—"

    vence.short_description = _("Vence")

    @viewprop
    def _calendario(self):
        hoy = timezone.localdate()
        return calendario.Calendario.cargar(hoy, hoy)

    def plazo(self, task):
        vence = tramite.vencimiento_de(task)
        if vence is None or task.finished:
            return "—"
        color = calendario.semaforo(vence=vence, calendario=self._calendario)
        dias = calendario.dias_restantes(vence=vence, calendario=self._calendario)
        texto = {"rojo": _("Vencida"), "amarillo": _("Por vencer"), "verde": _("En tiempo")}[color]
        return format_html(
            '<span class="semaforo semaforo--{}">{} ({} d. háb.)</span>', color, texto, dias
        )

    plazo.short_description = _("Plazo")


class Bandeja(_ConPlazos, listas.WorkflowInboxListView):
    title = _("Mis tareas")

    @viewprop
    def queryset(self):
        return self._con_solicitud(super().queryset)


class Cola(_ConPlazos, listas.WorkflowQueueListView):
    title = _("Tareas por tomar")

    @viewprop
    def queryset(self):
        return self._con_solicitud(super().queryset)


class Archivo(_ConPlazos, listas.WorkflowArchiveListView):
    title = _("Tareas concluidas")
    columns = ("folio", "flow_task", "ente", "titulo", "vence", "finished")

    @viewprop
    def queryset(self):
        return self._con_solicitud(super().queryset)
