"""Pages of a request. Each POST calls one service; refusals come back in Spanish, with a
4xx status and what the person typed still in the form."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from dictamenes import archivos, calendario, efirma, emision, exceptions, pasos, selectors, tramite
from dictamenes.forms import (
    AdmisionForm,
    AnexoForm,
    CancelacionForm,
    EfirmaForm,
    EstrategicaForm,
    PartidaForm,
    RectificacionForm,
    RevisionAreaForm,
    SolicitudForm,
    TextoForm,
)
from dictamenes.models import (
    Anexo,
    Area,
    Dictamen,
    Ente,
    Partida,
    PeticionInformacion,
    Resultado,
    Solicitud,
)
from dictamenes.paginacion import PaginadorEstimado
from estandares import selectors as estandares_selectors
from estandares.forms import EspecificacionesForm
from estandares.models import Perfil as PerfilTecnico

POR_PAGINA = 25


def _mensaje(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "No tiene permiso para esta acción."


@login_required
def lista(request):
    qs = selectors.solicitudes_visibles(usuario=request.user).select_related("ente")
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
    es_requirente = not selectors.es_interno(usuario=request.user)
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
            solicitud = tramite.solicitud_crear(
                usuario=request.user, ente=ente, datos=form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _mensaje(exc))
        else:
            messages.success(request, "Borrador creado. Agregue sus partidas y anexos.")
            return redirect("solicitudes:detalle", pk=solicitud.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "solicitudes/formulario.html", {"form": form, "ente": ente}, status=status
    )


def _conflicto(form, exc, version_actual) -> None:
    """Keep what the person typed, say who changed what, and carry the current version so
    that saving again, after comparing, is a deliberate overwrite."""
    form.add_error(None, _mensaje(exc))
    if version_actual is not None:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(version_actual)


@login_required
def editar(request, pk):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    if not tramite.es_requirente_de(request.user, solicitud):
        # Only the agency edits its request; the form is not offered to anyone else.
        raise Http404
    form = SolicitudForm(
        request.POST or None,
        instance=None,
        initial={campo: getattr(solicitud, campo) for campo in tramite.CAMPOS_SOLICITUD}
        | {"version": solicitud.version},
    )
    conflicto = False
    if request.method == "POST" and form.is_valid():
        try:
            tramite.solicitud_actualizar(
                solicitud=solicitud,
                usuario=request.user,
                datos=form.cleaned_data,
                version=form.cleaned_data.get("version"),
            )
        except exceptions.Conflicto as exc:
            conflicto = True
            solicitud.refresh_from_db()
            _conflicto(form, exc, solicitud.version)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _mensaje(exc))
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
        if nodo == "admision":
            texto = "La mesa de control revisa que su solicitud esté completa"
        elif nodo == "revision_estrategica":
            texto = "La Dirección General decide el resultado"
        elif nodo == "firma":
            texto = "Falta la firma del dictamen por la persona titular de la Subsecretaría"
        elif nodo != "subsanar":
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
        libre = tarea.owner_id is None and tramite.puede_tomar(usuario, tarea)
        de_suplido = tarea.owner_id in suplidos
        vista_tareas.append(
            {
                "tarea": tarea,
                "titulo": tramite.titulo_de(tarea, proceso=solicitud.proceso),
                **tramite.plazo_de(tarea, ahora=ahora, calendario_=cal),
                "mia": tarea.owner_id == usuario.pk or libre or de_suplido,
                # The agency's own step (subsanar) is answered, not taken.
                "tomable": (libre or de_suplido)
                and tarea.flow_task.name != "subsanar"
                and tramite.puede_atender(usuario, tarea, solicitud),
                "nodo": tarea.flow_task.name,
            }
        )
    perfil = getattr(usuario, "perfil", None)
    if perfil is not None and perfil.es_jefe:
        for t in vista_tareas:
            if tramite.tiene_rol_de(usuario, t["tarea"]):
                t["candidatos"] = list(tramite.candidatos_para(t["tarea"]))
    nodos = {t["nodo"] for t in vista_tareas if t["mia"]}
    es_requirente = tramite.es_requirente_de(usuario, solicitud)
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
        if solicitud.estado in tramite.EDITABLE:
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
        if nodo.startswith("revision_") and nodo != "revision_estrategica":
            areas_mias.append(nodo.removeprefix("revision_"))
        if nodo == "re_revision":
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
        from dictamenes.planeacion import consolidaciones_de

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
        "aviso_montos": _aviso_montos(tramite.montos_de(solicitud=solicitud)),
        "tomables": any(t["tomable"] for t in vista_tareas),
        "acciones": acciones,
        "es_requirente": es_requirente,
        "dictamenes": dictamenes,
        "dictamen": vigente,
        "puede_expediente": not es_requirente and (selectors.es_interno(usuario=usuario)),
        "pasos": pasos.pasos_de(solicitud=solicitud),
    }


@login_required
def detalle(request, pk):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    return render(request, "solicitudes/detalle.html", _contexto_detalle(request, solicitud))


def _rechazo(request, solicitud, exc, **formularios):
    """Render the page again with the refusal and the bound form that caused it."""
    messages.error(request, _mensaje(exc))
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


def _ejecutar(request, solicitud, accion, exito: str, advertencia=None, **formularios):
    try:
        accion()
    except (ValidationError, PermissionDenied) as exc:
        return _rechazo(request, solicitud, exc, **formularios)
    messages.success(request, exito)
    if advertencia and (texto := advertencia()):
        messages.warning(request, texto)
    return redirect("solicitudes:detalle", pk=solicitud.pk)


@login_required
@require_POST
def presentar(request, pk):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    return _ejecutar(
        request,
        solicitud,
        lambda: tramite.solicitud_presentar(solicitud=solicitud, usuario=request.user),
        "Solicitud presentada. La mesa de control revisará que esté completa.",
        advertencia=lambda: _aviso_montos(tramite.montos_de(solicitud=solicitud)),
    )


def _aviso_montos(montos) -> str:
    if not montos["diferencia"] or not montos["hay_partidas"]:
        return ""
    return (
        f"El monto total declarado (${montos['declarado']:,.2f}) no coincide con la suma de "
        f"las partidas (${montos['partidas']:,.2f}): la diferencia es de "
        f"${abs(montos['diferencia']):,.2f}."
    )


@login_required
@require_POST
def admision(request, pk):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    form = AdmisionForm(request.POST)
    if not form.is_valid():
        return _rechazo(
            request, solicitud, ValidationError("Elija admitir o prevenir."), admision=form
        )
    admitir = form.cleaned_data["decision"] == "admitir"
    return _ejecutar(
        request,
        solicitud,
        lambda: tramite.admision_resolver(
            solicitud=solicitud,
            usuario=request.user,
            admitir=admitir,
            faltantes=form.cleaned_data["faltantes"],
        ),
        "Solicitud admitida." if admitir else "Prevención emitida y notificada.",
        admision=form,
    )


@login_required
@require_POST
def subsanar(request, pk):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    form = TextoForm(request.POST)
    texto = request.POST.get("texto", "")
    return _ejecutar(
        request,
        solicitud,
        lambda: tramite.solicitud_subsanar(
            solicitud=solicitud, usuario=request.user, respuesta=texto
        ),
        "Prevención atendida; la solicitud vuelve a admisión.",
        subsanar=form,
    )


def _area(clave):
    return get_object_or_404(Area, clave=clave)


@login_required
@require_POST
def revision_area(request, pk, area):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    area = _area(area)
    propias = list(solicitud.partidas.filter(perfil__categoria__area=area))
    form = RevisionAreaForm(request.POST, partidas=propias, prefix=area.clave)
    if not form.is_valid():
        return _rechazo(
            request,
            solicitud,
            ValidationError("Revise los campos marcados."),
            **{f"revision_{area.clave}": form},
        )
    return _ejecutar(
        request,
        solicitud,
        lambda: tramite.revision_area_concluir(
            solicitud=solicitud,
            usuario=request.user,
            area=area,
            opinion=form.cleaned_data["opinion"],
            observaciones=form.cleaned_data["observaciones"],
            partidas=form.partidas_datos(),
        ),
        f"Revisión de {area} registrada.",
        **{f"revision_{area.clave}": form},
    )


@login_required
@require_POST
def pedir_informacion(request, pk, area):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    area = _area(area)
    form = TextoForm(request.POST, prefix=f"pet-{area.clave}")
    texto = request.POST.get(f"pet-{area.clave}-texto", "")
    return _ejecutar(
        request,
        solicitud,
        lambda: tramite.informacion_pedir(
            solicitud=solicitud, usuario=request.user, area=area, pregunta=texto
        ),
        "Petición enviada al requirente; el plazo del área queda detenido.",
        **{f"peticion_{area.clave}": form},
    )


@login_required
@require_POST
def responder(request, pk, peticion):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    if not tramite.es_requirente_de(request.user, solicitud):
        # Same answer as for a question that does not exist: ids are not probed one by one.
        raise Http404
    peticion = get_object_or_404(PeticionInformacion, pk=peticion, solicitud=solicitud)
    texto = request.POST.get("texto", "")
    return _ejecutar(
        request,
        solicitud,
        lambda: tramite.informacion_responder(
            peticion=peticion, usuario=request.user, respuesta=texto
        ),
        "Respuesta enviada al área.",
    )


@login_required
@require_POST
def estrategica(request, pk):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    form = EstrategicaForm(
        request.POST, areas=Area.objects.filter(pk__in=solicitud.revisiones.values("area"))
    )
    if not form.is_valid():
        return _rechazo(
            request, solicitud, ValidationError("Revise los campos marcados."), estrategica=form
        )
    datos = form.cleaned_data
    devolver = datos["accion"] == "devolver"
    if devolver and datos["area"] is None:
        return _rechazo(
            request,
            solicitud,
            ValidationError("Elija el área a la que devuelve."),
            estrategica=form,
        )
    return _ejecutar(
        request,
        solicitud,
        lambda: tramite.decision_estrategica(
            solicitud=solicitud,
            usuario=request.user,
            resultado=datos["resultado"],
            motivos=datos["motivos"],
            condiciones=datos["condiciones"],
            devolver_a=datos["area"] if devolver else None,
        ),
        "Solicitud devuelta al área." if devolver else "Decisión registrada; pasa a firma.",
        estrategica=form,
    )


def _credencial(form):
    return efirma.credencial_cargar(
        contrasena=form.cleaned_data["contrasena"],
        cer=form.bytes_de("cer"),
        key=form.bytes_de("key"),
        p12=form.bytes_de("p12"),
    )


def _rechazo_efirma(request, solicitud, form, clave):
    return _rechazo(
        request,
        solicitud,
        ValidationError(" ".join(str(e) for errores in form.errors.values() for e in errores)),
        **{clave: form},
    )


# The password and the key never reach error reports or logs.
@sensitive_post_parameters("contrasena")
@sensitive_variables("form")
@login_required
@require_POST
def firma(request, pk):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    form = EfirmaForm(request.POST, request.FILES)
    if not form.is_valid():
        return _rechazo_efirma(request, solicitud, form, "firma")
    return _ejecutar(
        request,
        solicitud,
        lambda: emision.dictamen_emitir(
            solicitud=solicitud, usuario=request.user, credencial=_credencial(form)
        ),
        "Dictamen firmado y emitido.",
    )


def _dictamen_de(solicitud, dictamen_pk) -> Dictamen:
    return get_object_or_404(Dictamen, pk=dictamen_pk, solicitud=solicitud)


@sensitive_post_parameters("contrasena")
@sensitive_variables("form")
@login_required
@require_POST
def cancelar(request, pk, dictamen_pk):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    dictamen = _dictamen_de(solicitud, dictamen_pk)
    form = CancelacionForm(request.POST, request.FILES, prefix="cancelar")
    if not form.is_valid():
        return _rechazo_efirma(request, solicitud, form, "cancelar")
    return _ejecutar(
        request,
        solicitud,
        lambda: emision.dictamen_cancelar(
            dictamen=dictamen,
            usuario=request.user,
            credencial=_credencial(form),
            motivo=form.cleaned_data["motivo"],
        ),
        f"Dictamen {dictamen.folio} cancelado.",
    )


@sensitive_post_parameters("contrasena")
@sensitive_variables("form")
@login_required
@require_POST
def rectificar(request, pk, dictamen_pk):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    dictamen = _dictamen_de(solicitud, dictamen_pk)
    form = RectificacionForm(request.POST, request.FILES, prefix="rectificar")
    if not form.is_valid():
        return _rechazo_efirma(request, solicitud, form, "rectificar")
    return _ejecutar(
        request,
        solicitud,
        lambda: emision.dictamen_rectificar(
            dictamen=dictamen,
            usuario=request.user,
            credencial=_credencial(form),
            motivo=form.cleaned_data["motivo"],
            motivos=form.cleaned_data["motivos"],
            condiciones=form.cleaned_data["condiciones"],
        ),
        f"Dictamen {dictamen.folio} rectificado.",
    )


def dictamen_pdf(request, pk, dictamen_pk):
    """Only those who may see the request download its dictamen; everyone else gets 404.
    On S3 the answer is a short-lived presigned URL instead of streaming through the app."""
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    dictamen = _dictamen_de(solicitud, dictamen_pk)
    disposicion = f'attachment; filename="{emision.pdf_nombre(dictamen.folio)}"'
    if "s3" in settings.STORAGES["default"]["BACKEND"].lower():
        url = dictamen.pdf.storage.url(
            dictamen.pdf.name, parameters={"ResponseContentDisposition": disposicion}
        )
        return redirect(url)
    return HttpResponse(
        emision.pdf_leer(dictamen),
        content_type="application/pdf",
        headers={"Content-Disposition": disposicion},
    )


# --- Items and attachments ------------------------------------------------------------------------


@login_required
def partida(request, pk, partida_pk=None):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    if not tramite.es_requirente_de(request.user, solicitud):
        raise Http404
    instancia = (
        get_object_or_404(Partida, pk=partida_pk, solicitud=solicitud) if partida_pk else None
    )
    datos = request.POST if request.method == "POST" else None
    guardar = bool(datos and datos.get("guardar"))
    if datos and not guardar:
        # Choosing the profile is not saving: what was typed comes back as it was, unjudged.
        form = PartidaForm(instance=instancia, initial=datos.dict())
    else:
        # ?perfil= preselects a profile; without it an item keeps its own (an initial of None
        # would blank it out).
        elegido = {"perfil": request.GET["perfil"]} if request.GET.get("perfil") else {}
        form = PartidaForm(datos, instance=instancia, initial=elegido)
    perfil_id = (
        (datos or {}).get("perfil")
        or request.GET.get("perfil")
        or (instancia.perfil_id if instancia else None)
    )
    especificaciones = None
    conflicto = False
    if (
        perfil_id
        and str(perfil_id).isdigit()
        and form.fields["perfil"].queryset.filter(pk=perfil_id).exists()
    ):
        spec = estandares_selectors.perfil_spec(
            estandares_selectors.perfil_con_requisitos(perfil_id=int(perfil_id))
        )
        inicial = _iniciales(instancia.especificaciones, spec) if instancia else {}
        if datos and not guardar:
            inicial |= _iniciales(datos, spec, prefijo="esp-")
        especificaciones = EspecificacionesForm(
            datos if guardar else None,
            perfil=spec,
            prefix="esp",
            initial=inicial,
        )
    if guardar and form.is_valid() and especificaciones and especificaciones.is_valid():
        try:
            tramite.partida_guardar(
                solicitud=solicitud,
                usuario=request.user,
                partida=instancia,
                datos={
                    **form.cleaned_data,
                    "especificaciones": especificaciones.especificaciones(),
                },
                version=form.cleaned_data.get("version"),
            )
        except exceptions.Conflicto as exc:
            conflicto = True
            actual = Partida.objects.filter(pk=instancia.pk).values_list("version", flat=True)
            _conflicto(form, exc, actual.first())
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, _mensaje(exc))
        else:
            messages.success(request, "Partida guardada y evaluada contra los estándares.")
            return redirect("solicitudes:detalle", pk=solicitud.pk)
    status = 409 if conflicto else 400 if guardar else 200
    # The result stored at the last save, shown under each requisito until the person types
    # (the page's script then asks partida_evaluar); none once values differ from the saved.
    guardada = instancia.evaluacion if instancia and not datos else None
    return render(
        request,
        "solicitudes/partida.html",
        {
            "solicitud": solicitud,
            "form": form,
            "especificaciones": especificaciones,
            "filas": especificaciones.filas_con_resultado(guardada) if especificaciones else (),
            "sin_perfil": bool(datos and not guardar and not especificaciones),
            "partida": instancia,
            "conflicto": conflicto,
        },
        status=status,
    )


def _iniciales(especificaciones, spec, *, prefijo: str = "") -> dict:
    """Initial values of the specifications form: from a saved item's dict, or (with
    `prefijo`) from what was typed in the form before choosing the profile."""
    inicial = {}
    for req in spec.requisitos:
        if prefijo:
            for clave in (req.clave, f"{req.clave}__unidad"):
                if especificaciones.get(prefijo + clave):
                    inicial[clave] = especificaciones.get(prefijo + clave)
            continue
        valor = especificaciones.get(req.clave)
        if isinstance(valor, dict):
            inicial[req.clave] = valor.get("valor")
            inicial[f"{req.clave}__unidad"] = valor.get("unidad")
        elif isinstance(valor, bool):
            inicial[req.clave] = "si" if valor else "no"
        elif valor is not None:
            inicial[req.clave] = valor
    return inicial


@login_required
@require_POST
def partida_eliminar(request, pk, partida_pk):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    instancia = get_object_or_404(Partida, pk=partida_pk, solicitud=solicitud)
    return _ejecutar(
        request,
        solicitud,
        lambda: tramite.partida_eliminar(partida=instancia, usuario=request.user),
        "Partida eliminada.",
    )


@login_required
@require_POST
def anexo_subir(request, pk):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    form = AnexoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _rechazo(
            request,
            solicitud,
            ValidationError(" ".join(str(e) for errores in form.errors.values() for e in errores)),
            anexo=form,
        )
    return _ejecutar(
        request,
        solicitud,
        lambda: tramite.anexo_agregar(
            solicitud=solicitud,
            usuario=request.user,
            tipo=form.cleaned_data["tipo"],
            archivo=form.cleaned_data["archivo"],
        ),
        "Anexo agregado.",
        anexo=form,
    )


@login_required
def anexo_descargar(request, pk, anexo_pk):
    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    anexo = get_object_or_404(Anexo, pk=anexo_pk, solicitud=solicitud)
    with anexo.archivo.open("rb") as f:
        if archivos.sha256_de(f) != anexo.sha256:
            raise ValidationError("El archivo almacenado no coincide con su huella SHA-256.")
    return FileResponse(
        anexo.archivo.open("rb"),
        as_attachment=True,
        filename=anexo.nombre,
        content_type=anexo.content_type,
    )


@login_required
@require_POST
def tomar(request, pk, tarea_pk):
    """Take a step: it moves to the person's inbox, with their name as who holds it."""
    from viewflow.workflow.models import Task

    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    proceso = getattr(solicitud, "proceso", None)
    tarea = get_object_or_404(Task, pk=tarea_pk, process_id=getattr(proceso, "pk", None))
    titulo = tramite.titulo_de(tarea)
    return _ejecutar(
        request,
        solicitud,
        lambda: tramite.tarea_tomar(tarea=tarea, usuario=request.user),
        f"Tomó «{titulo}». Queda a su nombre y en «Mis tareas».",
    )


