"""The administrator's page of people and roles: who holds what, and granting or removing a
role with its reason. The rules live in dictamenes.personas.services.personas (rol_otorgar,
rol_retirar); the admin no longer edits groups, permissions or the superuser flag."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dictamenes.consola.forms.roles import (
    AccesoForm,
    CargoForm,
    IdentidadForm,
    JefaturaForm,
    ParametrosRoles,
    RolOtorgarForm,
    RolRetirarForm,
)
from dictamenes.consola.views.pedidos import cambio_pedir_desde
from dictamenes.models import Area, CambioPendiente, Ente, Perfil
from dictamenes.organizacion.selectors.usuarios import (
    accesos_pendientes,
    administra_roles,
    personas_con_roles,
    roles_de,
)
from dictamenes.personas.selectors.cambios_pendientes import cambios_pendientes
from dictamenes.personas.services import acceso, control_dual, personas
from dictamenes.roles import Rol
from estandares.entradas import parametros_leer

POR_PAGINA = 50


def _exigir_administrador(usuario) -> None:
    if not administra_roles(usuario=usuario):
        raise PermissionDenied(personas.ERROR_ROLES_SIN_PERMISO)


@login_required
def roles(request):
    _exigir_administrador(request.user)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    # The search and the page read strictly: what cannot be read is a 400 with its message.
    parametros = ParametrosRoles(request.GET)
    leidos = parametros_leer(request, parametros)
    q = leidos.get("q", "")
    personas_ = personas_con_roles(q=q)
    if parametros.errors:
        personas_ = personas_.none()
    pagina = Paginator(personas_, POR_PAGINA).get_page(leidos.get("p"))
    filas = [(persona, roles_de(usuario=persona)) for persona in pagina]
    return render(
        request,
        "cuentas/roles.html",
        {
            "pagina": pagina,
            "filas": filas,
            "q": request.GET.get("q", "")[:100].strip(),
            "pendientes": accesos_pendientes(),
            "cambios_por_aprobar": cambios_pendientes().count(),
        },
        status=400 if parametros.errors else 200,
    )


def _impedimento(*, por, persona) -> str:
    """Why this administrator may not change this person's roles at all, if so."""
    if persona.pk == por.pk:
        return personas.ERROR_ROLES_PROPIOS
    if persona.is_superuser and not por.is_superuser:
        return personas.ERROR_CUENTA_SUPERUSUARIO
    return ""


def _aplicar(*, accion, form, persona, por) -> str:
    """Call the service; the success message, or the refusal added to the form."""
    datos = form.cleaned_data
    rol = Rol(datos["rol"]) if "rol" in datos else None
    try:
        if accion == "identidad":
            control_dual.cambio_identidad_pedir(
                persona=persona,
                por=por,
                motivo=datos["motivo"],
                # A name left out (or blank) stays as it is: nothing is emptied by omission.
                first_name=datos.get("first_name") or None,
                last_name=datos.get("last_name") or None,
                username=datos.get("username") or None,
                email=datos["email"],
                rfc=datos.get("rfc"),
                curp=datos.get("curp"),
            )
            return _(
                "Cambio pedido: tendrá efecto cuando otra persona administradora lo apruebe "
                "en «Cambios por aprobar»."
            )
        if accion == "otorgar":
            hecho = personas.rol_otorgar(
                usuario=persona,
                rol=rol,
                por=por,
                motivo=datos["motivo"],
                ente=datos["ente"] if rol == Rol.REQUIRENTE else None,
                areas=datos["areas"] if rol == Rol.REVISOR_TECNICO else (),
            )
            if isinstance(hecho, CambioPendiente) and hecho.datos.get("ampliar"):
                return _(
                    "Áreas pedidas: se agregarán cuando otra persona administradora lo apruebe "
                    "en «Cambios por aprobar»."
                )
            if isinstance(hecho, CambioPendiente):
                return _(
                    "Rol «%(rol)s» pedido: tendrá efecto cuando otra persona administradora lo "
                    "apruebe en «Cambios por aprobar»."
                ) % {"rol": rol.label}
            return _("Rol «%(rol)s» otorgado.") % {"rol": rol.label}
        if accion == "acceso":
            hecho = acceso.cuenta_acceso_cambiar(
                persona=persona, activo=not persona.is_active, por=por, motivo=datos["motivo"]
            )
            if isinstance(hecho, CambioPendiente):
                return _(
                    "Cambio pedido: tendrá efecto cuando otra persona administradora lo apruebe "
                    "en «Cambios por aprobar»."
                )
            return _("Cuenta reactivada.") if persona.is_active else _("Cuenta desactivada.")
        hecho = personas.rol_retirar(usuario=persona, rol=rol, por=por, motivo=datos["motivo"])
        if isinstance(hecho, CambioPendiente):
            return _(
                "Retiro del rol «%(rol)s» pedido: tendrá efecto cuando otra persona "
                "administradora lo apruebe en «Cambios por aprobar»."
            ) % {"rol": rol.label}
        return _("Rol «%(rol)s» retirado.") % {"rol": rol.label}
    except ValidationError as exc:
        form.add_error(None, exc)
        return ""


