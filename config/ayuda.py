"""«Ayuda» in the header of every page: the section of the manual that answers the question
a person has on that page, in the manual of their role.

One table, AYUDA: url name → role → "<page>.md#<anchor>" under docs/manual/ (and
AYUDA_POR_PREFIJO for the names the admin, viewflow and the API make). The site that
`make docs` builds from docs/ is served at /manual/ (config.manual); tests/docs/test_ayuda.py
checks that every page of the access table (tests/seguridad/tabla_acceso.txt) has its row here,
for every role that gets the page, and that each target page and anchor exists in the built
site. The anchors are MkDocs' own: the heading, lowercase, without accents, spaces as hyphens.
"""

import posixpath

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from dictamenes.comun import consultas
from dictamenes.models import (
    Condicion,
    Contrato,
    Dictamen,
    PeticionInformacion,
    Resultado,
    Solicitud,
)
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.roles import Rol

# Who has no role (a visitor, an account still without one) reads the citizen's manual.
CIUDADANO = "ciudadano"
TODOS = "*"  # the same section whoever reads the page

REQ = Rol.REQUIRENTE
MESA = Rol.MESA_CONTROL
TEC = Rol.REVISOR_TECNICO
EST = Rol.REVISOR_ESTRATEGICO
FIR = Rol.FIRMANTE
AUD = Rol.AUDITOR
ADM = Rol.ADMINISTRADOR

_ENTRAR = {TODOS: "index.md#entrar-al-sistema"}
_CONTRASENA = {TODOS: "index.md#olvido-su-contrasena"}
_SUPLENCIAS = {
    MESA: "mesa.md#sus-ausencias-suplencias",
    TEC: "revisor-tecnico.md#sus-ausencias-suplencias",
    EST: "revisor-estrategico.md#sus-ausencias-suplencias",
    FIR: "firmante.md#sus-ausencias-suplencias",
}
_PLANEACION = {
    MESA: "mesa.md#consultas-de-la-subsecretaria",
    TEC: "revisor-tecnico.md#consultas-de-la-subsecretaria",
    EST: "revisor-estrategico.md#planeacion-consolidacion-pronostico-y-capacidad",
    FIR: "firmante.md#contratos-senalados",
    AUD: "auditor.md#condiciones-y-contratos",
    ADM: "administrador.md#consultas-de-la-subsecretaria",
}
_SENALES = {
    MESA: "mesa.md#las-senales-de-una-solicitud",
    TEC: "revisor-tecnico.md#las-senales-de-una-solicitud",
    EST: "revisor-estrategico.md#las-senales-de-una-solicitud",
    FIR: "firmante.md#las-senales-de-una-solicitud",
    AUD: "auditor.md#senales",
    ADM: "administrador.md#consultas-de-la-subsecretaria",
}
_ESTANDARES = {
    REQ: "requirente.md#autoevaluar-especificaciones",
    TODOS: "ciudadano.md#consultar-los-estandares-tecnicos",
}
_INICIO = {
    CIUDADANO: "ciudadano.md#la-pagina-de-inicio",
    REQ: "requirente.md#su-pagina-de-inicio",
    MESA: "mesa.md#su-pagina-de-inicio",
    TEC: "revisor-tecnico.md#su-pagina-de-inicio",
    EST: "revisor-estrategico.md#su-pagina-de-inicio",
    FIR: "firmante.md#su-pagina-de-inicio",
    AUD: "auditor.md#su-pagina-de-inicio",
    ADM: "administrador.md#su-pagina-de-inicio",
}
_SOLICITUD = {
    REQ: "requirente.md#presentar-una-solicitud",
    MESA: "mesa.md#admitir-o-prevenir",
    TEC: "revisor-tecnico.md#revisar-las-partidas-de-su-area",
    EST: "revisor-estrategico.md#decidir-cada-partida",
    FIR: "firmante.md#firmar-con-la-efirma",
    AUD: "auditor.md#consultar-el-historial",
    ADM: "administrador.md#consultar-una-solicitud",
}
_LISTA = {
    REQ: "requirente.md#sus-solicitudes",
    MESA: "mesa.md#las-solicitudes-por-admitir",
    TEC: "revisor-tecnico.md#tomar-una-revision",
    EST: "revisor-estrategico.md#tomar-una-revision-estrategica",
    FIR: "firmante.md#tomar-una-firma",
    AUD: "auditor.md#buscar-solicitudes",
    ADM: "administrador.md#consultar-una-solicitud",
}
_PRECIO = {
    REQ: "requirente.md#agregar-partidas-y-cotizaciones",
    MESA: "mesa.md#admitir-o-prevenir",
    TEC: "revisor-tecnico.md#el-precio-de-una-partida",
    EST: "revisor-estrategico.md#el-precio-de-una-partida",
    FIR: "firmante.md#firmar-con-la-efirma",
    AUD: "auditor.md#consultar-el-historial",
    ADM: "administrador.md#consultar-una-solicitud",
}


