"""The writers' map (issue 59): every path that can write a rule, a person, a role or an amount,
and the control on each. The paths are found, not listed by hand: the Django admin's registry,
the URL resolver (every view that takes a POST, the API's included), the management commands
and the flow's nodes. What is declared here is only the control of each path; a path found with
no control declared is an error, and so is a control declared for a path that no longer exists.

`python -m config.escritores` prints the map that the documentation site carries between its
markers (docs/desarrollo/escritores.md); tests/config/test_escritores.py fails when a writer has
no control, or when that page's copy is not what this module generates
(ESCRIBIR_MAPA_ESCRITORES=1 rewrites it)."""

import ast
import contextlib
import fnmatch
import functools
import inspect
import textwrap
from dataclasses import dataclass

from config.escritores_comandos import (
    COMANDOS,
    COMANDOS_DE_DJANGO,
    DUAL,
    EDICION,
    NADA,
    PIDE,
    TODO,
)

# The models that hold a rule, a person, a role or an amount, and what of it.
CONTROLADOS = {
    "auth.User": "personas: cuenta, nombres, correo, acceso",
    "auth.Group": "roles y sus permisos",
    "dictamenes.Perfil": "RFC, CURP, cargo, ente y áreas de una persona",
    "dictamenes.Ente": "entes: nombre, siglas, tipo",
    "dictamenes.EnteNombre": "nombres anteriores de los entes (los datos de años pasados)",
    "dictamenes.Area": "áreas de revisión",
    "dictamenes.DiaInhabil": "días inhábiles",
    "dictamenes.PlazoEtapa": "plazos de las etapas",
    "dictamenes.Sustitucion": "suplencias",
    "dictamenes.Ausencia": "ausencias de revisores",
    "dictamenes.Refuerzo": "préstamos a un área",
    "dictamenes.ConfiguracionVias": "vías de revisión y su umbral",
    "dictamenes.MotivoRechazo": "motivos de no aprobación",
    "dictamenes.TextosInstitucionales": "textos, membrete y folios de la institución",
    "dictamenes.CambioPendiente": "cambios que esperan a una segunda persona",
    "dictamenes.CuentaEmergencia": "la cuenta de emergencia",
    "dictamenes.Solicitud": "solicitudes, su monto y su vía",
    "dictamenes.Partida": "partidas y sus montos",
    "dictamenes.DecisionPartida": "lo aprobado de cada partida: cantidad y monto",
    "dictamenes.Dictamen": "dictámenes",
    "dictamenes.Contrato": "contratos y su monto",
    "dictamenes.LineaPrograma": "líneas del programa anual y sus montos estimados",
    "estandares.Publicacion": "ediciones de los estándares",
    "estandares.Categoria": "categorías de los estándares y su área",
    "estandares.Perfil": "perfiles de los estándares",
    "estandares.Requisito": "requisitos de los estándares",
    "viewflow.Process": "el proceso de cada solicitud",
    "viewflow.Task": "los pasos de cada solicitud",
    "otp_totp.TOTPDevice": "segundo factor de una persona",
    "authtoken.TokenProxy": "credenciales de la API de una persona",
}

FLUJO = (
    "paso del flujo: tramite.services, con el permiso del paso (matriz de acceso), auditado "
    "en su transacción"
)
SOLO_SUPERUSUARIO = (
    "solo un superusuario (hecho en el servidor con createsuperuser), auditado (bitácora del "
    "admin en la cadena)"
)

PROGRAMA = (
    "requirente de su ente: planeacion.services.programa, con las reglas del archivo, auditado"
)
SOLO_GET = "no guarda nada: otro método que GET responde 405"
SOLO_LECTURA = "solo lectura"

# The «escribe» column: model labels separated by commas, or one of these.