@login_required
def rol_persona(request, pk):
    _exigir_administrador(request.user)
    persona = get_object_or_404(personas_con_roles(), pk=pk)
    actuales = roles_de(usuario=persona)
    # Only a superuser hands out or takes away the Administrador role (see the service).
    a_su_alcance = [r for r in Rol if request.user.is_superuser or r != Rol.ADMINISTRADOR]
    accion = request.POST.get("accion") if request.method == "POST" else None
    # A reviewer is granted the role again to add areas (issue 47): it stays on the list,
    # with only the areas they do not review yet.
    es_revisor = Rol.REVISOR_TECNICO in actuales
    perfil = getattr(persona, "perfil", None)
    suyas = list(perfil.areas.all()) if perfil else []  # prefetched by personas_con_roles
    otorgar = RolOtorgarForm(
        request.POST if accion == "otorgar" else None,
        prefix="otorgar",
        roles_posibles=[
            (r.value, _("Revisor técnico: agregar áreas") if r in actuales else r.label)
            for r in a_su_alcance
            if r not in actuales or r == Rol.REVISOR_TECNICO
        ],
        entes=Ente.objects.filter(activo=True).order_by("nombre"),
        areas=Area.objects.filter(activa=True)
        .exclude(pk__in=[a.pk for a in suyas])
        .order_by("nombre"),
        areas_suyas=[a.nombre for a in suyas] if es_revisor else None,
    )
    retirar = RolRetirarForm(
        request.POST if accion == "retirar" else None,
        prefix="retirar",
        roles_actuales=[(r.value, r.label) for r in a_su_alcance if r in actuales],
    )
    perfil = Perfil.objects.filter(usuario=persona).first()
    identidad = IdentidadForm(
        request.POST if accion == "identidad" else None,
        prefix="identidad",
        tiene_perfil=perfil is not None,
        initial={
            "first_name": persona.first_name,
            "last_name": persona.last_name,
            "username": persona.username,
            "email": persona.email,
            "rfc": perfil.rfc if perfil else "",
            "curp": (perfil.curp or "") if perfil else "",
        },
    )
    # The cargo (issue 59) is printed on the dictámenes the person signs: a second
    # administrator approves it (operacion.services.cambios.tipos_entes.Cargo).
    cargo = (
        CargoForm(
            request.POST if accion == "cargo" else None,
            prefix="cargo",
            initial={"cargo": perfil.cargo},
        )
        if perfil is not None
        else None
    )
    if (
        accion == "cargo"
        and cargo is not None
        and cargo.is_valid()
        and (
            hecho := cambio_pedir_desde(
                request,
                cargo,
                tipo=CambioPendiente.Tipo.CARGO,
                accion="cambiar",
                pedido={"perfil": perfil.pk, "cargo": cargo.cleaned_data["cargo"]},
                ir_a="cuentas:rol_persona",
                args=(persona.pk,),
            )
        )
    ):
        return hecho
    # The jefatura (issue 77): a power, given and taken away with a second administrator.
    jefatura = (
        JefaturaForm(request.POST if accion == "jefatura" else None, prefix="jefatura")
        if perfil is not None
        else None
    )
    if (
        accion == "jefatura"
        and jefatura is not None
        and jefatura.is_valid()
        and (
            hecho := cambio_pedir_desde(
                request,
                jefatura,
                tipo=CambioPendiente.Tipo.JEFATURA,
                accion="cambiar",
                pedido={"perfil": perfil.pk, "es_jefe": not perfil.es_jefe},
                ir_a="cuentas:rol_persona",
                args=(persona.pk,),
            )
        )
    ):
        return hecho
    acceso_form = AccesoForm(request.POST if accion == "acceso" else None, prefix="acceso")
    form = {
        "otorgar": otorgar,
        "retirar": retirar,
        "identidad": identidad,
        "acceso": acceso_form,
    }.get(accion)
    if form is not None and form.is_valid():
        hecho = _aplicar(accion=accion, form=form, persona=persona, por=request.user)
        if hecho:
            messages.success(request, hecho)
            return redirect("cuentas:rol_persona", pk=persona.pk)
    return render(
        request,
        "cuentas/rol_persona.html",
        {
            "persona": persona,
            "roles": actuales,
            "otorgar": otorgar,
            "retirar": retirar,
            "identidad": identidad,
            "acceso": acceso_form,
            "acceso_con_aprobacion": acceso.actua_en_el_tramite(usuario=persona),
            "cargo": cargo,
            "cargo_actual": perfil.cargo if perfil else "",
            "jefatura": jefatura,
            "es_jefe": bool(perfil and perfil.es_jefe),
            "cambios_pendientes": cambios_pendientes(persona=persona),
            "puede_retirar": len(retirar.fields["rol"].choices) > 1,
            "impedimento": _impedimento(por=request.user, persona=persona),
        },
        status=400 if request.method == "POST" else 200,
    )
