"""viewflow's inbox, queue and archive, extended with the request, its agency, the due date
and a traffic light, sorted by due date (earliest first) and filterable. Task links lead to
the request's page, where the work itself is done."""

import datetime
from dataclasses import dataclass

import django_filters
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from viewflow.utils import viewprop
from viewflow.workflow.flow.views import list as listas
from viewflow.workflow.flow.views.dashboard import DashboardProcessListView, DashboardTaskListView
from viewflow.workflow.models import Task

from dictamenes.comun.direcciones import molde_de_url
from dictamenes.comun.paginacion import PaginadorDeUnaConsulta
from dictamenes.models import Area, Ente, Partida, TipoOperacion
from dictamenes.organizacion.selectors import calendario
from dictamenes.pendientes.bandeja import cola_de, con_suplencias
from dictamenes.tramite.filtros import (
    EnteroFilter,
    FiltroEstricto,
    PaginaEstrictaDeLista,
    PaginaFilter,
)
from dictamenes.tramite.selectors.plazos import plazo_de
from dictamenes.tramite.selectors.tareas import HUMANA, titulo_de

SOLICITUD = "process__procesodictamen__solicitud"
# What a row shows, read as values: building the task, its process and request and agency
# as model instances was a fifth of the queue's time.
_COLUMNAS = (
    *("id", "flow_task", "status", "created", "finished", "data", "process_id"),
    "process__procesodictamen__area_devuelta",
    *(f"{SOLICITUD}__{campo}" for campo in ("id", "folio", "titulo", "ente__siglas")),
)


@dataclass(frozen=True, slots=True)
class _Tarea:
    """A row's task, with what the step's title and deadline read of it (tareas.titulo_de,
    plazos.plazo_de)."""

    pk: int
    flow_task: object
    status: str
    created: datetime.datetime
    finished: datetime.datetime | None
    data: dict
    process_id: int


@dataclass(frozen=True, slots=True)
class _Proceso:
    area_devuelta_id: int | None


def tarea(request, **kwargs):
    solicitud = request.activation.process.solicitud
    return redirect("solicitudes:detalle", pk=solicitud.pk)


ERROR_GESTION_MANUAL = _(
    "Los pasos se toman y se reasignan desde la página de la solicitud, donde queda registro "
    "de quién los atiende."
)


class AlExpediente(View):
    """viewflow's assign and unassign pages (linked from its dashboards): a visit leads to the
    request's page, where steps are taken; a POST would change who owns the task with no audit
    event and no separation of duties, and is refused."""

    def get(self, request, *args, **kwargs):
        return tarea(request, **kwargs)

    def post(self, request, *args, **kwargs):
        raise PermissionDenied(ERROR_GESTION_MANUAL)


class SinGestionEnBloque(View):
    """viewflow's bulk assign and unassign (/queue/assign/, /inbox/unassign/) check the role
    only, for any task id sent: no audit event, no separation of duties. A visit leads to the
    list (viewflow's site index points here); a POST is refused."""

    lista = "workflow:queue"

    def get(self, request, *args, **kwargs):
        return redirect(self.lista)

    def post(self, request, *args, **kwargs):
        raise PermissionDenied(ERROR_GESTION_MANUAL)


class SinDesasignarEnBloque(SinGestionEnBloque):
    lista = "workflow:inbox"


class FiltroTareas(FiltroEstricto):
    """Read strictly (dictamenes.tramite.filtros): an agency, area, year or page that is not a
    number answers 400 with its message, and no rows."""

    ente = EnteroFilter(field_name=f"{SOLICITUD}__ente", label=_("Ente"))
    # A request with items of the area. EXISTS rather than a join made DISTINCT: PostgreSQL
    # refuses DISTINCT with the list's order by due date (it answered 500).
    area = EnteroFilter(label=_("Área"), method="con_partidas_del_area")
    tipo = django_filters.ChoiceFilter(
        field_name=f"{SOLICITUD}__tipo_operacion",
        choices=TipoOperacion.choices,
        label=_("Tipo de operación"),
    )
    ejercicio = EnteroFilter(field_name=f"{SOLICITUD}__ejercicio", label=_("Ejercicio"))
    page = PaginaFilter(label=_("Página"))

    class Meta:
        model = Task
        fields = ["ente", "area", "tipo", "ejercicio"]

    def con_partidas_del_area(self, queryset, name, area_id):
        return queryset.filter(
            Exists(
                Partida.objects.filter(
                    solicitud=OuterRef(SOLICITUD), perfil__categoria__area_id=area_id
                )
            )
        )


_TEXTO_SEMAFORO = {"rojo": _("Vencida"), "amarillo": _("Por vencer"), "verde": _("En tiempo")}
_PESTANAS = [
    ("workflow:inbox", _("Mis tareas")),
    ("workflow:queue", _("Tareas por tomar")),
    ("workflow:archive", _("Concluidas")),
]


def _fecha(momento) -> str:
    if momento is None:
        return "—"
    return (timezone.localtime(momento) if timezone.is_aware(momento) else momento).strftime(
        "%d/%m/%Y"
    )


