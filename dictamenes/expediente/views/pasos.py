"""The POSTs of each step of the procedure on the request's page (presentar … estratégica,
closing it early), taking and reassigning a task. Each calls one of tramite's services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dictamenes.expediente.pagina import contexto_detalle, ejecutar, rechazo
from dictamenes.models import (
    Area,
    PeticionInformacion,
)
from dictamenes.montos import pesos
from dictamenes.precios.selectors.partidas import precios_de_partidas
from dictamenes.tramite.forms.pasos import (
    AdmisionForm,
    CierreForm,
    EstrategicaForm,
    RevisionAreaForm,
    TextoForm,
)
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.areas import areas_revisadas, partidas_de_revision
from dictamenes.tramite.selectors.tareas import tareas_abiertas, titulo_de
from dictamenes.tramite.services import cierre, decisiones, etapas, solicitudes, tareas


@login_required
@require_POST
def presentar(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    return ejecutar(
        request,
        solicitud,
        lambda: solicitudes.solicitud_presentar(solicitud=solicitud, usuario=request.user),
        _("Solicitud presentada. La mesa de control revisará que esté completa."),
    )


@login_required
@require_POST
def admision(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    form = AdmisionForm(request.POST)
    if not form.is_valid():
        return rechazo(
            request, solicitud, ValidationError(_("Elija admitir o prevenir.")), admision=form
        )
    admitir = form.cleaned_data["decision"] == "admitir"
    return ejecutar(
        request,
        solicitud,
        lambda: etapas.admision_resolver(
            solicitud=solicitud,
            usuario=request.user,
            admitir=admitir,
            faltantes=form.cleaned_data["faltantes"],
        ),
        _("Solicitud admitida.") if admitir else _("Prevención emitida y notificada."),
        admision=form,
    )


@login_required
@require_POST
def subsanar(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    form = TextoForm(request.POST)
    texto = request.POST.get("texto", "")
    return ejecutar(
        request,
        solicitud,
        lambda: etapas.solicitud_subsanar(
            solicitud=solicitud, usuario=request.user, respuesta=texto
        ),
        _("Prevención atendida; la solicitud vuelve a admisión."),
        subsanar=form,
    )


def _area(clave):
    return get_object_or_404(Area, clave=clave)


@login_required
@require_POST
def revision_area(request, pk, area):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    area = _area(area)
    propias = list(partidas_de_revision(solicitud=solicitud, area=area))
    form = RevisionAreaForm(request.POST, partidas=propias, prefix=area.clave)
    if not form.is_valid():
        return rechazo(
            request,
            solicitud,
            ValidationError(_("Revise los campos marcados.")),
            **{f"revision_{area.clave}": form},
        )
    return ejecutar(
        request,
        solicitud,
        lambda: etapas.revision_area_concluir(
            solicitud=solicitud,
            usuario=request.user,
            area=area,
            opinion=form.cleaned_data["opinion"],
            observaciones=form.cleaned_data["observaciones"],
            partidas=form.partidas_datos(),
        ),
        _("Revisión técnica única registrada: todas las partidas tienen su opinión.")
        if solicitud.via == "rapida"
        else _("Revisión de %(area)s registrada.") % {"area": area},
        **{f"revision_{area.clave}": form},
    )


@login_required
@require_POST
def pedir_informacion(request, pk, area):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    formulario = _area(area)  # the area the page's form was drawn for: its field names
    form = TextoForm(request.POST, prefix=f"pet-{formulario.clave}")
    texto = request.POST.get(f"pet-{formulario.clave}-texto", "")
    # A reviewer of several areas a fast-track review covers chooses which one asks (issue
    # 61); the service checks that it may ask as that one.
    elegida = request.POST.get(f"pet-{formulario.clave}-area")
    area = _area(elegida) if elegida else formulario
    return ejecutar(
        request,
        solicitud,
        lambda: etapas.informacion_pedir(
            solicitud=solicitud, usuario=request.user, area=area, pregunta=texto
        ),
        _("Petición enviada al requirente; el plazo del área queda detenido."),
        **{f"peticion_{formulario.clave}": form},
    )


@login_required
@require_POST
def responder(request, pk, peticion):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not access.es_requirente_de(usuario=request.user, solicitud=solicitud):
        # Same answer as for a question that does not exist: ids are not probed one by one.
        raise Http404
    peticion = get_object_or_404(PeticionInformacion, pk=peticion, solicitud=solicitud)
    texto = request.POST.get("texto", "")
    return ejecutar(
        request,
        solicitud,
        lambda: etapas.informacion_responder(
            peticion=peticion, usuario=request.user, respuesta=texto
        ),
        _("Respuesta enviada al área."),
    )


def _reducir_a_la_referencia(request, solicitud, valor):
    """«Reducir a la referencia» without JavaScript: the page again with that item's fields
    set (decisiones.reduccion_a_referencia) and everything else as typed. Nothing is saved
    and the step stays open; the decision is registered with «Registrar», as always."""
    partidas = list(solicitud.partidas.select_related("perfil__categoria").order_by("pk"))
    partida = next((p for p in partidas if str(p.pk) == valor), None)
    reduccion = None
    if partida is not None:
        precio = precios_de_partidas(solicitud=solicitud, partidas=[partida])[partida.pk]
        reduccion = decisiones.reduccion_a_referencia(partida=partida, precio=precio)
    form = EstrategicaForm.escrito_con(
        request.POST,
        valores={f"p{partida.pk}_{c}": v for c, v in (reduccion or {}).items()},
        areas=areas_revisadas(solicitud=solicitud),
        partidas=partidas,
    )
    contexto = contexto_detalle(request, solicitud, estrategica=form)
    if "estrategica" not in contexto["acciones"]:
        raise PermissionDenied
    if reduccion is None:
        messages.error(request, decisiones.ERROR_SIN_REDUCCION)
    else:
        messages.info(
            request,
            _(
                "«%(partida)s» queda reducida a la referencia: %(monto)s. Revise la decisión "
                "y regístrela; aún no se guarda nada."
            )
            % {"partida": partida.descripcion, "monto": pesos(reduccion["monto"])},
        )
    # Re-rendered in place of a redirect: what was typed lives only in this form.
    status = 200 if reduccion is not None else 400
    return render(request, "solicitudes/detalle.html", contexto, status=status)


@login_required
@require_POST
def estrategica(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if valor := request.POST.get("reducir"):
        return _reducir_a_la_referencia(request, solicitud, valor)
    form = EstrategicaForm(
        request.POST,
        areas=areas_revisadas(solicitud=solicitud),
        partidas=solicitud.partidas.order_by("pk"),
    )
    if not form.is_valid():
        return rechazo(
            request, solicitud, ValidationError(_("Revise los campos marcados.")), estrategica=form
        )
    datos = form.cleaned_data
    devolver = datos["accion"] == "devolver"
    if devolver and datos["area"] is None:
        return rechazo(
            request,
            solicitud,
            ValidationError(_("Elija el área a la que devuelve.")),
            estrategica=form,
        )
    return ejecutar(
        request,
        solicitud,
        lambda: etapas.solicitud_decidir(
            solicitud=solicitud,
            usuario=request.user,
            partidas=form.partidas_datos(),
            motivos=datos["motivos"],
            condiciones=datos["condiciones"],
            devolver_a=datos["area"] if devolver else None,
        ),
        _("Solicitud devuelta al área.") if devolver else _("Decisión registrada; pasa a firma."),
        estrategica=form,
    )


def _cerrar(request, pk, *, clave, servicio, exito):
    """Closing a request early: the reason and the confirmation, in a form with prefix `clave`."""
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    form = CierreForm(request.POST, prefix=clave)
    if not form.is_valid():
        return rechazo(
            request, solicitud, ValidationError(_("Revise los campos marcados.")), **{clave: form}
        )
    return ejecutar(
        request,
        solicitud,
        lambda: servicio(
            solicitud=solicitud, usuario=request.user, motivo=form.cleaned_data["motivo"]
        ),
        exito,
        **{clave: form},
    )


@login_required
@require_POST
def desistir(request, pk):
    """The agency withdraws its request."""
    return _cerrar(
        request,
        pk,
        clave="desistir",
        servicio=cierre.solicitud_desistir,
        exito=_("La solicitud se cerró por desistimiento; sus pasos en curso se cancelaron."),
    )


@login_required
@require_POST
def cancelar_solicitud(request, pk):
    """The Dirección General cancels a request."""
    return _cerrar(
        request,
        pk,
        clave="cancelar_solicitud",
        servicio=cierre.solicitud_cancelar,
        exito=_("La solicitud se canceló; se avisó a la dependencia."),
    )


@login_required
@require_POST
def tomar(request, pk, tarea_pk):
    """Take a step: it moves to the person's inbox, with their name as who holds it."""
    from viewflow.workflow.models import Task

    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    proceso = getattr(solicitud, "proceso", None)
    tarea = get_object_or_404(Task, pk=tarea_pk, process_id=getattr(proceso, "pk", None))
    titulo = titulo_de(tarea=tarea)
    return ejecutar(
        request,
        solicitud,
        lambda: tareas.tarea_tomar(tarea=tarea, usuario=request.user),
        _("Tomó «%(titulo)s». Queda a su nombre y en «Mis tareas».") % {"titulo": titulo},
    )


@login_required
@require_POST
def reasignar(request, pk, tarea_pk):
    from django.contrib.auth import get_user_model

    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    tarea = get_object_or_404(tareas_abiertas(solicitud=solicitud), pk=tarea_pk)
    if not access.tiene_rol_de(usuario=request.user, tarea=tarea):
        # A task of another role answers like one that does not exist.
        raise Http404
    nuevo = get_object_or_404(get_user_model(), pk=request.POST.get("persona") or 0)
    return ejecutar(
        request,
        solicitud,
        lambda: tareas.tarea_reasignar(
            tarea=tarea, usuario=request.user, nuevo=nuevo, motivo=request.POST.get("motivo", "")
        ),
        _("Tarea reasignada a %(persona)s.") % {"persona": nuevo.get_full_name()},
    )
