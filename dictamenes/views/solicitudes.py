"""Pages of a request. Each POST calls one service; refusals come back in Spanish, with a
4xx status and what the person typed still in the form."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dictamenes import access, exceptions
from dictamenes.flow_port import Nodo
from dictamenes.forms import (
    AdmisionForm,
    AnexoForm,
    CancelacionForm,
    EfirmaForm,
    EstrategicaForm,
    RectificacionForm,
    RevisionAreaForm,
    SolicitudForm,
    TextoForm,
)
from dictamenes.models import (
    Area,
    Ente,
    Partida,
    Resultado,
    Solicitud,
)
from dictamenes.paginacion import PaginadorEstimado
from dictamenes.selectors import (
    calendario,
    estados,
    pasos,
    solicitudes,
    tramite,
    usuarios,
)
from estandares.models import Perfil as PerfilTecnico

POR_PAGINA = 25


def mensaje_de(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "No tiene permiso para esta acción."


@login_required
def lista(request):
    qs = tramite.solicitudes_visibles(usuario=request.user).select_related("ente")
    filtros = {
        "ente": request.GET.get("ente", ""),
        "ejercicio": request.GET.get("ejercicio", ""),
        "estado": request.GET.get("estado", ""),
        "tipo": request.GET.get("tipo", ""),
        "q": request.GET.get("q", "").strip(),
        "resultado": request.GET.get("resultado", ""),
        "area": request.GET.get("area", ""),
        "monto_min": request.GET.get("monto_min", "").strip(),
        "monto_max": request.GET.get("monto_max", "").strip(),
    }
    if filtros["ente"].isdigit():
        qs = qs.filter(ente_id=int(filtros["ente"]))
    if filtros["ejercicio"].isdigit():
        qs = qs.filter(ejercicio=int(filtros["ejercicio"]))
    if filtros["estado"] in Solicitud.Estado.values:
        qs = qs.filter(estado=filtros["estado"])
    if filtros["tipo"]:
        qs = qs.filter(tipo_operacion=filtros["tipo"])
    if filtros["resultado"]:
        qs = qs.filter(resultado=filtros["resultado"])
    if filtros["area"]:
        # The area's profiles first (a few ids), so the search probes each request's items
        # by index instead of joining every item to its category and area.
        perfiles = list(
            PerfilTecnico.objects.filter(categoria__area__clave=filtros["area"]).values_list(
                "pk", flat=True
            )
        )
        qs = qs.filter(
            Exists(Partida.objects.filter(solicitud=OuterRef("pk"), perfil_id__in=perfiles))
        )
    for clave, operador in (("monto_min", "gte"), ("monto_max", "lte")):
        try:
            if filtros[clave]:
                qs = qs.filter(**{f"monto_estimado__{operador}": Decimal(filtros[clave])})
        except InvalidOperation:
            filtros[clave] = ""
    if filtros["q"]:
        qs = qs.filter(Q(titulo__icontains=filtros["q"]) | Q(folio__icontains=filtros["q"]))
    pagina = PaginadorEstimado(qs.order_by("-creada_en", "-id"), POR_PAGINA).get_page(
        request.GET.get("p")
    )
    es_requirente = not usuarios.es_interno(usuario=request.user)
    return render(
        request,
        "solicitudes/lista.html",
        {
            "pagina": pagina,
            "filtros": filtros,
            "es_requirente": es_requirente,
            "entes": [] if es_requirente else Ente.objects.only("pk", "siglas"),
            "estados": Solicitud.Estado.choices,
            "tipos": Solicitud._meta.get_field("tipo_operacion").choices,
            "resultados": Resultado.choices,
            "areas": [] if es_requirente else Area.objects.only("clave", "nombre"),
        },
    )


@login_required
def nueva(request):
    perfil = getattr(request.user, "perfil", None)
    ente = getattr(perfil, "ente", None)
    if ente is None:
        raise PermissionDenied("Solo el personal de una dependencia presenta solicitudes.")
    form = SolicitudForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            solicitud = solicitudes.solicitud_crear(
                usuario=request.user, ente=ente, datos=form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, mensaje_de(exc))
        else:
            messages.success(request, "Borrador creado. Agregue sus partidas y anexos.")
            return redirect("solicitudes:detalle", pk=solicitud.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "solicitudes/formulario.html", {"form": form, "ente": ente}, status=status
    )


def conflicto_de_version(form, exc, version_actual) -> None:
    """Keep what the person typed, say who changed what, and carry the current version so
    that saving again, after comparing, is a deliberate overwrite."""
    form.add_error(None, mensaje_de(exc))
    if version_actual is not None:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(version_actual)


@login_required
def editar(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not access.es_requirente_de(request.user, solicitud):
        # Only the agency edits its request; the form is not offered to anyone else.
        raise Http404
    form = SolicitudForm(
        request.POST or None,
        instance=None,
        initial={campo: getattr(solicitud, campo) for campo in solicitudes.CAMPOS_SOLICITUD}
        | {"version": solicitud.version},
    )
    conflicto = False
    if request.method == "POST" and form.is_valid():
        try:
            solicitudes.solicitud_actualizar(
                solicitud=solicitud,
                usuario=request.user,
                datos=form.cleaned_data,
                version=form.cleaned_data.get("version"),
            )
        except exceptions.Conflicto as exc:
            conflicto = True
            solicitud.refresh_from_db()
            conflicto_de_version(form, exc, solicitud.version)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, mensaje_de(exc))
        else:
            return redirect("solicitudes:detalle", pk=solicitud.pk)
    status = 409 if conflicto else 400 if request.method == "POST" else 200
    return render(
        request,
        "solicitudes/formulario.html",
        {"form": form, "solicitud": solicitud, "ente": solicitud.ente, "conflicto": conflicto},
        status=status,
    )


def _lo_que_sigue(solicitud, tareas, dictamenes, vigente) -> list[str]:
    """For the agency, while the Subsecretaría holds its request: what happens next and by
    when, so that the box of "what you have to do" is never an empty one."""
    Estado = Solicitud.Estado
    if solicitud.estado == Estado.DICTAMINADA:
        if vigente is not None:
            return ["El dictamen está emitido y firmado: puede descargarlo abajo, en «Dictamen»."]
        ultimo = dictamenes[0] if dictamenes else None
        if ultimo is not None and ultimo.cancelado_en:
            return [
                f"El dictamen {ultimo.folio} se canceló el "
                f"{timezone.localtime(ultimo.cancelado_en):%d/%m/%Y}: "
                f"{ultimo.motivo_cancelacion} Ya no respalda la contratación; si aún la "
                "necesita, presente una nueva solicitud."
            ]
    if solicitud.estado == Estado.DESECHADA:
        return ["La solicitud se desechó sin dictamen; el motivo está en el historial."]
    lineas = []
    for t in tareas:
        vence = f"{timezone.localtime(t['vence']):%d/%m/%Y}" if t["vence"] else ""
        nodo = t["nodo"]
        if nodo == Nodo.ADMISION:
            texto = "La mesa de control revisa que su solicitud esté completa"
        elif nodo == Nodo.REVISION_ESTRATEGICA:
            texto = "La Dirección General decide el resultado"
        elif nodo == Nodo.FIRMA:
            texto = "Falta la firma del dictamen por la persona titular de la Subsecretaría"
        elif nodo != Nodo.SUBSANAR:
            texto = f"{t['titulo']}: el área revisa sus partidas contra los estándares"
        else:
            continue
        lineas.append(f"{texto}{f', a más tardar el {vence}' if vence else ''}.")
    if lineas:
        lineas.append(
            "Por ahora no le toca hacer nada. Si falta algo o un área necesita información, "
            "se lo pedirán aquí y por correo."
        )
    return lineas


def _contexto_detalle(request, solicitud, **formularios):
    usuario = request.user
    tareas = list(tramite.tareas_abiertas(solicitud=solicitud).select_related("owner"))
    cal = calendario.Calendario.cargar(timezone.localdate(), timezone.localdate())
    ahora = timezone.now()
    vista_tareas = []
    suplidos = set(tramite.titulares_suplidos(usuario=usuario)) if tareas else set()
    for tarea in tareas:
        libre = tarea.owner_id is None and access.puede_tomar(usuario, tarea)
        de_suplido = tarea.owner_id in suplidos
        vista_tareas.append(
            {
                "tarea": tarea,
                "titulo": tramite.titulo_de(tarea, proceso=solicitud.proceso),
                **tramite.plazo_de(tarea, ahora=ahora, calendario_=cal),
                "mia": tarea.owner_id == usuario.pk or libre or de_suplido,
                # The agency's own step (subsanar) is answered, not taken.
                "tomable": (libre or de_suplido)
                and tarea.flow_task.name != Nodo.SUBSANAR
                and access.puede_atender(usuario, tarea, solicitud),
                "nodo": tarea.flow_task.name,
            }
        )
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.es_jefe:
        for t in vista_tareas:
            if access.tiene_rol_de(usuario, t["tarea"]):
                t["candidatos"] = list(tramite.candidatos_para(t["tarea"]))
    nodos = {t["nodo"] for t in vista_tareas if t["mia"]}
    es_requirente = access.es_requirente_de(usuario, solicitud)
    partidas = list(
        solicitud.partidas.select_related(
            "perfil__categoria__area", "perfil__categoria__publicacion"
        ).prefetch_related("opiniones__revision")
    )
    peticiones = list(solicitud.peticiones.select_related("area", "pedida_por"))
    dictamenes = list(solicitud.dictamenes.select_related("firmado_por", "sustituye"))
    vigente = next((d for d in dictamenes if d.cancelado_en is None), None)
    acciones = {}
    if es_requirente:
        if solicitud.estado in estados.EDITABLE:
            acciones["editar"] = True
            acciones["anexo"] = formularios.get("anexo") or AnexoForm()
        if solicitud.estado == Solicitud.Estado.BORRADOR:
            acciones["presentar"] = True
        if "subsanar" in nodos:
            acciones["subsanar"] = formularios.get("subsanar") or TextoForm(
                etiqueta="Describa cómo atendió la prevención"
            )
        abiertas = [p for p in peticiones if p.abierta]
        if abiertas:
            acciones["responder"] = abiertas
            acciones["anexo"] = acciones.get("anexo") or AnexoForm()
        if not acciones and (sigue := _lo_que_sigue(solicitud, vista_tareas, dictamenes, vigente)):
            acciones["espera"] = sigue
    if "admision" in nodos:
        acciones["admision"] = formularios.get("admision") or AdmisionForm()
    areas_mias = []
    for nodo in nodos:
        if Nodo.es_revision_de_area(nodo):
            areas_mias.append(nodo.removeprefix("revision_"))
        if nodo == Nodo.RE_REVISION:
            areas_mias.append(solicitud.proceso.area_devuelta.clave)
    if areas_mias:
        acciones["revisiones"] = []
        for area in Area.objects.filter(clave__in=areas_mias):
            propias = [p for p in partidas if p.perfil.categoria.area_id == area.pk]
            form = formularios.get(f"revision_{area.clave}") or RevisionAreaForm(
                partidas=propias, prefix=area.clave
            )
            acciones["revisiones"].append(
                {
                    "area": area,
                    "form": form,
                    "abierta": any(p.abierta and p.area_id == area.pk for p in peticiones),
                    "peticion": formularios.get(f"peticion_{area.clave}")
                    or TextoForm(
                        etiqueta="Información que necesita del requirente",
                        prefix=f"pet-{area.clave}",
                    ),
                }
            )
    if "revision_estrategica" in nodos:
        from dictamenes.services.planeacion import consolidaciones_de

        acciones["consolidacion"] = consolidaciones_de(solicitud=solicitud)
        acciones["estrategica"] = formularios.get("estrategica") or EstrategicaForm(
            areas=Area.objects.filter(pk__in=solicitud.revisiones.values("area"))
        )
    if "firma" in nodos:
        acciones["firma"] = tramite.decision_vigente(solicitud)
        acciones["firma_form"] = formularios.get("firma") or EfirmaForm()
    if vigente and usuario.has_perm("dictamenes.firmar_dictamen"):
        acciones["cancelar"] = formularios.get("cancelar") or CancelacionForm(prefix="cancelar")
        acciones["rectificar"] = formularios.get("rectificar") or RectificacionForm(
            prefix="rectificar",
            initial={"motivos": vigente.motivos, "condiciones": vigente.condiciones},
        )
    return {
        "solicitud": solicitud,
        "partidas": partidas,
        "anexos": list(solicitud.anexos.select_related("subido_por")),
        "eventos": list(solicitud.eventos.select_related("usuario")),
        "peticiones": peticiones,
        "revisiones": list(solicitud.revisiones.select_related("area", "revisor")),
        "tareas": vista_tareas,
        "aviso_montos": aviso_montos(tramite.montos_de(solicitud=solicitud)),
        "tomables": any(t["tomable"] for t in vista_tareas),
        "acciones": acciones,
        "es_requirente": es_requirente,
        "dictamenes": dictamenes,
        "dictamen": vigente,
        "puede_expediente": not es_requirente and (usuarios.es_interno(usuario=usuario)),
        "pasos": pasos.pasos_de(solicitud=solicitud),
    }


@login_required
def detalle(request, pk):
    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    return render(request, "solicitudes/detalle.html", _contexto_detalle(request, solicitud))


def rechazo(request, solicitud, exc, **formularios):
    """Render the page again with the refusal and the bound form that caused it."""
    messages.error(request, mensaje_de(exc))
    if isinstance(exc, exceptions.Conflicto):
        status = 409  # someone else concluded or changed it first; nothing was written
    else:
        status = 403 if isinstance(exc, PermissionDenied) else 400
    return render(
        request,
        "solicitudes/detalle.html",
        _contexto_detalle(request, solicitud, **formularios),
        status=status,
    )


def ejecutar(request, solicitud, accion, exito: str, advertencia=None, **formularios):
    try:
        accion()
    except (ValidationError, PermissionDenied) as exc:
        return rechazo(request, solicitud, exc, **formularios)
    messages.success(request, exito)
    if advertencia and (texto := advertencia()):
        messages.warning(request, texto)
    return redirect("solicitudes:detalle", pk=solicitud.pk)


@login_required
def expediente(request, pk):
    """The whole expediente as a ZIP, for the Subsecretaría and the auditors."""
    from dictamenes.documentos.expediente import expediente_zip

    solicitud = access.solicitud_para(usuario=request.user, pk=pk)
    if not usuarios.es_interno(usuario=request.user):
        raise Http404
    nombre = f"expediente-{(solicitud.folio or f'borrador-{solicitud.pk}')}.zip"
    return HttpResponse(
        expediente_zip(solicitud),
        content_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{nombre}"'},
    )


def aviso_montos(montos) -> str:
    if not montos["diferencia"] or not montos["hay_partidas"]:
        return ""
    return (
        f"El monto total declarado (${montos['declarado']:,.2f}) no coincide con la suma de "
        f"las partidas (${montos['partidas']:,.2f}): la diferencia es de "
        f"${abs(montos['diferencia']):,.2f}."
    )