class _ConPlazos:
    """viewflow's task queries and filters, shown in the system's own page: the request, its
    agency, the due date and a traffic light, sorted by due date, earliest first."""

    template_name = "flujos/tareas.html"
    filterset_class = FiltroTareas
    # The total travels with the page's rows (COUNT(*) OVER ()): one query, not two.
    paginator_class = PaginadorDeUnaConsulta
    archivo = False

    def _con_solicitud(self, queryset):
        if not self.archivo:
            # viewflow lists View tasks only already; the rule is still ours, in one place.
            queryset = queryset.filter(flow_task_type=HUMANA)
        return queryset.order_by(F("data__vence").asc(nulls_last=True), "created").values(
            *_COLUMNAS
        )

    def dispatch(self, request, *args, **kwargs):
        # viewflow remembers its lists in the session ("vf-pin-location") to come back to after
        # one of its task pages, writing the session (an UPDATE and a commit) on every visit.
        # Here no task page of viewflow's is ever used: every step is done on the request's
        # page (flujos.flows: each node's view is `tarea`, which leads there), so nothing would
        # read it. Skipped.
        return super(listas.mixins.StoreRequestPathMixin, self).dispatch(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        # The page number was read with the filters (a 400 when it is not one); past the
        # last page, the last page, as on the other lists.
        numero = self.filterset.form.cleaned_data.get("page") if self.filterset.is_valid() else 1
        paginador = self.get_paginator(queryset, page_size)
        pagina = paginador.get_page(numero or 1)
        return paginador, pagina, pagina.object_list, pagina.has_other_pages()

    def render_to_response(self, context, **response_kwargs):
        # A plain response: viewflow's middleware adds its Material menu to template
        # responses, counting the inbox and the queue again for badges this page never shows.
        response_kwargs.setdefault("status", self.filterset.estado_http)
        return render(self.request, self.get_template_names(), context, **response_kwargs)

    def get_context_data(self, **kwargs):
        contexto = super().get_context_data(**kwargs)
        hoy = timezone.localdate()
        cal = calendario.Calendario.cargar(hoy, hoy, para_mostrar=True)
        ahora = timezone.now()
        tomar = getattr(self, "tomar", False)
        # Each row's links and the "Tomar" button's label are put together here, once per row:
        # as {% url %} and {% blocktranslate %} they were 40 % of rendering a queue.
        etiqueta_tomar = gettext("Tomar %(p)s de %(folio)s")
        url_detalle = molde_de_url("solicitudes:detalle", 1)
        url_tomar = molde_de_url("solicitudes:tomar", 2)
        textos_semaforo = {clave: str(texto) for clave, texto in _TEXTO_SEMAFORO.items()}
        filas = []
        for valores in contexto["page_obj"]:
            tarea = _Tarea(
                pk=valores["id"],
                **{campo: valores[campo] for campo in _Tarea.__slots__ if campo != "pk"},
            )
            proceso = _Proceso(valores["process__procesodictamen__area_devuelta"])
            plazo = plazo_de(tarea=tarea, ahora=ahora, calendario_=cal)
            pk, folio = valores[f"{SOLICITUD}__id"], valores[f"{SOLICITUD}__folio"]
            fila = plazo | {
                "tarea": tarea,
                "folio": folio,
                "ente": valores[f"{SOLICITUD}__ente__siglas"],
                "titulo": valores[f"{SOLICITUD}__titulo"],
                "url": url_detalle(pk),
                "paso": titulo_de(tarea=tarea, proceso=proceso),
                "texto_semaforo": textos_semaforo.get(plazo["semaforo"], ""),
                # As the date filter writes it (d/m/Y, local time), for a tenth of its cost.
                "vence_texto": _fecha(plazo["vence"]),
            }
            if tomar:
                fila["url_tomar"] = url_tomar(pk, tarea.pk)
                fila["etiqueta_tomar"] = etiqueta_tomar % {"p": fila["paso"], "folio": folio}
            filas.append(fila)
        consulta = self.request.GET.copy()
        consulta.pop("page", None)
        return contexto | {
            "filas": filas,
            "errores_filtros": self.filterset.mensajes(),
            # The filter form is written out in the template: Django's widget templates took
            # a third of this page's time to render four fields.
            "filtros": {
                campo: self.request.GET.get(campo, "") for campo in FiltroTareas.Meta.fields
            },
            # Catalogues for the filters, kept five minutes: they change a few times a year.
            "entes": cache.get_or_set(
                "filtros:entes", lambda: list(Ente.objects.values_list("pk", "siglas")), 300
            ),
            "areas": cache.get_or_set(
                "filtros:areas",
                lambda: list(Area.objects.filter(activa=True).values_list("pk", "nombre")),
                300,
            ),
            "tipos": TipoOperacion.choices,
            "archivo": self.archivo,
            "tomar": tomar,
            "pestanas": _PESTANAS,
            "consulta": f"{consulta.urlencode()}&" if consulta else "",
        }


class Bandeja(_ConPlazos, listas.WorkflowInboxListView):
    title = _("Mis tareas")

    @viewprop
    def queryset(self):
        return self._con_solicitud(
            con_suplencias(
                self.request.user,
                super().queryset,
                lambda titular: Task.objects.inbox(self.flow_classes, titular),
            )
        )


class Cola(_ConPlazos, listas.WorkflowQueueListView):
    title = _("Tareas por tomar")
    tomar = True

    @viewprop
    def queryset(self):
        # viewflow's queue, with the fast-track reviews shared by the person's areas.
        usuario = self.request.user
        return self._con_solicitud(
            con_suplencias(
                usuario,
                cola_de(self.flow_classes, usuario),
                lambda titular: cola_de(self.flow_classes, titular),
            )
        )


class Archivo(_ConPlazos, listas.WorkflowArchiveListView):
    title = _("Tareas concluidas")
    archivo = True

    @viewprop
    def queryset(self):
        return self._con_solicitud(super().queryset)


class ListaDeProcesos(PaginaEstrictaDeLista, DashboardProcessListView):
    """viewflow's list of the flow's processes: a page number that is not one is a 400."""


class ListaDeTareas(PaginaEstrictaDeLista, DashboardTaskListView):
    """viewflow's list of the flow's tasks: a page number that is not one is a 400."""
