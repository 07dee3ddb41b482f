"""The writers' map's server commands (config.escritores): what each writes and its control.
Apart from the map's pages so that neither module outgrows one subject."""

DUAL = "control dual: la pide una persona administradora y la aplica otra al aprobarla"
TODO = "todo"
NADA = "—"
# What a page or command that asks for a change writes: the request, never the rule.
PIDE = "dictamenes.CambioPendiente"
EDICION = "estandares.Publicacion, estandares.Categoria, estandares.Perfil, estandares.Requisito"

# Management commands of the project and Django's that write people: (what they write, control).
COMANDOS = {
    "cargar_perfil_estado": (
        PIDE,
        "pide un cambio a nombre de --usuario; " + DUAL,
    ),
    "estandares_importar": (
        EDICION + ", " + PIDE,
        "importa un borrador; publicarlo pide un cambio a nombre de --usuario; " + DUAL,
    ),
    "estandares_exportar": ("—", "solo lectura"),
    "importar_historico": (
        "dictamenes.Solicitud",
        "solo solicitudes ya resueltas en papel (sin partidas ni dictamen electrónico), a "
        "nombre de --usuario, auditado",
    ),
    "designar_cuenta_emergencia": (
        "dictamenes.CuentaEmergencia",
        "emergencia, en el servidor, a nombre de --usuario (nunca la propia), auditado",
    ),
    "workflow_timers": (
        "viewflow.Process, viewflow.Task, dictamenes.Solicitud",
        "vence los plazos del flujo (una prevención sin subsanar se desecha), auditado",
    ),
    "restaurar": (
        TODO,
        "emergencia, en el servidor: repone un respaldo verificado; con --forzar, a nombre de "
        "--usuario, auditado en la cadena restaurada",
    ),
    "respaldo": ("—", "solo lectura"),
    "auditoria_verificar": ("—", "solo lectura"),
    "dictamen_verificar": ("—", "solo lectura"),
    "manual_construir": ("—", "solo archivos: el sitio del manual en DJANGO_VAR_DIR/manual"),
    "estado_del_sistema": ("—", "solo lectura"),
    "simular_anio": ("—", "solo lectura"),
    "avisar_vencimientos": ("—", "solo avisos (correo)"),
    "capacidad_avisar": ("—", "solo avisos (correo)"),
    "capacidad_calcular": (
        "dictamenes.PlanGuardado",
        "solo el plan calculado de los datos (no cambia ningún dato del trámite)",
    ),
    "enviar_avisos": ("—", "solo avisos (correo)"),
    "recordar_programa": (
        "dictamenes.LineaPrograma",
        "avisos (correo); marca la línea ya recordada (recordada_en)",
    ),
    "recordar_vigencias": ("—", "solo avisos (correo)"),
    "precios_recalcular": (
        "dictamenes.PrecioObservado, dictamenes.ReferenciaPrecio",
        "datos derivados de los dictámenes en vigor y sus contratos; --reconstruir, auditado",
    ),
    "senales_calcular": (
        "dictamenes.Senal, dictamenes.SenalProveedor",
        "datos derivados de cada solicitud; cada cambio del conjunto de señales, auditado",
    ),
    "publicar_encuestas": ("—", "publica lo ya respondido, en lotes"),
    "constancias_nom151": (
        "dictamenes.Dictamen",
        "solo la constancia NOM-151 de un dictamen ya emitido y su fecha, una vez",
    ),
    "sellos_archivo_renovar": (
        "dictamenes.Dictamen",
        "solo el PDF ya firmado con su sello de archivo renovado (su SHA-256 y su vencimiento)",
    ),
    "refuerzos_concluir": (
        "auth.User, dictamenes.Perfil, dictamenes.Refuerzo",
        "concluye préstamos ya aprobados al llegar su fecha, auditado",
    ),
    "cargar_demo": (TODO, "solo con DJANGO_PERMITIR_DEMO, sobre una base nueva"),
    "generar_historico": (TODO, "solo con DJANGO_PERMITIR_DEMO (medición)"),
    "capacidad_validar": (
        "—",
        "no escribe: juzga el plan en mundos que genera en memoria (lee el calendario y el "
        "estándar)",
    ),
    "efirma_demo": ("—", "e.firma de prueba en archivos"),
    "confianza_local": ("—", "servicios de prueba (sello de tiempo)"),
    "createsuperuser": (
        "auth.User",
        "en el servidor: solo mientras haya menos de dos personas administradoras, o la cuenta "
        "de emergencia (sin contraseña); a nombre de --usuario en cuanto hay una persona "
        "administradora activa; auditado",
    ),
    "changepassword": (
        "auth.User",
        "en el servidor, a nombre de --usuario: solo la propia contraseña; la de la cuenta de "
        "emergencia la genera y la recibe solo la custodia de --custodia (otra persona "
        "administradora); auditado",
    ),
    "drf_create_token": (
        "authtoken.TokenProxy",
        "en el servidor, a nombre de --usuario, auditado (sin guardar el token): el propio se "
        "muestra; el de otra persona llega solo a su correo",
    ),
    # Issue 77: Django's and axes' commands, the house's versions (cuentas.servidor).
    "loaddata": (
        TODO,
        "en producción no carga personas, roles, permisos, sesiones, credenciales, el trámite, "
        "sus reglas, los estándares ni la auditoría (rechaza el archivo entero); lo demás, a "
        "nombre de --usuario, auditado; restaurar lo corre por su cuenta",
    ),
    "flush": (
        TODO,
        "en producción se niega (borraría la cadena de auditoría); solo lo corre restaurar",
    ),
    "shell": (
        TODO,
        "consola: en producción a nombre de --usuario, auditado antes de abrirla (el código de "
        "-c, como su SHA-256)",
    ),
    "dbshell": (
        TODO,
        "consola de la base: en producción a nombre de --usuario, auditado antes de abrirla",
    ),
    # Issue 93: it writes no table (only its event), and what it reads is the secret.
    "dumpdata": (
        NADA,
        "solo lectura: en producción a nombre de --usuario, auditado con lo que escribió y "
        "adónde; nunca sesiones, tokens, segundo factor, bloqueos ni secretos del proveedor de "
        "identidad (pedidos por nombre, se niega), y las contraseñas como marca inservible; "
        "respaldo lo corre por su cuenta",
    ),
    **dict.fromkeys(
        ("axes_reset", "axes_reset_ip", "axes_reset_username", "axes_reset_ip_username"),
        ("axes.AccessAttempt", "desbloquea: en producción a nombre de --usuario, auditado"),
    ),
    "axes_reset_logs": (
        "axes.AccessLog",
        "borra el registro de entradas: en producción a nombre de --usuario, auditado",
    ),
    "axes_reset_failure_logs": (
        "axes.AccessFailureLog",
        "borra el registro de intentos fallidos: en producción a nombre de --usuario, auditado",
    ),
}
# Django's, DRF's and axes' own commands that write (cuentas.servidor replaces them): listed
# with their control even where they are not ours.
COMANDOS_DE_DJANGO = (
    "createsuperuser",
    "changepassword",
    "drf_create_token",
    "loaddata",
    "flush",
    "shell",
    "dbshell",
    "dumpdata",
    "axes_reset",
    "axes_reset_ip",
    "axes_reset_username",
    "axes_reset_ip_username",
    "axes_reset_logs",
    "axes_reset_failure_logs",
)