def _admin(ancla: str) -> dict:
    return {ADM: f"administrador.md#{ancla}"}


AYUDA: dict[str, dict] = {
    "inicio": _INICIO,
    "login": _ENTRAR,
    "acceso_pendiente": _ENTRAR,
    "cuentas:codigo": _ENTRAR,
    "cuentas:segundo_factor": {
        FIR: "firmante.md#segundo-factor",
        ADM: "administrador.md#segundo-factor",
    },
    "password_change": _CONTRASENA,
    "password_change_done": _CONTRASENA,
    "password_reset": _CONTRASENA,
    "password_reset_done": _CONTRASENA,
    "password_reset_confirm": _CONTRASENA,
    "password_reset_complete": _CONTRASENA,
    "cuentas:roles": _admin("personas-y-roles"),
    "cuentas:rol_persona": _admin("personas-y-roles"),
    "cuentas:cambios": _admin("cambios-por-aprobar"),
    "cuentas:institucion": _admin("textos-de-la-institucion-y-plazos"),
    "cuentas:vias": _admin("vias-de-revision"),
    "cuentas:sistema": _admin("estado-del-sistema"),
    "cuentas:areas": _admin("areas-de-revision"),
    "cuentas:area": _admin("areas-de-revision"),
    "cuentas:entes": _admin("entes"),
    "cuentas:motivos": _admin("motivos-de-no-aprobacion"),
    "cuentas:motivo": _admin("motivos-de-no-aprobacion"),
    "cuentas:ediciones": _admin("ediciones-de-los-estandares"),
    "cuentas:ausencias": _admin("capacidad-y-ausencias"),
    "cuentas:dias_inhabiles": _admin("dias-inhabiles"),
    "estandares:catalogo": _ESTANDARES,
    "estandares:comparar": _ESTANDARES,
    "estandares:autoevaluacion": _ESTANDARES,
    "estandares:edicion": _ESTANDARES,
    "estandares:categoria": _ESTANDARES,
    "solicitudes:lista": _LISTA,
    "solicitudes:nueva": {REQ: "requirente.md#presentar-una-solicitud"},
    "solicitudes:editar": {REQ: "requirente.md#presentar-una-solicitud"},
    "solicitudes:detalle": _SOLICITUD,
    "solicitudes:partida_nueva": {REQ: "requirente.md#agregar-partidas-y-cotizaciones"},
    "solicitudes:partida": {REQ: "requirente.md#agregar-partidas-y-cotizaciones"},
    "solicitudes:partida_precio": _PRECIO,
    "solicitudes:encuesta": {REQ: "requirente.md#contestar-la-encuesta"},
    "solicitudes:suplencias": _SUPLENCIAS,
    "planeacion:programa": {REQ: "requirente.md#el-programa-anual"},
    "planeacion:linea_nueva": {REQ: "requirente.md#el-programa-anual"},
    "planeacion:linea": {REQ: "requirente.md#el-programa-anual"},
    "planeacion:linea_retirar": {REQ: "requirente.md#el-programa-anual"},
    "planeacion:consolidacion": _PLANEACION,
    "planeacion:pronostico": _PLANEACION,
    "planeacion:contratos": _PLANEACION,
    # Issue 93, item 6: a contract's verification page, and its document.
    "planeacion:contrato_verificar": {
        **_PLANEACION,
        MESA: "mesa.md#verificar-un-contrato-contra-su-documento",
        EST: "revisor-estrategico.md#contratos-por-encima-de-lo-aprobado",
    },
    "planeacion:contrato_documento": {
        **_PLANEACION,
        MESA: "mesa.md#verificar-un-contrato-contra-su-documento",
        EST: "revisor-estrategico.md#contratos-por-encima-de-lo-aprobado",
    },
    "planeacion:condiciones": {**_PLANEACION, TEC: "revisor-tecnico.md#verificar-las-condiciones"},
    "capacidad:cierre": {
        EST: "revisor-estrategico.md#planeacion-consolidacion-pronostico-y-capacidad",
        ADM: "administrador.md#capacidad-y-ausencias",
    },
    "indicadores": {**_PLANEACION, AUD: "auditor.md#indicadores"},
    # The signs' pages (issue 80): the auditor's manual tells them; each decider's, the
    # section of the request's page.
    "senales:lista": _SENALES,
    "senales:ente": _SENALES,
    "senales:proveedor": _SENALES,
    "tramite": {TODOS: "ciudadano.md#como-es-el-tramite"},
    "registro": {TODOS: "ciudadano.md#consultar-los-dictamenes-emitidos"},
    "datos_abiertos": {TODOS: "ciudadano.md#descargar-los-datos-abiertos"},
    "ocds_indice": {TODOS: "ciudadano.md#descargar-los-datos-abiertos"},
    "verificar": {TODOS: "ciudadano.md#verificar-un-dictamen"},
    "verificar_folio": {TODOS: "ciudadano.md#verificar-un-dictamen"},
}

