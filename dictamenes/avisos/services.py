"""Notices by e-mail through the outbox: written in the same transaction as the change they
announce and sent after it commits; a failed send is retried by `enviar_avisos`.

Every notice leads to the page where its reader acts: an absolute link (the public address
DICTAMENES_URL_PUBLICA + reverse()) shown as a button in the HTML part and as a plain line in
the text part. Both parts are rendered from templates/avisos/ when the notice is queued and
stored in the outbox, so a retry sends exactly the e-mail the decision wrote."""

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from guardian.shortcuts import get_users_with_perms

from dictamenes.comun.enlaces import url_verificacion
from dictamenes.models import Aviso, Resultado
from dictamenes.organizacion.selectors.textos import textos_vigentes

logger = logging.getLogger(__name__)


PREFIJO_ASUNTO = "[Dictámenes TIC] "
# Past this many failed attempts an aviso stays pending for a person to look at (admin),
# instead of hammering a mail server that refuses it.
AVISO_INTENTOS_MAXIMOS = 10

# Why each kind of reader gets a notice: printed at its foot.
MOTIVO_REQUIRENTE = (
    "Recibe este aviso porque es requirente de %(ente)s en Dictámenes TIC, y la solicitud es de "
    "su dependencia."
)
MOTIVO_ADMINISTRADOR = "Recibe este aviso porque administra las cuentas de Dictámenes TIC."
MOTIVO_CUENTA = "Recibe este aviso porque es un cambio en su propia cuenta de Dictámenes TIC."


def url_absoluta(ruta: str) -> str:
    """The public address of a path of this site: what a mail reader can open."""
    return f"{settings.DICTAMENES_URL_PUBLICA.rstrip('/')}{ruta}"


def enlace(nombre: str, *args, ancla: str = "") -> str:
    """Absolute link to a named page (reverse), with an optional anchor."""
    return url_absoluta(reverse(nombre, args=args)) + (f"#{ancla}" if ancla else "")


def enlace_solicitud(*, solicitud, ancla: str = "acciones") -> str:
    """The request's page at the block where its reader acts (by default «Lo que le toca
    hacer», #acciones)."""
    return enlace("solicitudes:detalle", solicitud.pk, ancla=ancla)


def motivo_requirente(*, solicitud) -> str:
    return MOTIVO_REQUIRENTE % {"ente": solicitud.ente}


def correo_componer(
    *,
    asunto: str,
    mensaje: str,
    enlace: str,
    accion: str,
    motivo: str,
    detalles: Sequence[tuple[str, str]] = (),
    otros_enlaces: Sequence[tuple[str, str]] = (),
) -> tuple[str, str]:
    """The text and HTML parts of one e-mail, from templates/avisos/aviso.{txt,html} (which
    extend the base with the site's identity). `mensaje`: paragraphs separated by a blank
    line; `detalles`: (label, value) rows, e.g. each condition and its deadline."""
    if not enlace.startswith(("https://", "http://")):
        # A relative link is not clickable in a mail reader (issue 34).
        raise ValueError(f"El enlace de un aviso debe ser absoluto: {enlace!r}")
    contexto = {
        "asunto": asunto,
        "parrafos": [p.strip() for p in mensaje.split("\n\n") if p.strip()],
        "enlace": enlace,
        "accion": accion,
        "motivo": motivo,
        "detalles": [(str(e), str(v)) for e, v in detalles],
        "otros_enlaces": [(str(t), str(u)) for t, u in otros_enlaces],
        "sistema": "Dictámenes TIC",
        "institucion": textos_vigentes().institucion,
        "inicio": url_absoluta(reverse("inicio")),
    }
    texto = render_to_string("avisos/aviso.txt", contexto).strip() + "\n"
    html = render_to_string("avisos/aviso.html", contexto)
    return texto, html


