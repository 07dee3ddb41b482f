"""The declared access matrix: who may reach what, by role.

Each answer is exactly one of: 200 (the page), LOGIN (redirect to /cuentas/login/),
LOGIN_ADMIN (redirect to the admin's login), REDIRIGE (another redirect), 400 (the form's
refusal), 403, 404 ("does not exist" and "not yours" answer alike, design.md), 405 (the URL
takes POST only) or 401 (the API without credentials). Never a set of acceptable answers: it
would hide the bug that moves between them.

Our own routes are listed one by one here. The admin's and viewflow's own pages get their
rows from the rules in tests/seguridad/tabla.py; every route's row, ours included, is written
to tests/seguridad/tabla_acceso.txt. A route that appears in the URLconf or in the API schema
and is missing there fails the matrix test.
"""

LOGIN = "login"
LOGIN_ADMIN = "login_admin"
REDIRIGE = "redirige"

ANONIMO = "anonimo"
REQUIRENTES = ("requirente_a", "requirente_b")
REVISORES = (
    "revisor_infraestructura",
    "revisor_redes",
    "revisor_seguridad",
    "revisor_software",
    "revisor_computo",
)
# Those who attend steps of the procedure.
TRAMITE = ("mesa", *REVISORES, "estrategico", "firmante")
INTERNOS = (*TRAMITE, "auditor", "administrador")
ROLES = (ANONIMO, *REQUIRENTES, *INTERNOS)


def fila(todos=None, *, internos=None, requirentes=None, revisores=None, tramite=None, **roles):
    """The answer for every role: a default, then groups, then single roles."""
    respuesta = dict.fromkeys(ROLES, todos)
    for grupo, valor in (
        (INTERNOS, internos),
        (TRAMITE, tramite),
        (REVISORES, revisores),
        (REQUIRENTES, requirentes),
    ):
        if valor is not None:
            respuesta.update(dict.fromkeys(grupo, valor))
    respuesta.update(roles)
    faltan = [r for r, v in respuesta.items() if v is None]
    assert not faltan, f"la fila no dice qué reciben: {faltan}"
    return respuesta


PUBLICA = fila(200)
CON_SESION = fila(200, anonimo=LOGIN)
SOLO_INTERNOS = fila(200, anonimo=LOGIN, requirentes=403)
SOLO_POST = fila(405, anonimo=LOGIN)


class Ruta:
    """A named route: the request it is asked about (Mundo.ids keys for its URL parameters),
    what GET answers per role, and for POST the roles that must be refused (and with what).

    `datos`: what the POST sends; a dict (its values naming Mundo.ids keys are replaced by the
    ids) or a function of Mundo.ids that returns it, called for each POST (an uploaded file
    is read once)."""

    def __init__(self, get, *, params=None, post=None, datos=None):
        self.get = get
        self.params = params or {}
        self.post = post  # {role: expected refusal}; roles not listed may do it
        self.datos = datos or {}


# POST refusals of the request pages: whoever cannot see the request gets 404; whoever sees it
# but has no step there is refused in the page (403). The POST carries what the permitted
# person would send (the firmante's own e.firma, the area's opinions), so that the refusal is
# for who asks, never a form's 400 for a missing field.
NEGADO = 403
FUERA = 404  # requirente of another agency: the request "does not exist"


def efirma_del_firmante(prefijo: str = "") -> dict:
    """The firmante's e.firma (.cer, .key and password), fresh for each POST."""
    from tests.dictamenes.flujo_utils import archivos_efirma

    return {f"{prefijo}{campo}": valor for campo, valor in archivos_efirma().items()}


def oficio_pdf() -> dict:
    from tests.dictamenes.flujo_utils import oficio

    return {"tipo": "oficio", "archivo": oficio()}


