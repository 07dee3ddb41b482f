"""The certificates the installation depends on, with their days to expiry: the e.firma's
trusted roots (DJANGO_EFIRMA_RAICES), the TSA's CA (DJANGO_TSA_RAICES), the TSA's own
certificate as the newest dictamen carries it, and in a demo the demo TSA's. Then the archival
renewal: the dictámenes whose last document timestamp is due, and, years ahead, how many come
due each year (Dictamen.sello_archivo_vence)."""

import datetime
import hashlib
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db.models import Count, Min
from django.db.models.functions import ExtractYear
from django.utils import timezone

from dictamenes.models import Dictamen
from dictamenes.operacion.selectors.asuntos import ATENCION, BIEN, FALLA, Asunto, dia, fecha

SECCION_CERTIFICADOS = "Certificados"
SECCION_SELLOS = "Sellos de archivo de los dictámenes"
# A certificate this close to its end asks for its replacement; this close, it fails.
DIAS_AVISO = 90
DIAS_FALLA = 30
# A dictamen's last archive timestamp due this soon: the weekly renewal (a year ahead) did not
# take it.
DIAS_SELLO = 90
FOLIOS_VISIBLES = 5
# How far in advance `sellos_archivo_renovar` renews (its --dias default).
RENOVACION_ANTICIPO = datetime.timedelta(days=365)


def _leer(ruta: str) -> x509.Certificate:
    datos = Path(ruta).read_bytes()
    try:
        return x509.load_der_x509_certificate(datos)
    except ValueError:
        return x509.load_pem_x509_certificate(datos)


def _nombre(certificado: x509.Certificate) -> str:
    cn = certificado.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(cn[0].value) if cn else certificado.subject.rfc4514_string()


def _asunto_vencimiento(
    *, clave, titulo, vence: datetime.datetime, ahora, detalle_extra="", que_hacer
) -> Asunto:
    dias = (vence - ahora).days
    cuando = f"vence el {dia(vence)}"
    if vence <= ahora:
        estado, desde, detalle = FALLA, vence, f"Venció el {dia(vence)}."
    elif dias < DIAS_FALLA:
        estado, desde = FALLA, vence - datetime.timedelta(days=DIAS_FALLA)
        detalle = f"Quedan {dias:,} días: {cuando}."
    elif dias < DIAS_AVISO:
        estado, desde = ATENCION, vence - datetime.timedelta(days=DIAS_AVISO)
        detalle = f"Quedan {dias:,} días: {cuando}."
    else:
        estado, desde, detalle, que_hacer = BIEN, None, f"Quedan {dias:,} días: {cuando}.", ""
    return Asunto(
        clave,
        SECCION_CERTIFICADOS,
        titulo,
        estado,
        detalle + detalle_extra,
        desde=desde,
        que_hacer=que_hacer,
    )


def _de_archivo(*, ruta: str, tipo: str, variable: str, ahora, que_hacer: str) -> Asunto:
    try:
        certificado = _leer(ruta)
    except (OSError, ValueError) as exc:
        return Asunto(
            f"certificado:{variable}:{ruta}",
            SECCION_CERTIFICADOS,
            f"{tipo}: {ruta}",
            FALLA,
            f"No se puede leer el certificado ({type(exc).__name__}).",
            que_hacer=f"Corrija la ruta en {variable}, o ponga ahí el certificado (DER o PEM).",
        )
    huella = hashlib.sha256(certificado.public_bytes(serialization.Encoding.DER)).hexdigest()
    return _asunto_vencimiento(
        clave=f"certificado:{huella[:16]}",
        titulo=f"{tipo}: {_nombre(certificado)}",
        vence=certificado.not_valid_after_utc,
        ahora=ahora,
        detalle_extra=f" Archivo {ruta}.",
        que_hacer=que_hacer,
    )


# The configured certificate files: setting, what they are, the variable that names them and
# what to do before they expire.
ARCHIVOS = (
    (
        "DICTAMENES_EFIRMA_RAICES",
        "AC de la e.firma",
        "DJANGO_EFIRMA_RAICES",
        "Descargue del SAT el certificado que la sustituye, añádalo a DJANGO_EFIRMA_RAICES (sin "
        "quitar este: verifica los dictámenes ya firmados) y reinicie el servicio.",
    ),
    (
        "DICTAMENES_TSA_RAICES",
        "AC de la autoridad de sello de tiempo (TSA)",
        "DJANGO_TSA_RAICES",
        "Pida a su TSA el certificado de la AC que la sustituye, añádalo a DJANGO_TSA_RAICES "
        "(sin quitar este) y reinicie; antes de que venza, corra manage.py "
        "sellos_archivo_renovar con la TSA nueva.",
    ),
)