# Answers of the access table that are not pages a person reads (files, data, probes): no
# header, no link.
SIN_PAGINA = frozenset(
    {
        "solicitudes:anexo",
        "solicitudes:firma_vista_previa",
        "solicitudes:expediente",
        "solicitudes:historial_pdf",
        "solicitudes:dictamen_pdf",
        "solicitudes:condicion_evidencia_descargar",
        "capacidad:cierre_csv",
        "indicadores_exportar",
        "senales:lista_csv",
        "datos_csv",
        "datos_json",
        "datos_partidas_csv",
        "datos_partidas_json",
        "datos_precios_json",
        "datos_conjunto",
        "datos_esquema",
        "datos_paquete",
        "datos_catalogo",
        "datos_dcat",
        "datos_dcat_ttl",
        "datos_dcat_rdf",
        "ocds_entregas",
        "ocds_registro",
        "ocds_extension",
        "salud_vivo",
        "salud_listo",
        "manual",
        "manual_pagina",
        "admin:jsi18n",  # the admin's translations, a script
        "workflow:flows:dictamen:chart",  # the flow's diagram, an SVG image
        "workflow:flows:dictamen:process_chart",
        "api:esquema",  # the OpenAPI schema, YAML for programs
    }
)

# Names other applications make, one per model (Django's admin), per step of the flow
# (viewflow) or per endpoint (the API): a row for each prefix, so that a model registered or
# a step added tomorrow has its help too. An exact row of AYUDA wins over its prefix.
# Drawn by their own templates, which carry the same link: templates/admin/base_site.html and
# login.html, templates/viewflow/base_page.html, templates/rest_framework/api.html and
# templates/drf_spectacular/swagger_ui.html (viewflow's inbox, queue and archive are ours,
# flujos/tareas.html on base.html).
_FLUJO = {
    MESA: "mesa.md#la-bandeja-del-flujo",
    TEC: "revisor-tecnico.md#la-bandeja-del-flujo",
    EST: "revisor-estrategico.md#la-bandeja-del-flujo",
    FIR: "firmante.md#la-bandeja-del-flujo",
    AUD: "auditor.md#la-bandeja-del-flujo",
}
AYUDA_POR_PREFIJO: dict[str, dict] = {
    # Its login page too, which anyone may open: what the admin is and who enters it.
    "admin:": {TODOS: "administrador.md#el-admin-de-django"},
    "workflow:": _FLUJO,
    # The browsable API and its Swagger page are read by whoever integrates a system.
    "api:": {TODOS: "../integracion/api.md"},
}