# A page of the configuration console only asks for the change (operacion.services
# .configuracion, after rehearsing it: operacion.services.ensayo undoes what the rehearsal
# wrote); what the change sets is written by cuentas:cambio_resolver when another
# administrator approves it.
# What cuentas:cambio_resolver applies, each kind of change by its own service.
APLICA = (
    "dictamenes.CambioPendiente, auth.User, auth.Group, dictamenes.Perfil, dictamenes.Ente, "
    "dictamenes.EnteNombre, dictamenes.Area, dictamenes.DiaInhabil, dictamenes.PlazoEtapa, "
    "dictamenes.Sustitucion, dictamenes.Refuerzo, dictamenes.ConfiguracionVias, "
    "dictamenes.MotivoRechazo, dictamenes.TextosInstitucionales, estandares.Publicacion, "
    "estandares.Categoria, viewflow.Task"
)
# Signing in: Django keeps the time of the last sign-in on the account, nothing else.
SESION = "la propia sesión: solo la hora de entrada (last_login) de la propia cuenta"
# A new draft edition of the standards is a copy of one, with its contents.

# What an admin page writes besides its own model (its control is the ModelAdmin's `control`).
ADMIN: dict[str, str] = {
    # personas.ente_crear: the agency and its requirentes' group, in one step.
    "/admin/dictamenes/ente/": "dictamenes.Ente, auth.Group",
    # «Nueva versión»: a draft copied from an edition, its categories, profiles, requirements.
    "/admin/estandares/publicacion/": EDICION,
}