RUTAS = {
    # --- Public and account pages ----------------------------------------------------------
    "inicio": Ruta(PUBLICA),
    "login": Ruta(PUBLICA),
    "logout": Ruta(fila(405)),
    # Sign-in with the state's identity. Who waits for an account is told so (anyone may read
    # the page: it shows only the session's own pending person). With no provider configured,
    # as here, a provider's addresses do not exist.
    "acceso_pendiente": Ruta(PUBLICA),
    "openid_connect_login": Ruta(
        fila(404), params={"provider_id": "proveedor_oidc"}, post=fila(404)
    ),
    "openid_connect_callback": Ruta(
        fila(404), params={"provider_id": "proveedor_oidc"}, post=fila(404)
    ),
    "llave_login": Ruta(fila(404), post=fila(404)),
    "llave_callback": Ruta(fila(404), post=fila(404)),
    "password_change": Ruta(CON_SESION),
    "password_change_done": Ruta(CON_SESION),
    "password_reset": Ruta(PUBLICA),
    "password_reset_done": Ruta(PUBLICA),
    "password_reset_confirm": Ruta(PUBLICA),
    "password_reset_complete": Ruta(PUBLICA),
    # The second factor is for those who sign or administer; the code page is for anyone
    # whose login owes one (without a factor it just takes them on).
    "cuentas:segundo_factor": Ruta(fila(403, anonimo=LOGIN, firmante=200, administrador=200)),
    "cuentas:codigo": Ruta(CON_SESION),
    # «Personas y roles»: only the administrator; the list is read-only, and a person's page
    # refuses an empty form (400) and changes nothing.
    "cuentas:roles": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        post=fila(403, anonimo=LOGIN, administrador=405),
    ),
    "cuentas:rol_persona": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        params={"pk": "persona_redes"},
        post=fila(403, anonimo=LOGIN, administrador=400),
    ),
    # «Cambios por aprobar» (issue 33): only administrators read it. The world's pending
    # change was asked by the administrator, who therefore cannot resolve it (403, as
    # everyone else); resolving takes POST only.
    "cuentas:cambios": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        post=fila(403, anonimo=LOGIN, administrador=405),
    ),
    "cuentas:cambio_resolver": Ruta(
        SOLO_POST,
        params={"pk": "cambio"},
        post=fila(403, anonimo=LOGIN),
        datos={"accion": "aprobar"},
    ),
    # «Textos de la institución» (issue 35): only administrators read or save them; an empty
    # form is refused (400) and saves no version.
    "cuentas:institucion": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        post=fila(403, anonimo=LOGIN, administrador=400),
    ),
    # «Vías de revisión» (issue 36): only administrators read or save them; an empty form is
    # refused (400) and saves no version.
    "cuentas:vias": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        post=fila(403, anonimo=LOGIN, administrador=400),
    ),
    # «Estado del sistema» (issue 49): only administrators read it; it takes no POST.
    "cuentas:sistema": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        post=fila(403, anonimo=LOGIN, administrador=405),
    ),
    # «Áreas de revisión» (issue 35): only the administrator; an empty form is refused (400)
    # and changes nothing.
    "cuentas:areas": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        post=fila(403, anonimo=LOGIN, administrador=400),
    ),
    "cuentas:area": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        params={"pk": "area"},
        post=fila(403, anonimo=LOGIN, administrador=400),
    ),
    # «Entes» (issue 59): only the administrator asks for a new name; an empty form is
    # refused (400) and asks for nothing.
    "cuentas:entes": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        post=fila(403, anonimo=LOGIN, administrador=400),
    ),
    # The reasons catalogue and publishing an edition (issue 48): only the administrator, and
    # an empty form is refused (400) and asks for nothing.
    # The letterhead image of a pending change (issue 59): administrators only; the world's
    # change is a role's, which has no image (404); it takes no POST.
    "cuentas:cambio_imagen": Ruta(
        fila(403, anonimo=LOGIN, administrador=404),
        params={"pk": "cambio", "cual": "despues"},
        post=fila(403, anonimo=LOGIN, administrador=405),
    ),
    # «Días inhábiles» (issue 59): only the administrator; an empty form is refused (400) and
    # asks for nothing.
    "cuentas:dias_inhabiles": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        post=fila(403, anonimo=LOGIN, administrador=400),
    ),
    "cuentas:motivos": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        post=fila(403, anonimo=LOGIN, administrador=400),
    ),
    "cuentas:motivo": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        params={"pk": "motivo"},
        post=fila(403, anonimo=LOGIN, administrador=400),
    ),
    "cuentas:ediciones": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        post=fila(403, anonimo=LOGIN, administrador=400),
    ),
    # «Ausencias y refuerzos» (issue 50): only the administrator; an empty form is refused
    # (400) and records nothing. Cancelling an absence takes POST only, with its reason.
    "cuentas:ausencias": Ruta(
        fila(403, anonimo=LOGIN, administrador=200),
        post=fila(403, anonimo=LOGIN, administrador=400),
    ),
    "cuentas:ausencia_cancelar": Ruta(
        SOLO_POST,
        params={"pk": "ausencia"},
        post=fila(403, anonimo=LOGIN, administrador=400),
    ),
    "estandares:catalogo": Ruta(PUBLICA),
    "estandares:comparar": Ruta(PUBLICA),
    "estandares:autoevaluacion": Ruta(PUBLICA),
    "estandares:edicion": Ruta(PUBLICA),
    "estandares:categoria": Ruta(PUBLICA),
    "registro": Ruta(PUBLICA),
    "tramite": Ruta(PUBLICA),  # «¿Cómo es el trámite?»
    "datos_abiertos": Ruta(PUBLICA),
    "datos_csv": Ruta(PUBLICA),
    "datos_json": Ruta(PUBLICA),
    "datos_partidas_csv": Ruta(PUBLICA),
    "datos_partidas_json": Ruta(PUBLICA),
    "datos_precios_json": Ruta(PUBLICA),
    "datos_dcat": Ruta(PUBLICA),
    "datos_dcat_ttl": Ruta(PUBLICA),
    "datos_dcat_rdf": Ruta(PUBLICA),
    "datos_catalogo": Ruta(PUBLICA),
    "datos_paquete": Ruta(PUBLICA),
    "datos_conjunto": Ruta(PUBLICA, params={"nombre": "conjunto"}),
    "datos_esquema": Ruta(PUBLICA, params={"nombre": "conjunto"}),
    "ocds_indice": Ruta(PUBLICA),
    "ocds_entregas": Ruta(PUBLICA, params={"mes": "mes_ocds"}),
    "ocds_registro": Ruta(PUBLICA, params={"ocid": "ocid"}),
    "ocds_extension": Ruta(PUBLICA, params={"archivo": "archivo_ocds"}),
    "verificar": Ruta(PUBLICA),
    "verificar_folio": Ruta(PUBLICA),
    # The manuals (config.manual): the built site, to anyone; in the tests, the stand-in of
    # tests/docs/sitio_minimo, so the answer is the same whether or not `make docs` ran.
    "manual": Ruta(PUBLICA),
    "manual_pagina": Ruta(PUBLICA, params={"ruta": "manual/"}),
    # For the load balancer and Prometheus (config.salud); the metrics only from configured
    # addresses, none in the tests.
    "salud_vivo": Ruta(PUBLICA),
    "salud_listo": Ruta(PUBLICA),
    "metricas": Ruta(fila(403)),
    # --- Requests ---------------------------------------------------------------------------
    "solicitudes:lista": Ruta(CON_SESION),
    "solicitudes:nueva": Ruta(
        fila(403, anonimo=LOGIN, requirentes=200),
        post=fila(403, anonimo=LOGIN, requirentes="permitido"),
    ),
    "solicitudes:detalle": Ruta(fila(200, anonimo=LOGIN, requirente_b=404)),
    "solicitudes:editar": Ruta(
        fila(404, anonimo=LOGIN, requirente_a=200),
        params={"pk": "borrador"},
        post=fila(404, anonimo=LOGIN, requirente_a="permitido"),
        datos={"titulo": "Cambiado por quien no debe"},
    ),
    "solicitudes:partida_nueva": Ruta(
        fila(404, anonimo=LOGIN, requirente_a=200), params={"pk": "borrador"}
    ),
    "solicitudes:partida": Ruta(
        fila(404, anonimo=LOGIN, requirente_a=200),
        params={"pk": "borrador", "partida_pk": "borrador:partida"},
    ),
    # The item form's autoevaluación while typing: only the agency's requirente; it saves
    # nothing, and everyone else is told the request does not exist.
    # One item's price (issue 62): whoever sees the request; it writes nothing.
    "solicitudes:partida_precio": Ruta(
        fila(200, anonimo=LOGIN, requirente_b=404),
        params={"pk": "emitida", "partida_pk": "emitida:partida"},
    ),
    "solicitudes:partida_evaluar": Ruta(
        SOLO_POST,
        params={"pk": "borrador"},
        post=fila(404, anonimo=LOGIN, requirente_a="permitido"),
    ),
    # The draft's track with the item as typed (issue 61): only the agency's requirente; it
    # saves nothing, and everyone else is told the request does not exist.
    "solicitudes:via_prevista": Ruta(
        SOLO_POST,
        params={"pk": "borrador"},
        post=fila(404, anonimo=LOGIN, requirente_a="permitido"),
    ),
    # Issue 62, helper A. The item's price while typed: only the agency's requirente; it saves
    # nothing. The item's quotes: only the agency's requirente; everyone else is told the
    # request does not exist.
    "solicitudes:partida_precio_en_vivo": Ruta(
        SOLO_POST,
        params={"pk": "borrador"},
        post=fila(404, anonimo=LOGIN, requirente_a="permitido"),
    ),
    "solicitudes:partida_cotizacion_agregar": Ruta(
        SOLO_POST,
        params={"pk": "borrador", "partida_pk": "borrador:partida"},
        post=fila(404, anonimo=LOGIN, requirente_a="permitido"),
        datos=lambda ids: {
            "cot-proveedor": "Proveedora Tecnológica del Noroeste, S.A. de C.V.",
            "cot-precio_unitario": "15000",
            "cot-fecha": "2026-01-05",
            "cot-vigencia": "2026-03-05",
            "cot-archivo": oficio_pdf()["archivo"],
        },
    ),
    "solicitudes:partida_cotizacion_quitar": Ruta(
        SOLO_POST,
        params={"pk": "borrador", "partida_pk": "borrador:partida"},
        post=fila(404, anonimo=LOGIN, requirente_a="permitido"),
        datos={"cotizacion": "1"},
    ),
    "solicitudes:partida_eliminar": Ruta(
        SOLO_POST,
        params={"pk": "borrador", "partida_pk": "borrador:partida"},
        post=fila(NEGADO, anonimo=LOGIN, requirente_a="permitido", requirente_b=FUERA),
    ),
    "solicitudes:anexo_subir": Ruta(
        SOLO_POST,
        params={"pk": "borrador"},
        post=fila(NEGADO, anonimo=LOGIN, requirente_a="permitido", requirente_b=FUERA),
        datos=lambda ids: oficio_pdf(),
    ),
    "solicitudes:anexo": Ruta(
        fila(200, anonimo=LOGIN, requirente_b=404),
        params={"pk": "emitida", "anexo_pk": "emitida:anexo"},
    ),
    "solicitudes:presentar": Ruta(
        SOLO_POST,
        params={"pk": "borrador"},
        post=fila(NEGADO, anonimo=LOGIN, requirente_a="permitido", requirente_b=FUERA),
    ),
    "solicitudes:admision": Ruta(
        SOLO_POST,
        params={"pk": "presentada"},
        post=fila(NEGADO, anonimo=LOGIN, mesa="permitido", requirente_b=FUERA),
        datos={"decision": "admitir"},
    ),
    # The mesa moves a fast-track request to the full track (issue 36). This one follows the
    # full track already (its item states nothing, so it does not comply): the mesa is told
    # so (400); nobody else may move any.
    "solicitudes:via_completa": Ruta(
        SOLO_POST,
        params={"pk": "presentada"},
        post=fila(NEGADO, anonimo=LOGIN, mesa=400, requirente_b=FUERA),
        datos={"via-texto": "Tiene una partida de seguridad."},
    ),
    "solicitudes:subsanar": Ruta(
        SOLO_POST,
        params={"pk": "presentada"},
        # No prevention is open: the agency is told the step is not there (400), everyone else
        # that the request is not theirs.
        post=fila(NEGADO, anonimo=LOGIN, requirente_a=400, requirente_b=FUERA),
        datos={"texto": "Ya corregimos todo."},
    ),
    "solicitudes:revision_area": Ruta(
        SOLO_POST,
        params={"pk": "revision"},
        post=fila(NEGADO, anonimo=LOGIN, revisor_redes="permitido", requirente_b=FUERA),
        # The redes review, whole: its opinion and one for its item (the request's first).
        datos=lambda ids: {
            "redes-opinion": "favorable",
            "redes-observaciones": "Revisada por quien no debe.",
            f"redes-p{ids['revision:partida']}_opinion": "Cumple.",
        },
    ),
    "solicitudes:pedir_informacion": Ruta(
        SOLO_POST,
        params={"pk": "revision"},
        post=fila(NEGADO, anonimo=LOGIN, revisor_redes="permitido", requirente_b=FUERA),
        datos={"pet-redes-texto": "¿Y la garantía?"},
    ),
    "solicitudes:responder": Ruta(
        SOLO_POST,
        params={"pk": "revision"},
        # Only the agency answers; everyone else is told the question does not exist.
        post=fila(404, anonimo=LOGIN, requirente_a="permitido"),
        datos={"texto": "Son 24 puertos PoE."},
    ),
    "solicitudes:estrategica": Ruta(
        SOLO_POST,
        params={"pk": "estrategica"},
        post=fila(NEGADO, anonimo=LOGIN, estrategico="permitido", requirente_b=FUERA),
        # Its one item approved whole: the result follows (favorable).
        datos=lambda ids: {
            "accion": "decidir",
            f"p{ids['estrategica:partida']}_resultado": "aprobada",
            "motivos": "Procede: cumple los estándares.",
        },
    ),
    "solicitudes:firma": Ruta(
        SOLO_POST,
        params={"pk": "firma"},
        post=fila(NEGADO, anonimo=LOGIN, firmante="permitido", requirente_b=FUERA),
        datos=lambda ids: efirma_del_firmante(),
    ),
    "solicitudes:firma_vista_previa": Ruta(
        # Only who may sign it now; everybody else is told it does not exist.
        fila(404, anonimo=LOGIN, firmante=200),
        params={"pk": "firma"},
    ),
    "solicitudes:tomar": Ruta(
        SOLO_POST,
        params={"pk": "revision", "tarea_pk": "tarea_redes"},
        # Whoever sees the request is told, in Spanish, why the step is not theirs to take.
        post=fila(403, anonimo=LOGIN, revisor_redes="permitido", requirente_b=FUERA),
    ),
    "solicitudes:reasignar": Ruta(
        SOLO_POST,
        params={"pk": "revision", "tarea_pk": "tarea_redes"},
        # Only who holds the task's role sees the task; the rest are told it does not exist.
        post=fila(404, anonimo=LOGIN, revisor_redes="permitido"),
        datos={"persona": "persona_redes", "motivo": "Vacaciones."},
    ),
    "solicitudes:suplencias": Ruta(
        fila(403, anonimo=LOGIN, tramite=200),
        post=fila(403, anonimo=LOGIN, tramite="permitido"),
    ),
    "solicitudes:expediente": Ruta(
        fila(200, anonimo=LOGIN, requirentes=404), params={"pk": "emitida"}
    ),
    # The history PDF alone: the expediente's rule (issue 61).
    "solicitudes:historial_pdf": Ruta(
        fila(200, anonimo=LOGIN, requirentes=404), params={"pk": "emitida"}
    ),
    "solicitudes:dictamen_pdf": Ruta(
        # No login redirect: whoever cannot see the request is told it does not exist.
        fila(200, anonimo=404, requirente_b=404),
        params={"pk": "emitida"},
    ),
    "solicitudes:cancelar": Ruta(
        SOLO_POST,
        params={"pk": "emitida"},
        post=fila(NEGADO, anonimo=LOGIN, firmante="permitido", requirente_b=FUERA),
        datos=lambda ids: {
            "cancelar-motivo": "Cancelado por quien no debe.",
            **efirma_del_firmante("cancelar-"),
        },
    ),
    # Conditions of the condicionado dictamen: the agency uploads evidence, the area that
    # proposed the condition (software) verifies it; whoever sees the request reads the files.
    "solicitudes:condicion_evidencia": Ruta(
        SOLO_POST,
        params={"pk": "emitida", "condicion_pk": "condicion_pendiente"},
        post=fila(403, anonimo=LOGIN, requirente_a="permitido", requirente_b=FUERA),
    ),
    "solicitudes:condicion_verificar": Ruta(
        SOLO_POST,
        params={"pk": "emitida", "condicion_pk": "condicion_en_verificacion"},
        post=fila(403, anonimo=LOGIN, requirente_b=FUERA, revisor_software="permitido"),
    ),
    "solicitudes:condicion_evidencia_descargar": Ruta(
        fila(200, anonimo=LOGIN, requirente_b=404),
        params={"pk": "emitida", "evidencia_pk": "evidencia"},
    ),
    # The satisfaction survey of an ended request: its agency's requirentes only.
    # What was done about a sign (issue 80): whoever holds the role that decides at the
    # request's step (the mesa, in admission); the agency's own staff never.
    "solicitudes:senal_atender": Ruta(
        SOLO_POST,
        params={"pk": "presentada", "senal_pk": "senal"},
        post=fila(NEGADO, anonimo=LOGIN, mesa="permitido", requirente_b=FUERA),
        datos={"senal-atencion": "sin_efecto", "senal-atencion_nota": "Revisada en la matriz."},
    ),
    "solicitudes:encuesta": Ruta(
        fila(403, anonimo=LOGIN, requirente_a=200, requirente_b=404),
        params={"pk": "emitida"},
        post=fila(403, anonimo=LOGIN, requirente_a="permitido", requirente_b=404),
    ),
    # The purchase made: only the agency's requirentes record a contract under its dictamen.
    "solicitudes:contrato": Ruta(
        SOLO_POST,
        params={"pk": "emitida"},
        post=fila(NEGADO, anonimo=LOGIN, requirente_a="permitido", requirente_b=FUERA),
        datos={
            "contrato-numero": "SH-2026-001",
            "contrato-proveedor": "Proveedor de prueba",
            "contrato-fecha": "2026-01-15",
            "contrato-monto": "1000.00",
        },
    ),
    # The delivery under a contract that counts (issue 80): only the agency's requirentes.
    # The world's one contract waits for the strategic reviewer, so the form offers none; to
    # anyone inside the page does not offer it either, and says so before reading the form
    # (issue 92, item 2: the registry asks the offer first).
    "solicitudes:entrega": Ruta(
        SOLO_POST,
        params={"pk": "emitida"},
        post=fila(NEGADO, anonimo=LOGIN, requirente_a="permitido", requirente_b=FUERA),
        datos={
            "entrega-contrato": "contrato",
            "entrega-fecha": "2026-01-15",
            "entrega-monto_pagado": "1000.00",
        },
    ),
    # The contract form's live check of the amount: it saves nothing; only the agency's
    # requirentes, and everyone else is told the request (or the dictamen) does not exist.
    "solicitudes:contrato_revisar": Ruta(
        SOLO_POST,
        params={"pk": "emitida"},
        post=fila(404, anonimo=LOGIN, requirente_a="permitido"),
        datos={"contrato-monto": "1000.00"},
    ),
    # Rectifying signs what the estratégico proposed: the firmante signs it, nobody else.
    "solicitudes:rectificar": Ruta(
        SOLO_POST,
        params={"pk": "emitida"},
        post=fila(NEGADO, anonimo=LOGIN, firmante="permitido", requirente_b=FUERA),
        datos=lambda ids: {"rectificar-propuesta": "1", **efirma_del_firmante("rectificar-")},
    ),
    "solicitudes:proponer_rectificacion": Ruta(
        SOLO_POST,
        params={"pk": "emitida"},
        post=fila(403, anonimo=LOGIN, estrategico="permitido", requirente_b=FUERA),
        datos={
            "proponer-motivo": "Error en las condiciones.",
            "proponer-resultado": "favorable",
            "proponer-motivos": "Procede: cumple los estándares.",
        },
    ),
    # Closing a request early, with a reason: the agency withdraws it, or the estratégico
    # cancels it.
    "solicitudes:desistir": Ruta(
        SOLO_POST,
        post=fila(403, anonimo=LOGIN, requirente_a="permitido", requirente_b=FUERA),
        datos={"desistir-motivo": "Ya no se necesita.", "desistir-confirmar": "on"},
    ),
    "solicitudes:cancelar_solicitud": Ruta(
        SOLO_POST,
        post=fila(403, anonimo=LOGIN, estrategico="permitido", requirente_b=FUERA),
        datos={
            "cancelar_solicitud-motivo": "Duplicada.",
            "cancelar_solicitud-confirmar": "on",
        },
    ),
    # --- Planning and indicators -----------------------------------------------------------
    "planeacion:programa": Ruta(
        fila(403, anonimo=LOGIN, requirentes=200),
        post=fila(403, anonimo=LOGIN, requirentes="permitido"),
    ),
    # A programme line by hand: the agency's own requirentes; another agency's line "does not
    # exist" for them.
    "planeacion:linea_nueva": Ruta(
        fila(403, anonimo=LOGIN, requirentes=200),
        post=fila(403, anonimo=LOGIN, requirentes="permitido"),
    ),
    "planeacion:linea": Ruta(
        fila(403, anonimo=LOGIN, requirente_a=200, requirente_b=404),
        params={"pk": "linea"},
        post=fila(403, anonimo=LOGIN, requirente_a="permitido", requirente_b=404),
    ),
    "planeacion:linea_retirar": Ruta(
        fila(403, anonimo=LOGIN, requirente_a=200, requirente_b=404),
        params={"pk": "linea"},
        post=fila(403, anonimo=LOGIN, requirente_a="permitido", requirente_b=404),
    ),
    "planeacion:consolidacion": Ruta(SOLO_INTERNOS),
    "planeacion:pronostico": Ruta(SOLO_INTERNOS),
    "planeacion:contratos": Ruta(SOLO_INTERNOS),
    # Issue 76: the strategic reviewer authorises, or not, a contract over the tolerance; the
    # mesa or the strategic reviewer checks one against its document. Never the agency.
    "planeacion:contrato_autorizar": Ruta(
        SOLO_POST,
        params={"contrato_pk": "contrato"},
        post=fila(403, anonimo=LOGIN, estrategico="permitido"),
        datos={"decision": "autorizar", "motivo": "Prueba de la matriz de acceso."},
    ),
    # Issue 93, item 6: the check is made on the contract's own page, its document in view
    # (contrato_documento, which records that the server sent it); «estrategico» decided the
    # emitida's request, its prices among it: never its contract's check.
    "planeacion:contrato_verificar": Ruta(
        SOLO_INTERNOS,
        params={"contrato_pk": "contrato"},
        post=fila(403, anonimo=LOGIN, mesa="permitido"),
    ),
    "planeacion:contrato_documento": Ruta(
        SOLO_INTERNOS,
        params={"contrato_pk": "contrato"},
        post=fila(405, anonimo=LOGIN),
    ),
    "planeacion:condiciones": Ruta(SOLO_INTERNOS),
    # The signs' pages (issue 80): the Subsecretaría's staff and the auditors, never an
    # agency's (not even its own); a supplier no sign names does not exist there.
    "senales:lista": Ruta(SOLO_INTERNOS, post=fila(405, anonimo=LOGIN, requirentes=405)),
    "senales:lista_csv": Ruta(SOLO_INTERNOS, post=fila(405, anonimo=LOGIN, requirentes=405)),
    "senales:ente": Ruta(SOLO_INTERNOS, params={"pk": "ente"}),
    "senales:proveedor": Ruta(SOLO_INTERNOS, params={"clave": "proveedor_senal"}),
    "indicadores": Ruta(SOLO_INTERNOS),
    "indicadores_exportar": Ruta(SOLO_INTERNOS),
    # «Capacidad para el cierre» (issue 50) and its CSV: the strategic reviewer and the
    # administrators; its what-if is a GET, it takes no POST.
    "capacidad:cierre": Ruta(
        fila(403, anonimo=LOGIN, estrategico=200, administrador=200),
        post=fila(403, anonimo=LOGIN, estrategico=405, administrador=405),
    ),
    "capacidad:cierre_csv": Ruta(
        fila(403, anonimo=LOGIN, estrategico=200, administrador=200),
        post=fila(403, anonimo=LOGIN, estrategico=405, administrador=405),
    ),
    # --- API pages outside the schema --------------------------------------------------------
    "api:api-root": Ruta(fila(200, anonimo=401)),
    "api:esquema": Ruta(PUBLICA),
    "api:docs": Ruta(PUBLICA),
}