@login_required
@require_POST
def reasignar(request, pk, tarea_pk):
    from django.contrib.auth import get_user_model

    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    tarea = get_object_or_404(tramite.tareas_abiertas(solicitud=solicitud), pk=tarea_pk)
    if not tramite.tiene_rol_de(request.user, tarea):
        # A task of another role answers like one that does not exist.
        raise Http404
    nuevo = get_object_or_404(get_user_model(), pk=request.POST.get("persona") or 0)
    return _ejecutar(
        request,
        solicitud,
        lambda: tramite.tarea_reasignar(
            tarea=tarea, usuario=request.user, nuevo=nuevo, motivo=request.POST.get("motivo", "")
        ),
        f"Tarea reasignada a {nuevo.get_full_name()}.",
    )


@login_required
def suplencias(request):
    """A reviewer on leave names who stands in for them, and for how long."""
    from dictamenes.forms import SustitucionForm

    tramite.exigir_rol_con_tareas(request.user)
    form = SustitucionForm(request.POST or None, titular=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            tramite.sustitucion_crear(titular=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _mensaje(exc))
        else:
            messages.success(request, "Suplencia registrada.")
            return redirect("solicitudes:suplencias")
    return render(
        request,
        "solicitudes/suplencias.html",
        {"form": form, "suplencias": request.user.sustituciones.select_related("suplente")},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def expediente(request, pk):
    """The whole expediente as a ZIP, for the Subsecretaría and the auditors."""
    from dictamenes.expediente import expediente_zip

    solicitud = selectors.solicitud_para(usuario=request.user, pk=pk)
    if not selectors.es_interno(usuario=request.user):
        raise Http404
    nombre = f"expediente-{(solicitud.folio or f'borrador-{solicitud.pk}')}.zip"
    return HttpResponse(
        expediente_zip(solicitud),
        content_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{nombre}"'},
    )