# Pages and API operations that take a POST, by URL name (fnmatch): (what they write, control).
PAGINAS = {
    "cuentas:rol_persona": (
        "auth.User, dictamenes.Perfil, " + PIDE,
        DUAL
        + " (roles del trámite, identidad, cargo, desactivar o retirar el rol de quien actúa en "
        "el trámite); al momento y auditado solo para requirentes y auditores; nunca menos de "
        "dos administradores",
    ),
    "cuentas:cambio_resolver": (
        APLICA,
        DUAL + "; nadie resuelve el suyo; aplica lo aprobado por el servicio de su tipo",
    ),
    "cuentas:institucion": (PIDE, DUAL + " (textos, membrete, folios y plazos)"),
    "cuentas:vias": (PIDE, DUAL),
    "cuentas:area*": (PIDE, DUAL + " (áreas y sus categorías)"),
    "cuentas:motivo*": (PIDE, DUAL),
    "cuentas:ediciones": (PIDE, DUAL),
    "cuentas:entes": (PIDE, DUAL + "; los ejercicios pasados conservan su nombre"),
    "cuentas:dias_inhabiles": (PIDE, DUAL),
    "cuentas:ausencia*": (
        "dictamenes.Ausencia, dictamenes.Refuerzo, " + PIDE,
        "ausencias: capacidad.services.registro, auditado; un préstamo que da un rol o un "
        "área: " + DUAL,
    ),
    "cuentas:roles": (NADA, SOLO_GET),
    "cuentas:cambios": (NADA, SOLO_GET),
    "cuentas:cambio_imagen": (NADA, SOLO_GET),
    "cuentas:sistema": (NADA, SOLO_GET),
    "cuentas:segundo_factor": ("otp_totp.TOTPDevice", "solo la propia cuenta, con un código"),
    "cuentas:codigo": (
        "otp_totp.TOTPDevice",
        "la propia sesión: el contador y el freno de intentos del propio dispositivo",
    ),
    "login": ("auth.User", SESION),
    "admin:login": ("auth.User", SESION),
    # The identity providers' return (a GET): the account signs in; none is made here.
    "llave_callback": ("auth.User", SESION),
    "openid_connect_callback": ("auth.User", SESION),
    "logout": ("—", "la propia sesión"),
    "index": ("—", "la propia sesión (viewflow)"),
    "password_*": ("auth.User", "solo la propia contraseña, auditado"),
    "solicitudes:nueva": ("dictamenes.Solicitud", "requirente de su ente: tramite.services"),
    "solicitudes:editar": ("dictamenes.Solicitud", "requirente de su ente, en borrador"),
    "solicitudes:via_prevista": ("—", "no guarda nada: calcula la vía con lo que se escribe"),
    # Issue 62, helper A: the item's price while typed, and its quotes (before partida*).
    "solicitudes:partida_precio_en_vivo": ("—", "no guarda nada: compara el precio que se escribe"),
    "solicitudes:partida_cotizacion_*": (
        "dictamenes.Cotizacion, dictamenes.Anexo, dictamenes.Senal, dictamenes.SenalProveedor",
        "requirente de su ente, en borrador o prevención: cotizaciones.services, auditado; "
        "en prevención recalcula las señales de la solicitud (issue 80)",
    ),
    "solicitudes:partida*": (
        "dictamenes.Partida, dictamenes.Solicitud",
        "requirente de su ente, en borrador o prevención; los perfiles de sus partidas que lee "
        "la búsqueda, en la solicitud (tramite.services.busqueda)",
    ),
    "solicitudes:anexo_subir": ("dictamenes.Solicitud", "requirente de su ente, en borrador"),
    "solicitudes:presentar": (
        "dictamenes.Solicitud, dictamenes.Partida, dictamenes.LineaPrograma, viewflow.Process, "
        "viewflow.Task",
        FLUJO + "; evalúa sus partidas y la vincula a su línea del programa anual",
    ),
    "solicitudes:admision": ("dictamenes.Solicitud, viewflow.Task", FLUJO),
    "solicitudes:via_completa": ("dictamenes.Solicitud", FLUJO),
    "solicitudes:subsanar": ("dictamenes.Solicitud, viewflow.Task", FLUJO),
    "solicitudes:revision_area": ("dictamenes.Solicitud, viewflow.Task", FLUJO),
    "solicitudes:pedir_informacion": ("viewflow.Task", FLUJO),
    "solicitudes:responder": ("dictamenes.Solicitud", FLUJO),
    "solicitudes:estrategica": (
        "dictamenes.Solicitud, dictamenes.DecisionPartida, viewflow.Task",
        FLUJO + "; lo aprobado de cada partida",
    ),
    "solicitudes:firma": (
        "dictamenes.Dictamen, dictamenes.Solicitud, viewflow.Process, viewflow.Task",
        FLUJO + "; con la e.firma",
    ),
    "solicitudes:desistir": ("dictamenes.Solicitud, viewflow.Process, viewflow.Task", FLUJO),
    "solicitudes:cancelar_solicitud": (
        "dictamenes.Solicitud, viewflow.Process, viewflow.Task",
        FLUJO,
    ),
    "solicitudes:encuesta": ("—", "la encuesta de quien presentó, anónima"),
    "solicitudes:tomar": ("viewflow.Task", FLUJO),
    "solicitudes:reasignar": ("viewflow.Task", FLUJO),
    "solicitudes:suplencias": (
        "dictamenes.Sustitucion, " + PIDE,
        "suplencias.services: de la misma área y rol, al momento y auditada; de otra "
        "área o rol, " + DUAL,
    ),
    "solicitudes:cancelar": ("dictamenes.Dictamen", "emision.services, con la e.firma"),
    "solicitudes:rectificar": ("dictamenes.Dictamen", "emision.services, con la e.firma"),
    # The proposal lives in its audit event; the firmante's signature (rectificar) applies it.
    "solicitudes:proponer_rectificacion": (
        NADA,
        "emision.services: solo la propuesta, en la bitácora auditada; la aplica la firma",
    ),
    "solicitudes:contrato": (
        "dictamenes.Contrato",
        "seguimiento.services.contratos, auditado; sobre lo aprobado, solo con su motivo; "
        "más de la tolerancia, espera a la revisión estratégica; más de N veces, se rechaza",
    ),
    # Issue 80: what whoever decides did about a sign (Senal holds no rule, person or amount).
    "solicitudes:senal_atender": (
        NADA,
        "senales.services.senal_atender, auditado: quien tiene el rol que decide en la etapa de "
        "la solicitud, nunca su ente, con su nota",
    ),
    "planeacion:contrato_autorizar": (
        "dictamenes.Contrato",
        "seguimiento.services.contratos, auditado: la revisión estratégica de otro ente, con "
        "su motivo, una vez",
    ),
    "planeacion:contrato_verificar": (
        "dictamenes.Contrato",
        "seguimiento.services.contratos, auditado: la mesa o la revisión estratégica de otro "
        "ente que no decidió la solicitud (separación de funciones), y solo después de que el "
        "servidor le envió el documento; solo así entra su precio a la referencia",
    ),
    # A GET that writes (issue 93, item 6): the audit event of the document sent to a person
    # who may check the contract, which the check asks for. No model of the map.
    "planeacion:contrato_documento": (
        NADA,
        "sirve el documento del contrato al personal de la Subsecretaría; a quien puede "
        "verificarlo le deja el evento de auditoría de que el servidor se lo envió",
    ),
    "solicitudes:entrega": (
        "dictamenes.Entrega",
        "seguimiento.services.entregas, auditado con su acta (anexo revisado); solo la "
        "dependencia, bajo un contrato que cuenta; recalcula las señales de la solicitud",
    ),
    "solicitudes:contrato_revisar": ("—", "no guarda nada: compara el monto con lo aprobado"),
    "solicitudes:condicion_*": ("—", "seguimiento.services.condiciones, auditado"),
    # The agency's annual programme (issue 77: linea_nueva and linea hand the POST to a helper,
    # _linea_pagina, and were missing from the map).
    "planeacion:programa": (
        "dictamenes.LineaPrograma",
        PROGRAMA + "; el archivo reemplaza las líneas que ninguna solicitud tomó",
    ),
    "planeacion:linea_nueva": ("dictamenes.LineaPrograma", PROGRAMA),
    "planeacion:linea": ("dictamenes.LineaPrograma", PROGRAMA + "; nunca una línea ya tomada"),
    "planeacion:linea_retirar": (
        "dictamenes.LineaPrograma",
        PROGRAMA + "; nunca una línea ya tomada",
    ),
    "estandares:autoevaluacion": ("—", "no guarda nada: evalúa lo que se escribe"),
    "verificar": ("—", "no guarda nada: compara el PDF que se sube"),
    "api:solicitud-list": ("dictamenes.Solicitud", "la misma puerta de la página nueva"),
    "api:perfil-evaluar": ("—", "no guarda nada: evalúa lo que se envía"),
    "workflow:index": ("—", "viewflow: solo lectura"),
    "workflow:flows:index": ("—", "viewflow: solo lectura"),
    "workflow:tasks_assign": ("viewflow.Task", FLUJO),
    "workflow:tasks_unassign": ("viewflow.Task", FLUJO),
    "workflow:flows:dictamen:*:assign": ("viewflow.Task", FLUJO),
    "workflow:flows:dictamen:*:unassign": ("viewflow.Task", FLUJO),
    "workflow:flows:dictamen:*:index": ("—", "viewflow: solo lectura"),
    # viewflow's own management actions: refused to everyone, superusers included.
    "workflow:flows:dictamen:*cancel": ("viewflow.Process, viewflow.Task", "nadie: 403 a todos"),
    "workflow:flows:dictamen:*:undo": ("viewflow.Task", "nadie: 403 a todos"),
    "workflow:flows:dictamen:*:revive": ("viewflow.Task", "nadie: 403 a todos"),
}

