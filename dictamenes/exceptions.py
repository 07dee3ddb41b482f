"""The refusals of the procedure, in Spanish: one constant per message, raised by the services
and read by the tests, so a page and the API say the same thing."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ERROR_REQUIRENTE_SIN_ENTE = _("Un requirente debe pertenecer a una dependencia o entidad.")
ERROR_INTERNO_CON_ENTE = _(
    "El personal que dictamina y los auditores no pertenecen a una dependencia."
)
ERROR_REVISOR_SIN_AREA = _("Un revisor técnico debe tener al menos un área de revisión.")
ERROR_SIN_ROLES = _("Indique al menos un rol.")

# --- The procedure ---------------------------------------------------------------------------
ERROR_NO_ES_DE_SU_ENTE = _("Esta solicitud no es de su dependencia.")
ERROR_NO_EDITABLE = _("La solicitud ya se presentó y solo puede cambiarse si se previene.")
ERROR_SIN_PARTIDAS = _("Agregue al menos una partida antes de presentar la solicitud.")
ERROR_SIN_OFICIO = _("Adjunte el oficio de solicitud antes de presentarla.")
# Issue 59, item 5: the track and the split check read the items, so a typed total that says
# otherwise is not presented (the draft keeps everything; the person corrects one or the other).
ERROR_MONTO_NO_CUADRA = _(
    "El monto total estimado (%(declarado)s) no coincide con la suma de las partidas "
    "(%(partidas)s): corrija el monto o las partidas antes de presentar la solicitud o de "
    "devolverla corregida."
)
ERROR_PERFIL_NO_VIGENTE = _(
    "La partida «%(partida)s» usa la edición %(version)s de los estándares, que no es la "
    "vigente; elija el perfil de la edición vigente."
)
ERROR_SIN_EDICION_VIGENTE = _("No hay una edición de los estándares en vigor hoy.")
ERROR_PASO_NO_DISPONIBLE = _(
    "Este paso no está disponible: la solicitud está «%(estado)s». Ningún trámite se salta "
    "pasos; recargue la página para ver su estado actual."
)
ERROR_SIN_PERMISO_PASO = _("Su cuenta no tiene el rol que atiende este paso.")
ERROR_SUBSANAR_NO_SE_TOMA = _(
    "La corrección de una prevención la atiende la dependencia desde la solicitud; no se toma."
)
ERROR_TAREA_DE_OTRO = _("Esta tarea está asignada a %(persona)s.")
ERROR_MISMO_ENTE = _("No puede revisar una solicitud de la dependencia a la que pertenece.")
ERROR_REVISOR_Y_ESTRATEGICO = _(
    "Usted revisó técnicamente esta solicitud; la revisión estratégica debe hacerla otra persona."
)
ERROR_ESTRATEGICO_Y_REVISOR = _(
    "Usted hizo la revisión estratégica de esta solicitud; la revisión técnica debe hacerla "
    "otra persona."
)
ERROR_FIRMA_REVISOR = _("No puede firmar una solicitud que usted mismo revisó o decidió.")
ERROR_CONTRATO_DECIDIDO = _(
    "Usted decidió esta solicitud, y con ella el precio de sus partidas: su contrato lo "
    "verifica contra su documento otra persona de la mesa de control o de la revisión "
    "estratégica."
)
ERROR_FALTAN_FALTANTES = _("Indique qué falta para emitir la prevención.")
ERROR_PLAZO_VENCIDO = _(
    "El plazo para subsanar venció el %(fecha)s; la solicitud se desecha sin dictamen."
)
ERROR_SIN_RESPUESTA = _("Describa lo que corrigió.")
ERROR_SIN_PREGUNTA = _("Escriba qué información necesita del requirente.")
ERROR_PETICION_ABIERTA = _(
    "Hay una petición de información sin responder para esta área; espere la respuesta."
)
ERROR_AJUSTE_SIN_MOTIVO = _(
    "Para cambiar el resultado del requisito «%(requisito)s» escriba el motivo."
)
ERROR_OPINION_FALTANTE = _("Escriba la opinión técnica de la partida «%(partida)s».")
ERROR_MOTIVOS = _("Escriba los motivos de la decisión.")
ERROR_SIN_RESULTADO = _("Elija el resultado de la decisión.")
ERROR_OPINION_SIN_ELEGIR = _(
    "Elija la opinión del área: favorable, favorable con observaciones o no favorable."
)
ERROR_CONDICIONES = _("Un resultado favorable condicionado necesita sus condiciones por escrito.")
ERROR_DEVOLUCION_SIN_MOTIVO = _("Escriba por qué devuelve la solicitud al área.")
ERROR_DEVOLUCION_A_RETIRADA = _(
    "El área «%(area)s» se retiró y ya no revisa solicitudes: devuelva la solicitud al área que "
    "recibió sus categorías."
)
ERROR_AREA_NO_PARTICIPA = _("El área %(area)s no revisó esta solicitud.")
ERROR_PREGUNTA_DE_OTRA_AREA = _(
    "Usted no pregunta como «%(area)s»: la petición lleva el área de quien la hace, «%(suya)s»."
)
ERROR_YA_FIRMADA = _("Esta solicitud ya se firmó; no se firma dos veces.")

# --- Closing a request early, and the dictamen after it is issued -----------------------------
ERROR_CIERRE_SIN_MOTIVO = _("Escriba el motivo del cierre: queda en el historial de la solicitud.")
ERROR_CIERRE_NO_DISPONIBLE = _(
    "La solicitud está «%(estado)s»: solo se cierra anticipadamente después de presentarla y "
    "antes de que se emita su dictamen."
)
ERROR_NO_CANCELA = _("Solo quien decide las solicitudes (revisión estratégica) las cancela.")
ERROR_CANCELA_MISMO_ENTE = _(
    "No puede cancelar una solicitud de la dependencia a la que pertenece."
)
ERROR_CANCELA_REVISOR = _(
    "Usted revisó técnicamente esta solicitud; su cancelación la decide otra persona de la "
    "revisión estratégica."
)
ERROR_DICTAMEN_REVISOR = _(
    "No puede cancelar ni rectificar el dictamen de una solicitud que usted mismo revisó o decidió."
)
ERROR_NO_PROPONE = _(
    "Solo quien decide las solicitudes (revisión estratégica) propone el contenido de una "
    "rectificación."
)
ERROR_PROPONE_REVISOR = _(
    "Usted revisó técnicamente esta solicitud; la rectificación la propone otra persona de la "
    "revisión estratégica."
)
ERROR_PROPUESTA_SIN_MOTIVO = _("Escriba por qué se rectifica el dictamen.")
ERROR_SIN_PROPUESTA = _(
    "No hay una rectificación propuesta para el dictamen %(folio)s: su nuevo contenido se "
    "propone primero en la revisión estratégica."
)
ERROR_PROPUESTA_CAMBIO = _(
    "Mientras usted revisaba, la rectificación propuesta cambió. No se firmó nada: lea la "
    "propuesta vigente y vuelva a firmar."
)
ERROR_NO_JEFE = _("Solo la jefatura del rol puede reasignar tareas.")
ERROR_REASIGNAR_SIN_PERMISO = _("%(persona)s no tiene el rol que atiende esta tarea.")
ERROR_SUPLENTE = _("El suplente debe tener el mismo rol que el titular.")
ERROR_FECHAS = _("La fecha final no puede ser anterior a la inicial.")
ERROR_SUPLENCIA_SIN_TAREAS = _("Solo quien atiende pasos del trámite registra suplencias.")

# --- Concurrency -----------------------------------------------------------------------------
ERROR_PASO_YA_CONCLUIDO = _(
    "Este paso no está disponible: %(persona)s ya lo concluyó el %(cuando)s y la solicitud "
    "está «%(estado)s». Su envío no se aplicó; recargue la página para ver el estado actual."
)
ERROR_EDICION_CONCURRENTE = _(
    "Mientras usted editaba, %(personas)s guardó cambios en esta solicitud (%(campos)s). Sus "
    "datos no se guardaron y siguen en el formulario: compárelos con la versión actual y "
    "vuelva a guardar para conservarlos."
)
ERROR_PARTIDA_CONCURRENTE = _(
    "Mientras usted editaba, %(personas)s modificó esta partida. Sus datos no se guardaron y "
    "siguen en el formulario: compárelos con la versión actual y vuelva a guardar para "
    "conservarlos."
)
ERROR_PARTIDA_ELIMINADA = _(
    "Otra persona eliminó esta partida mientras usted la editaba; sus datos no se guardaron."
)


class Conflicto(ValidationError):
    """Someone else changed or concluded the same thing first. Pages answer 409 Conflict and
    keep what the person typed; the service wrote nothing."""


# Django grants a superuser every permission; the procedure is attended only through roles
# given in «Personas y roles» to a person's own account (issue 18).
ERROR_SUPERUSUARIO = _(
    "Una cuenta de superusuario administra el servidor y no atiende el trámite. Pida que le "
    "otorguen el rol en «Personas y roles» a su cuenta personal."
)