def _sin_configurar(clave, titulo, detalle, que_hacer) -> Asunto:
    return Asunto(
        f"certificado:{clave}", SECCION_CERTIFICADOS, titulo, FALLA, detalle, que_hacer=que_hacer
    )


def asuntos_de_certificados(*, ahora: datetime.datetime | None = None) -> list[Asunto]:
    """One query (the newest dictamen's TSA certificate); the rest is read from files."""
    ahora = ahora or timezone.now()
    demo = " (de demostración)" if settings.DICTAMENES_PERMITIR_DEMO else ""
    tsa_url = settings.DICTAMENES_TSA.get("URL")
    asuntos = []
    if not settings.DICTAMENES_EFIRMA_RAICES:
        asuntos.append(
            _sin_configurar(
                "sin_efirma",
                "Autoridades de confianza de la e.firma",
                "No hay ninguna configurada: nadie puede firmar un dictamen.",
                "Defina DJANGO_EFIRMA_RAICES con los certificados de las AC del SAT.",
            )
        )
    if tsa_url and not settings.DICTAMENES_TSA_RAICES:
        asuntos.append(
            _sin_configurar(
                "sin_tsa",
                "AC de la autoridad de sello de tiempo",
                "DJANGO_TSA_URL está definida y DJANGO_TSA_RAICES no: no se firma nada.",
                "Pida a su TSA el certificado de su AC y póngalo en DJANGO_TSA_RAICES.",
            )
        )
    for ajuste, tipo, variable, que_hacer in ARCHIVOS:
        for ruta in getattr(settings, ajuste):
            asuntos.append(
                _de_archivo(
                    ruta=str(ruta),
                    tipo=tipo + demo,
                    variable=variable,
                    ahora=ahora,
                    que_hacer=que_hacer,
                )
            )
    if not tsa_url:
        asuntos.append(
            _sin_configurar(
                "sin_tsa_url",
                "Autoridad de sello de tiempo (TSA)",
                "No hay TSA configurada: en producción no se firma ningún dictamen.",
                "Defina DJANGO_TSA_URL (y DJANGO_TSA_RAICES con la AC de la TSA).",
            )
        )
    else:
        asuntos.append(_tsa_vista(ahora=ahora))
    ruta = Path(settings.DICTAMENES_EFIRMA_DEMO_DIR) / "tsa-demo.cer"
    if settings.DICTAMENES_PERMITIR_DEMO and ruta.is_file():
        asuntos.append(
            _de_archivo(
                ruta=str(ruta),
                tipo="Certificado de la TSA de demostración",
                variable="DICTAMENES_EFIRMA_DEMO_DIR",
                ahora=ahora,
                que_hacer="Vuelva a crear la demostración (make run, cargar_demo).",
            )
        )
    return asuntos


def _tsa_vista(*, ahora) -> Asunto:
    """The TSA's own certificate is not configured anywhere: the newest dictamen's last
    document timestamp carries it, and its expiry is kept on the dictamen. One query, by the
    index of the newest (filtering on the date instead walked every dictamen without one)."""
    ultimo = (
        Dictamen.objects.order_by("-emitido_en", "-id")
        .values("folio", "emitido_en", "sello_archivo_vence")
        .first()
    )
    titulo = "Certificado de la autoridad de sello de tiempo (TSA)"
    if ultimo is None or ultimo["sello_archivo_vence"] is None:
        return Asunto(
            "certificado:tsa",
            SECCION_CERTIFICADOS,
            titulo,
            BIEN,
            "Aún no hay un dictamen con sello de tiempo: se sabrá con el primero que se firme."
            if ultimo is None
            else f"El dictamen más reciente, {ultimo['folio']}, se firmó antes de que se "
            "registrara la fecha: la registra la siguiente corrida de sellos_archivo_renovar.",
        )
    return _asunto_vencimiento(
        clave="certificado:tsa",
        titulo=titulo,
        vence=ultimo["sello_archivo_vence"],
        ahora=ahora,
        detalle_extra=f" Es el del sello del dictamen más reciente, {ultimo['folio']} "
        f"({fecha(ultimo['emitido_en'])}).",
        que_hacer="Pida a su TSA su certificado nuevo (y el de su AC, si cambia, en "
        "DJANGO_TSA_RAICES); los dictámenes que se firmen antes llevan un sello que vence "
        "pronto y sellos_archivo_renovar los renovará.",
    )