APPS_PROPIAS = ("config", "cuentas", "dictamenes", "estandares", "publico", "flujos", "demo")


@dataclass(frozen=True)
class Escritor:
    via: str  # "admin", "página", "comando", "flujo"
    nombre: str
    escribe: str
    control: str  # "" when none is declared: an error


def _es_controlado(etiqueta: str) -> bool:
    return etiqueta in CONTROLADOS


def _admin() -> list[Escritor]:
    """Each model of the admin's registry: read only (as a superuser sees it), or the control
    its ModelAdmin declares in `control`."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    peticion = RequestFactory().get("/admin/")
    peticion.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    filas = []
    for modelo, clase in admin.site._registry.items():
        etiqueta = modelo._meta.label
        escribe = any(
            (
                clase.has_add_permission(peticion, None)
                if "obj" in inspect.signature(clase.has_add_permission).parameters
                else clase.has_add_permission(peticion),
                clase.has_change_permission(peticion),
                clase.has_delete_permission(peticion),
            )
        )
        ruta = f"/admin/{modelo._meta.app_label}/{modelo._meta.model_name}/"
        if not escribe:  # the runtime check holds it to no write at all
            filas.append(Escritor("admin", ruta, etiqueta, SOLO_LECTURA))
            continue
        control = getattr(clase, "control", "")
        if not control and not _es_controlado(etiqueta):
            control = "no guarda reglas, personas ni montos"
        filas.append(Escritor("admin", ruta, ADMIN.get(ruta, etiqueta), control))
    return sorted(filas, key=lambda e: e.nombre)


def _rutas(resolver=None, prefijo="", espacio=None):
    from django.urls import URLResolver, get_resolver

    for patron in (resolver or get_resolver()).url_patterns:
        if isinstance(patron, URLResolver):
            nombre = espacio
            if patron.namespace:
                nombre = f"{espacio}:{patron.namespace}" if espacio else patron.namespace
            yield from _rutas(patron, prefijo + str(patron.pattern), nombre)
        elif patron.name:
            yield (
                prefijo + str(patron.pattern),
                f"{espacio}:{patron.name}" if espacio else patron.name,
                patron.callback,
            )


METODOS_QUE_ESCRIBEN = ("post", "put", "patch", "delete")
# What a function view reads (or is decorated with) when it can take a POST.
LECTURAS_DEL_METODO = frozenset({"POST", "method", "require_POST"})
# How far the code reading follows a view into the project's helpers (issue 77: planeacion's
# linea_nueva and linea hand the POST to _linea_pagina, one level down).
PROFUNDIDAD = 3


def toma_post(vista) -> bool:
    """Whether a view can write: an API action or a class with a writing method, or a function
    that reads the request's method or its POST, itself or through the project's functions it
    calls (up to PROFUNDIDAD levels)."""
    if acciones := getattr(vista, "actions", None):
        return any(m in acciones for m in METODOS_QUE_ESCRIBEN)
    clase = getattr(vista, "view_class", None) or getattr(vista, "cls", None)
    if clase is not None:
        return any(hasattr(clase, m) for m in METODOS_QUE_ESCRIBEN)
    return _lee_el_metodo(inspect.unwrap(vista), PROFUNDIDAD)


def _es_del_proyecto(objeto) -> bool:
    modulo = getattr(objeto, "__module__", None) or ""
    return modulo.split(".")[0] in APPS_PROPIAS


@functools.cache
def _lee_el_metodo(funcion, profundidad: int) -> bool:
    """Read with `ast`: the function reads request.POST or request.method (or is require_POST),
    or calls a project function that does. Called names are resolved through the function's
    globals and closure, as Python would at the call; other libraries are not followed."""
    try:
        arbol = ast.parse(textwrap.dedent(inspect.getsource(funcion)))
    except (OSError, TypeError, SyntaxError):
        return True  # unreadable: counted as a writer, so it must be declared
    llamadas = []
    for nodo in ast.walk(arbol):
        if (
            (isinstance(nodo, ast.Attribute) and nodo.attr in LECTURAS_DEL_METODO)
            or (isinstance(nodo, ast.Name) and nodo.id in LECTURAS_DEL_METODO)
            or (isinstance(nodo, ast.Constant) and nodo.value == "POST")
        ):
            return True
        if isinstance(nodo, ast.Call):
            llamadas.append(nodo.func)
    if profundidad <= 0:
        return False
    nombres = {**getattr(funcion, "__globals__", {})}
    with contextlib.suppress(TypeError, ValueError):
        nombres.update(inspect.getclosurevars(funcion).nonlocals)
    return any(
        _lee_el_metodo(inspect.unwrap(llamado), profundidad - 1)
        for llamado in (_resolver(llamada, nombres) for llamada in llamadas)
        if inspect.isfunction(llamado) and _es_del_proyecto(llamado)
    )


def _resolver(expresion, nombres: dict):
    """The object a call's `name` or `module.name` refers to, or None."""
    if isinstance(expresion, ast.Name):
        return nombres.get(expresion.id)
    if isinstance(expresion, ast.Attribute):
        base = _resolver(expresion.value, nombres)
        return getattr(base, expresion.attr, None) if base is not None else None
    return None