# The request's page (solicitudes:detalle) is where each person does their step: its help
# follows what the reader has to do there, by the request's situation (situacion_de); a role
# without a row for a situation reads its row of _SOLICITUD.
DETALLE = "solicitudes:detalle"
_MIENTRAS = "requirente.md#mientras-la-revisan"
_MESA_DESPUES = "mesa.md#despues-de-admitir"
_DICTAMINADA = {
    REQ: "requirente.md#leer-y-descargar-su-dictamen",
    MESA: _MESA_DESPUES,
    EST: "revisor-estrategico.md#proponer-una-rectificacion",
    FIR: "firmante.md#rectificar-un-dictamen",
}
AYUDA_SOLICITUD: dict[str, dict] = {
    "borrador": {REQ: "requirente.md#presentar-una-solicitud"},
    "admision": {REQ: _MIENTRAS, MESA: "mesa.md#admitir-o-prevenir"},
    "prevenida": {
        REQ: "requirente.md#responder-una-prevencion",
        MESA: "mesa.md#admitir-o-prevenir",
    },
    "peticion": {
        REQ: "requirente.md#responder-una-peticion-de-informacion",
        MESA: _MESA_DESPUES,
        TEC: "revisor-tecnico.md#pedir-informacion",
    },
    "revision_tecnica": {REQ: _MIENTRAS, MESA: _MESA_DESPUES},
    "revision_estrategica": {REQ: _MIENTRAS, MESA: _MESA_DESPUES},
    "firma": {REQ: _MIENTRAS, MESA: _MESA_DESPUES},
    "dictaminada": _DICTAMINADA,
    "contrato": {**_DICTAMINADA, REQ: "requirente.md#registrar-el-contrato"},
    "condicion": {
        **_DICTAMINADA,
        REQ: "requirente.md#cumplir-las-condiciones",
        TEC: "revisor-tecnico.md#verificar-las-condiciones",
    },
    "cerrada": {REQ: "requirente.md#desistir-o-cierre-sin-dictamen", MESA: _MESA_DESPUES},
}
# Each situation a request's page can be in (situacion_de's answers).
SITUACIONES = tuple(AYUDA_SOLICITUD)
_CERRADAS = (Solicitud.Estado.DESECHADA, Solicitud.Estado.DESISTIDA, Solicitud.Estado.CANCELADA)


def situacion(
    *, estado: str, peticion: bool, resultado: str | None, contrato: bool, condicion: bool
) -> str:
    """What a request's page asks of its readers, from its state and what hangs on it: an
    unanswered information request while in procedure, the dictamen in force (`resultado`,
    None when there is none), a contract recorded under it, a condition not yet met."""
    E = Solicitud.Estado
    if estado in _CERRADAS:
        return "cerrada"
    if estado == E.DICTAMINADA:
        if resultado is None:  # cancelled: only to be read
            return "dictaminada"
        if condicion:
            return "condicion"
        if resultado != Resultado.NO_FAVORABLE and not contrato:
            return "contrato"
        return "dictaminada"
    if peticion and estado != E.BORRADOR:
        return "peticion"
    return estado