def correo_enviar(*, asunto: str, texto: str, html: str, destinatarios: Sequence[str]) -> None:
    """One e-mail with its plain-text body and its HTML alternative."""
    correo = EmailMultiAlternatives(
        PREFIJO_ASUNTO + asunto, texto, settings.DEFAULT_FROM_EMAIL, list(destinatarios)
    )
    if html:
        correo.attach_alternative(html, "text/html")
    correo.send()


def aviso_encolar(
    *,
    asunto: str,
    mensaje: str,
    destinatarios: Iterable[str],
    enlace: str,
    accion: str,
    motivo: str,
    detalles: Sequence[tuple[str, str]] = (),
    otros_enlaces: Sequence[tuple[str, str]] = (),
) -> Aviso | None:
    """Put the notice in the outbox (table Aviso) in the caller's transaction and send it
    after commit. A mail failure is logged, never undoes the decision, and leaves the aviso
    pending for `manage.py enviar_avisos` to retry. `enlace`: the absolute address of the page
    where the reader acts; `accion`: the words of its button; `motivo`: why they get it."""
    destinatarios = sorted({d for d in destinatarios if d})
    if not destinatarios:
        return None
    texto, html = correo_componer(
        asunto=asunto,
        mensaje=mensaje,
        enlace=enlace,
        accion=accion,
        motivo=motivo,
        detalles=detalles,
        otros_enlaces=otros_enlaces,
    )
    aviso = Aviso.objects.create(
        destinatarios=destinatarios, asunto=asunto[:300], mensaje=texto, html=html, enlace=enlace
    )
    # robust: whatever goes wrong while sending (even the database) is logged and never turns
    # the already committed decision into an error page; the aviso stays pending.
    transaction.on_commit(lambda: aviso_enviar(aviso_id=aviso.pk), robust=True)
    return aviso


def aviso_enviar(*, aviso_id: int) -> bool:
    """Send one pending aviso; True if it went out now. The row is locked while sending (and
    skipped if another worker holds it), so the after-commit send and the cron retry never
    send the same aviso twice."""
    with transaction.atomic():
        aviso = (
            Aviso.objects.select_for_update(skip_locked=True)
            .filter(pk=aviso_id, enviado_en__isnull=True)
            .first()
        )
        if aviso is None:
            return False
        aviso.intentos += 1
        try:
            correo_enviar(
                asunto=aviso.asunto,
                texto=aviso.mensaje,
                html=aviso.html,
                destinatarios=aviso.destinatarios,
            )
        except Exception as exc:
            aviso.ultimo_error = f"{type(exc).__name__}: {exc}"[:2000]
            aviso.save(update_fields=["intentos", "ultimo_error"])
            logger.warning(
                "No se pudo enviar el aviso #%s «%s» (intento %s): %s. Queda pendiente; "
                "manage.py enviar_avisos lo reintentará.",
                aviso.pk,
                aviso.asunto,
                aviso.intentos,
                aviso.ultimo_error,
            )
            return False
        aviso.enviado_en = timezone.now()
        aviso.ultimo_error = ""
        aviso.save(update_fields=["intentos", "ultimo_error", "enviado_en"])
        return True


def avisos_pendientes_enviar(
    *, limite: int = 200, intentos_maximos: int = AVISO_INTENTOS_MAXIMOS
) -> tuple[int, int]:
    """Retry the pending avisos, oldest first: (sent, still pending among those tried)."""
    pendientes = list(
        Aviso.objects.filter(enviado_en__isnull=True, intentos__lt=intentos_maximos)
        .order_by("creado_en", "id")
        .values_list("pk", flat=True)[:limite]
    )
    enviados = sum(aviso_enviar(aviso_id=pk) for pk in pendientes)
    return enviados, len(pendientes) - enviados


def correos_requirentes(*, solicitud) -> list[str]:
    return list(
        get_users_with_perms(
            solicitud.ente, only_with_perms_in=["actuar_como_requirente"], with_group_users=True
        ).values_list("email", flat=True)
    )