def _es_pagina_de_un_modelo_del_admin(nombre: str) -> bool:
    """admin:dictamenes_perfil_change and the like: the admin's rows answer for them."""
    from django.contrib import admin

    return any(
        nombre.startswith(f"admin:{m._meta.app_label}_{m._meta.model_name}_")
        for m in admin.site._registry
    )


def _escribe(nombre: str, vista) -> bool:
    """A page of the map: one that takes a POST, or one declared by its very name (a page
    seen writing on a GET, such as a provider's return after signing in)."""
    return nombre in PAGINAS or toma_post(vista)


def _paginas() -> list[Escritor]:
    vistos = {}
    for ruta, nombre, vista in _rutas():
        if nombre in vistos or _es_pagina_de_un_modelo_del_admin(nombre):
            continue
        if not _escribe(nombre, vista):
            continue
        declarada = next((p for p in PAGINAS if fnmatch.fnmatchcase(nombre, p)), None)
        escribe, control = PAGINAS.get(declarada, ("?", ""))
        vistos[nombre] = Escritor("página", f"{nombre} (/{ruta})", escribe, control)
    return sorted(vistos.values(), key=lambda e: e.nombre)


def _comandos() -> list[Escritor]:
    from django.core.management import get_commands

    filas = []
    for nombre, app in sorted(get_commands().items()):
        propio = app.split(".")[0] in APPS_PROPIAS
        if not propio and nombre not in COMANDOS_DE_DJANGO:
            continue
        escribe, control = COMANDOS.get(nombre, ("?", ""))
        filas.append(Escritor("comando", f"manage.py {nombre}", escribe, control))
    return filas