def asunto_de_sellos(*, ahora: datetime.datetime | None = None) -> Asunto:
    """The archival renewal: dictámenes due within DIAS_SELLO days (a failure: the weekly run
    renews a year ahead), those whose date is not yet known, and the years ahead: how many
    come due each year, renewed from a year before. Two to three queries."""
    ahora = ahora or timezone.now()
    pronto = ahora + datetime.timedelta(days=DIAS_SELLO)
    # Each count by the date's index (one aggregate with filters read every dictamen: 50 ms
    # of SQL at ten years of history).
    fechas = Dictamen.objects.values("sello_archivo_vence")
    cuentas = {
        "pronto": fechas.filter(sello_archivo_vence__lt=pronto).count(),
        "vencidos": fechas.filter(sello_archivo_vence__lte=ahora).count(),
        "sin_fecha": fechas.filter(sello_archivo_vence__isnull=True).count(),
        "proximo": fechas.aggregate(proximo=Min("sello_archivo_vence"))["proximo"],
    }
    por_anio = list(
        Dictamen.objects.filter(sello_archivo_vence__isnull=False)
        .annotate(anio=ExtractYear("sello_archivo_vence"))
        .values("anio")
        .annotate(n=Count("id"), primero=Min("sello_archivo_vence"))
        .order_by("anio")
    )
    tabla = (("Año en que vence el último sello", "Dictámenes", "Renovarlos desde"),) + tuple(
        (str(f["anio"]), f"{f['n']:,}", dia(f["primero"] - RENOVACION_ANTICIPO)) for f in por_anio
    )
    titulo = "Renovación de los sellos de archivo"
    clave = "sellos_archivo"
    que_hacer = (
        "Corra «.venv/bin/python manage.py sellos_archivo_renovar» (renueva los que vencen "
        "dentro de un año) y revise su temporizador semanal; si la TSA no responde, revise "
        "DJANGO_TSA_URL."
    )
    if cuentas["pronto"]:
        folios = list(
            Dictamen.objects.filter(sello_archivo_vence__lt=pronto)
            .order_by("sello_archivo_vence", "id")
            .values_list("folio", flat=True)[:FOLIOS_VISIBLES]
        )
        mas = cuentas["pronto"] - len(folios)
        return Asunto(
            clave,
            SECCION_SELLOS,
            titulo,
            FALLA,
            f"{cuentas['pronto']:,} dictamen(es) con su último sello de archivo vencido o por "
            f"vencer en {DIAS_SELLO} días ({cuentas['vencidos']:,} ya vencidos): "
            + ", ".join(folios)
            + (f" y {mas:,} más." if mas else "."),
            desde=cuentas["proximo"] - datetime.timedelta(days=DIAS_SELLO),
            que_hacer=que_hacer,
            tabla=tabla,
        )
    if cuentas["sin_fecha"]:
        return Asunto(
            clave,
            SECCION_SELLOS,
            titulo,
            ATENCION,
            f"{cuentas['sin_fecha']:,} dictamen(es) sin la fecha de vencimiento de su último "
            "sello registrada (firmados antes de que se registrara).",
            que_hacer="Corra «.venv/bin/python manage.py sellos_archivo_renovar»: lee cada PDF "
            "y registra la fecha.",
            tabla=tabla,
        )
    detalle = (
        f"Ninguno vence en los próximos {DIAS_SELLO} días; el primero vence el "
        f"{dia(cuentas['proximo'])}. Cada año en la tabla necesita su renovación antes de "
        "que venza la cadena de la TSA."
        if cuentas["proximo"]
        else "Aún no hay dictámenes con sello de archivo."
    )
    return Asunto(clave, SECCION_SELLOS, titulo, BIEN, detalle, tabla=tabla)