def _situacion_consulta(solicitud_id: int):
    vigente = Dictamen.objects.filter(solicitud=OuterRef("pk"), cancelado_en__isnull=True)
    return (
        Solicitud.objects.filter(pk=solicitud_id)
        .order_by()
        .annotate(
            _peticion=Exists(
                PeticionInformacion.objects.filter(
                    solicitud=OuterRef("pk"), respondida_en__isnull=True
                )
            ),
            _resultado=Subquery(vigente.values("resultado")[:1]),
            _contrato=Exists(
                Contrato.objects.filter(
                    dictamen__solicitud=OuterRef("pk"), dictamen__cancelado_en__isnull=True
                )
            ),
            _condicion=Exists(
                Condicion.objects.filter(
                    dictamen__solicitud=OuterRef("pk"), dictamen__cancelado_en__isnull=True
                ).exclude(estado=Condicion.Estado.CUMPLIDA)
            ),
        )
        .values_list("estado", "_peticion", "_resultado", "_contrato", "_condicion")
    )


def situacion_de(solicitud_id: int) -> str | None:
    """situacion() of the request `solicitud_id`, read in one query compiled once
    (comun.consultas: building it took the ORM longer than the database took to answer it)
    (None if there is none: the page itself answers 404)."""
    fila = next(iter(consultas.filas(_situacion_consulta, solicitud_id)), None)
    if fila is None:
        return None
    estado, peticion, resultado, contrato, condicion = fila
    return situacion(
        estado=estado,
        peticion=peticion,
        resultado=resultado,
        contrato=contrato,
        condicion=condicion,
    )


def destino(nombre_url: str, roles: list, situacion_: str | None = None) -> str | None:
    """ "<page>.md#<anchor>" for a person with these roles (in the procedure's order) on the
    page named `nombre_url`; None where the table has no row. On a request's page,
    `situacion_` (situacion_de) chooses the section by what the reader has to do there."""
    fila = AYUDA.get(nombre_url) or next(
        (f for prefijo, f in AYUDA_POR_PREFIJO.items() if nombre_url.startswith(prefijo)), None
    )
    if nombre_url == DETALLE and situacion_ in AYUDA_SOLICITUD:
        fila = {**fila, **AYUDA_SOLICITUD[situacion_]}
    if fila is None:
        return None
    for rol in roles or [CIUDADANO]:
        if rol in fila:
            return fila[rol]
    return fila.get(TODOS)


def url_del_manual(objetivo: str) -> str:
    """/manual/manual/<page>/#<anchor>: MkDocs writes docs/manual/x.md as manual/x/index.html
    (and ../integracion/api.md, a page out of the manuals, as integracion/api/index.html)."""
    pagina, _, ancla = objetivo.partition("#")
    ruta = posixpath.normpath("manual/" + pagina.removesuffix(".md"))
    ruta = ruta.removesuffix("index").rstrip("/") + "/"
    return reverse("manual_pagina", kwargs={"ruta": ruta}) + (f"#{ancla}" if ancla else "")


def _ayuda_url(request) -> str:
    coincidencia = getattr(request, "resolver_match", None)
    usuario = getattr(request, "user", None)
    roles = roles_de(usuario=usuario) if usuario is not None else []
    situacion_ = None
    # Only on a request's page its reader may see (the detail view marks it once access is
    # checked): the 404 of someone else's request must not tell what that request is in.
    if (pk := getattr(request, "solicitud_mostrada", None)) is not None:
        # The page hands over what it already read when that is all the situation needs
        # (solicitud_hechos, expediente.views.solicitud); else one query.
        hechos = getattr(request, "solicitud_hechos", None)
        situacion_ = situacion(**hechos) if hechos is not None else situacion_de(pk)
    objetivo = destino(coincidencia.view_name, roles, situacion_) if coincidencia else None
    if objetivo is None:  # a page of no row (an error page): the manual's front page
        return reverse("manual_pagina", kwargs={"ruta": "manual/"})
    return url_del_manual(objetivo)


def ayuda(request) -> dict:
    """«ayuda_url» for the header's «Ayuda» link, worked out only when the page prints it."""
    return {"ayuda_url": SimpleLazyObject(lambda: _ayuda_url(request))}
