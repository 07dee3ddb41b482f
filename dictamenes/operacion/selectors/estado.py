"""The state of the installation, item by item (issue 49): the e-mail outbox, the periodic
commands, the certificates, the archival renewal, the last backup and audit verification,
the NOM-151 constancias, and the technical reviewers left without an area (issue 60). Read by
the operator's page (/cuentas/sistema/) and by `manage.py estado_del_sistema`, which also
tells the administrators by e-mail of what fails (operacion.services.alertas). A bounded
number of queries, whatever the number of rows."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from dictamenes.avisos.services import AVISO_INTENTOS_MAXIMOS
from dictamenes.models import Aviso, Dictamen
from dictamenes.operacion.selectors import certificados, corridas
from dictamenes.operacion.selectors.asuntos import (
    ATENCION,
    BIEN,
    FALLA,
    Asunto,
    fecha,
    hace,
    peor,
)
from dictamenes.organizacion.selectors.revisores import revisores_sin_area

# A pending notice that failed this many times (a quarter of an hour of retries) is a mail
# server that refuses it, not a hiccup.
INTENTOS_FALLA = 3
# A notice waiting this long without any attempt: `enviar_avisos` is not running.
ESPERA_SIN_INTENTO = datetime.timedelta(minutes=30)
# A dictamen without its constancia this long after issue: the provider is failing.
NOM151_ATENCION = datetime.timedelta(hours=2)
NOM151_FALLA = datetime.timedelta(days=1)
SECCION_PERSONAS = "Personas del trámite"


@dataclass(frozen=True)
class Seccion:
    titulo: str
    asuntos: list[Asunto]

    @property
    def estado(self) -> str:
        return peor(self.asuntos)

    @property
    def ancla(self) -> str:
        return f"s-{self.asuntos[0].clave.split(':')[0].replace('_', '-')}"


def asunto_de_correo(*, ahora: datetime.datetime) -> Asunto:
    """Two queries: the pending ones' counts (their own index), then the oldest failing one's
    error."""
    pendientes = Aviso.objects.filter(enviado_en__isnull=True)
    c = pendientes.aggregate(
        pendientes=Count("id"),
        fallando=Count("id", filter=Q(intentos__gt=0)),
        graves=Count("id", filter=Q(intentos__gte=INTENTOS_FALLA)),
        agotados=Count("id", filter=Q(intentos__gte=AVISO_INTENTOS_MAXIMOS)),
        mas_antiguo=Min("creado_en"),
        falla_desde=Min("creado_en", filter=Q(intentos__gt=0)),
    )
    titulo = "Bandeja de salida del correo"
    if not c["pendientes"]:
        return Asunto("correo", "Correo", titulo, BIEN, "Ningún aviso pendiente de enviar.")
    resumen = (
        f"{c['pendientes']:,} aviso(s) pendientes, {c['fallando']:,} con envíos fallidos"
        + (f" ({c['agotados']:,} ya no se reintentan solos)" if c["agotados"] else "")
        + f"; el más antiguo es del {fecha(c['mas_antiguo'])} ({hace(c['mas_antiguo'], ahora)})."
    )
    if c["fallando"]:
        error = (
            pendientes.filter(intentos__gt=0)
            .order_by("creado_en", "id")
            .values_list("ultimo_error", flat=True)
            .first()
        )
        que_hacer = (
            "Revise el servidor de correo (DJANGO_EMAIL_HOST, DJANGO_EMAIL_PORT, su usuario y "
            "contraseña) con el error de arriba; cuando "
            "responda, «.venv/bin/python manage.py enviar_avisos --intentos-maximos 1000» "
            "envía también los que ya no se reintentan solos."
        )
        return Asunto(
            "correo",
            "Correo",
            titulo,
            FALLA if c["graves"] else ATENCION,
            f"{resumen} Último error: «{error[:300]}».",
            desde=c["falla_desde"],
            que_hacer=que_hacer,
        )
    if c["mas_antiguo"] < ahora - ESPERA_SIN_INTENTO:
        return Asunto(
            "correo",
            "Correo",
            titulo,
            ATENCION,
            resumen + " Ninguno se ha intentado reenviar.",
            desde=c["mas_antiguo"],
            que_hacer="Revise que enviar_avisos corra cada 5 minutos (abajo, «Comandos "
            "periódicos») y córralo a mano: «.venv/bin/python manage.py enviar_avisos».",
        )
    return Asunto("correo", "Correo", titulo, BIEN, resumen)


def asunto_de_nom151(*, ahora: datetime.datetime) -> Asunto:
    titulo = "Constancias NOM-151"
    seccion = "Constancias de conservación NOM-151"
    if not settings.DICTAMENES_NOM151.get("URL"):
        return Asunto(
            "nom151",
            seccion,
            titulo,
            BIEN,
            "Apagadas: no se definió DJANGO_NOM151_URL (son opcionales).",
        )
    c = Dictamen.objects.filter(constancia_nom151_en__isnull=True).aggregate(
        pendientes=Count("id"), mas_antiguo=Min("emitido_en")
    )
    if not c["pendientes"]:
        return Asunto("nom151", seccion, titulo, BIEN, "Todos los dictámenes tienen su constancia.")
    detalle = (
        f"{c['pendientes']:,} dictamen(es) sin constancia; el más antiguo se emitió el "
        f"{fecha(c['mas_antiguo'])} ({hace(c['mas_antiguo'], ahora)})."
    )
    edad = ahora - c["mas_antiguo"]
    estado = FALLA if edad > NOM151_FALLA else ATENCION if edad > NOM151_ATENCION else BIEN
    return Asunto(
        "nom151",
        seccion,
        titulo,
        estado,
        detalle,
        desde=c["mas_antiguo"] + (NOM151_FALLA if estado == FALLA else NOM151_ATENCION)
        if estado != BIEN
        else None,
        que_hacer=""
        if estado == BIEN
        else "Corra «.venv/bin/python manage.py constancias_nom151» y lea su salida y el registro "
        "de la aplicación; revise DJANGO_NOM151_URL, el usuario y la contraseña con su "
        "prestador de servicios de certificación.",
    )


def _respaldo(corrida: corridas.UltimaCorrida, *, ahora) -> Asunto:
    base = corridas.asunto_de_corrida(corrida, ahora=ahora, seccion="Respaldo y auditoría")
    ok = corrida.ultima_ok
    detalle = base.detalle
    if ok is not None and ok.mensaje:
        detalle += f" Escrito en {ok.mensaje}."
    que_hacer = base.que_hacer and (
        "Corra «.venv/bin/python manage.py respaldo /var/backups/dictamenes/» (o la carpeta de "
        "su temporizador) y lea su salida; revise que la carpeta exista y tenga espacio, y que "
        "el temporizador de respaldo esté activo."
    )
    return Asunto(
        "respaldo",
        base.seccion,
        "Último respaldo (respaldo)",
        base.estado,
        detalle,
        desde=base.desde,
        que_hacer=que_hacer,
    )


def _auditoria(corrida: corridas.UltimaCorrida, *, ahora) -> Asunto:
    base = corridas.asunto_de_corrida(corrida, ahora=ahora, seccion="Respaldo y auditoría")
    titulo = "Última verificación de la cadena de auditoría (auditoria_verificar)"
    if corrida.fallo_despues:
        # A broken chain is not a hiccup: somebody changed the history.
        return Asunto(
            "auditoria",
            base.seccion,
            titulo,
            FALLA,
            f"La verificación del {fecha(corrida.ultima.inicio)} falló: «{corrida.ultima.mensaje}»",
            desde=corrida.ultima.inicio,
            que_hacer="Si dice «Cadena rota», no modifique nada: avise a quien audita "
            "(Órgano Interno de Control) y compare con el último respaldo íntegro; si es otro "
            "error, corra «.venv/bin/python manage.py auditoria_verificar» y lea su salida.",
        )
    detalle = base.detalle
    if corrida.ultima_ok is not None and corrida.ultima_ok.mensaje:
        detalle += f" Resultado: {corrida.ultima_ok.mensaje}"
    return Asunto(
        "auditoria",
        base.seccion,
        titulo,
        base.estado,
        detalle,
        desde=base.desde,
        que_hacer=base.que_hacer,
    )


def asunto_de_revisores() -> Asunto:
    """The people who hold Revisor técnico and no active area (issue 60): nothing fails, but
    the reviews of their areas wait for nobody and the plan counts them out. Two queries."""
    titulo = "Personas con el rol de revisión técnica sin área activa"
    sin_area = revisores_sin_area()
    if not sin_area:
        return Asunto(
            "revisores_sin_area",
            SECCION_PERSONAS,
            titulo,
            BIEN,
            "Cada persona con el rol de revisión técnica tiene al menos un área activa.",
        )
    nombres = [f"{r.nombre} ({r.usuario.username})" for r in sin_area]
    return Asunto(
        "revisores_sin_area",
        SECCION_PERSONAS,
        titulo,
        ATENCION,
        f"{len(sin_area)} persona(s) tienen el rol de revisión técnica y ningún área activa: "
        f"{', '.join(nombres)}. No pueden tomar ninguna revisión y el plan de capacidad no las "
        "cuenta.",
        que_hacer="En «Personas y roles», otórgueles un área («Revisor técnico: agregar "
        "áreas») o retíreles el rol.",
        enlaces=tuple((n, r.url) for n, r in zip(nombres, sin_area, strict=True)),
    )


def estado_del_sistema(*, ahora: datetime.datetime | None = None) -> list[Seccion]:
    ahora = ahora or timezone.now()
    ultimas = corridas.ultimas_corridas(ahora=ahora)
    por_nombre = {c.nombre: c for c in ultimas}
    return [
        Seccion("Correo", [asunto_de_correo(ahora=ahora)]),
        Seccion(corridas.SECCION, corridas.asuntos_de_corridas(ultimas, ahora=ahora)),
        Seccion(
            "Respaldo y auditoría",
            [
                _respaldo(por_nombre["respaldo"], ahora=ahora),
                _auditoria(por_nombre["auditoria_verificar"], ahora=ahora),
            ],
        ),
        Seccion(
            certificados.SECCION_CERTIFICADOS, certificados.asuntos_de_certificados(ahora=ahora)
        ),
        Seccion(certificados.SECCION_SELLOS, [certificados.asunto_de_sellos(ahora=ahora)]),
        Seccion("Constancias de conservación NOM-151", [asunto_de_nom151(ahora=ahora)]),
        Seccion(SECCION_PERSONAS, [asunto_de_revisores()]),
    ]


def asuntos_de(secciones: list[Seccion]) -> list[Asunto]:
    return [a for s in secciones for a in s.asuntos]