# The router's own URL names: requested through the schema (API below), not here.
RUTAS_DEL_ESQUEMA = {
    f"api:{nombre}"
    for nombre in (
        "publicacion-list",
        "publicacion-detail",
        "categoria-list",
        "categoria-detail",
        "perfil-list",
        "perfil-detail",
        "perfil-evaluar",
        "requisito-list",
        "requisito-detail",
        "solicitud-list",
        "solicitud-detail",
        "dictamen-list",
        "dictamen-detail",
        "dictamen-pdf",
        "registro-list",
        "indicadores",
        "ahorros",
    )
}

# --- The API, operation by operation (from drf-spectacular's schema) -----------------------
# {id}/{version} are filled with the request "emitida" of agency A, its dictamen, or the first
# published catalogue rows.
API_PUBLICA = fila(200)
API_CON_SESION = fila(200, anonimo=401)
API = {
    ("GET", "/api/v1/estandares/publicaciones/"): API_PUBLICA,
    ("GET", "/api/v1/estandares/publicaciones/{version}/"): API_PUBLICA,
    ("GET", "/api/v1/estandares/categorias/"): API_PUBLICA,
    ("GET", "/api/v1/estandares/categorias/{id}/"): API_PUBLICA,
    ("GET", "/api/v1/estandares/perfiles/"): API_PUBLICA,
    ("GET", "/api/v1/estandares/perfiles/{id}/"): API_PUBLICA,
    # Evaluating specifications changes nothing: open to all (its body is tested elsewhere).
    ("POST", "/api/v1/estandares/perfiles/{id}/evaluar/"): fila(400),
    ("GET", "/api/v1/estandares/requisitos/"): API_PUBLICA,
    ("GET", "/api/v1/estandares/requisitos/{id}/"): API_PUBLICA,
    ("GET", "/api/v1/registro/"): API_PUBLICA,
    ("GET", "/api/v1/solicitudes/"): API_CON_SESION,
    ("GET", "/api/v1/solicitudes/{id}/"): fila(200, anonimo=401, requirente_b=404),
    # Only agency staff create drafts (their POST is exercised in tests/dictamenes/test_api.py).
    ("POST", "/api/v1/solicitudes/"): fila(403, anonimo=401, requirentes="permitido"),
    ("GET", "/api/v1/dictamenes/"): API_CON_SESION,
    ("GET", "/api/v1/dictamenes/{id}/"): fila(200, anonimo=401, requirente_b=404),
    ("GET", "/api/v1/dictamenes/{id}/pdf/"): fila(200, anonimo=401, requirente_b=404),
    ("GET", "/api/v1/indicadores/"): fila(200, anonimo=401, requirentes=404),
    # The savings are open data (/datos-abiertos/ahorros.csv): anyone reads them.
    ("GET", "/api/v1/ahorros/"): API_PUBLICA,
}