def _pesos(valor) -> str:
    return "$" + formats.number_format(valor, decimal_pos=2, force_grouping=True)


def _decisiones_detalle(decisiones) -> list[tuple[str, str]]:
    """Each item with what the dictamen approved of it, why not all of it and the price
    basis of its decision; then the totals. `decisiones`: tramite.selectors.decisiones
    .DecisionesDeSolicitud."""
    filas = []
    for d in decisiones.partidas:
        p = d.partida
        valor = d.etiqueta
        if not d.aprobada:
            valor += (
                f": {formats.number_format(d.cantidad_aprobada, force_grouping=True)} de "
                f"{formats.number_format(p.cantidad, force_grouping=True)}, "
                f"{_pesos(d.monto_aprobado)} de {_pesos(p.importe)}"
            )
        if d.razon:
            valor += f". Motivo: {d.razon}"
        if d.base_texto:  # the price basis kept at the decision, as the dictamen prints it
            valor += f". {d.base_texto}"
        filas.append((f"Partida «{p.descripcion}»", valor))
    filas.append(
        (
            "Total aprobado",
            f"{_pesos(decisiones.total_aprobado)} de {_pesos(decisiones.total_solicitado)} "
            "solicitados",
        )
    )
    return filas


def dictamen_avisar(*, dictamen, condiciones, asunto: str, parrafo: str, decisiones=None) -> None:
    """The agency hears its dictamen: the result, what it approved of each item and why not
    all (`decisiones`, tramite.selectors.decisiones), how long it is valid, each condition
    with who verifies it and its deadline, and the link to its request, where the evidence
    and the contract are recorded; the public verification page comes second."""
    solicitud = dictamen.solicitud
    detalles = [("Resultado", dictamen.get_resultado_display())]
    if decisiones is not None:
        detalles += _decisiones_detalle(decisiones)
        if decisiones.parcial and dictamen.resultado != Resultado.NO_FAVORABLE:
            parrafo += (
                f"\n\nEl dictamen aprobó {_pesos(decisiones.total_aprobado)} de los "
                f"{_pesos(decisiones.total_solicitado)} solicitados; abajo está lo que aprobó "
                "de cada partida. Contrate solo lo aprobado: un contrato por más se señala."
            )
    if dictamen.resultado != Resultado.NO_FAVORABLE and dictamen.vigencia_hasta:
        detalles.append(("Vigente hasta", formats.date_format(dictamen.vigencia_hasta, "d/m/Y")))
    for c in condiciones:
        verifica = c.area.nombre if c.area else dictamen.textos.unidad_resuelve
        detalles.append(
            (
                f"Condición {c.numero} · vence el {formats.date_format(c.vence, 'd/m/Y')}"
                + (" · cúmplala antes de contratar" if c.antes_de_contratar else ""),
                f"{c.texto} (la verifica: {verifica})",
            )
        )
    if condiciones:
        ancla, accion = "condiciones", "Presentar la evidencia de las condiciones"
        parrafo += (
            "\n\nCada condición se acredita con evidencia en la página de la solicitud antes "
            "de su vencimiento; ahí también se registran los contratos."
        )
    elif dictamen.resultado == Resultado.NO_FAVORABLE:
        ancla, accion = "t-dictamen", "Ver el dictamen y sus motivos"
    else:
        ancla, accion = "t-dictamen", "Ver el dictamen y registrar el contrato"
    aviso_encolar(
        asunto=asunto,
        mensaje=parrafo,
        destinatarios=correos_requirentes(solicitud=solicitud),
        detalles=detalles,
        enlace=enlace_solicitud(solicitud=solicitud, ancla=ancla),
        accion=accion,
        motivo=motivo_requirente(solicitud=solicitud),
        otros_enlaces=[("Verificación pública del dictamen", url_verificacion(dictamen.folio))],
    )