def _flujo() -> list[Escritor]:
    """The flow's nodes: a person's step goes through its page (above); the others are moved
    by the flow itself, inside the transaction of the step that reaches them."""
    from viewflow.workflow import flow

    from flujos.flows import DictamenFlow

    filas = []
    for nodo in DictamenFlow.instance.nodes():
        tipo = type(nodo).__name__
        control = (
            "lo atiende una persona en su página (arriba): " + FLUJO
            if isinstance(nodo, flow.View)
            else "lo mueve el flujo en la transacción del paso que llega a él, auditado"
        )
        filas.append(Escritor("flujo", f"{nodo.name} ({tipo})", "viewflow.Task", control))
    return sorted(filas, key=lambda e: e.nombre)


def escritores() -> list[Escritor]:
    return [*_admin(), *_paginas(), *_comandos(), *_flujo()]


def sin_control(filas: list[Escritor]) -> list[Escritor]:
    return [e for e in filas if not e.control]


def declaraciones_sin_ruta() -> list[str]:
    """Controls declared for a page or a command that no longer exists."""
    nombres = {n for _r, n, v in _rutas() if _escribe(n, v)}
    from django.core.management import get_commands

    comandos = set(get_commands())
    return [p for p in PAGINAS if not fnmatch.filter(nombres, p)] + [
        c for c in COMANDOS if c not in comandos
    ]


def modelos_declarados(escribe: str) -> frozenset[str]:
    """The «escribe» column as model labels: «todo» is {TODO}, «—» (or «?») is none."""
    if escribe.strip() == TODO:
        return frozenset({TODO})
    return frozenset(p.strip() for p in escribe.split(",") if p.strip() not in ("", NADA, "?"))


def modelos_desconocidos() -> list[str]:
    """Labels in an «escribe» column (or in CONTROLADOS) that name no model: a typo would
    declare a write that the runtime check (tests/escritores_vivos.py) never matches."""
    from django.apps import apps

    etiquetas = set(CONTROLADOS) | {
        m
        for escribe, _control in [*PAGINAS.values(), *COMANDOS.values()]
        for m in modelos_declarados(escribe)
    }
    etiquetas |= {m for escribe in ADMIN.values() for m in modelos_declarados(escribe)}
    conocidas = {m._meta.label for m in apps.get_models()}
    return sorted(etiquetas - conocidas - {TODO})


TITULOS = {
    "admin": "El admin de Django (`/admin/`)",
    "página": "Páginas y API (todo lo que recibe un POST)",
    "comando": "Comandos del servidor",
    "flujo": "Pasos del flujo",
}


def markdown(filas: list[Escritor] | None = None) -> str:
    filas = escritores() if filas is None else filas
    partes = []
    for via, titulo in TITULOS.items():
        partes.append(f"#### {titulo}\n\n| camino | escribe | control |\n|---|---|---|")
        partes += [
            f"| {e.nombre} | {e.escribe} | {e.control or '**SIN CONTROL**'} |"
            for e in filas
            if e.via == via
        ]
        partes.append("")
    return "\n".join(partes)


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    print(markdown())
