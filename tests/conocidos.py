"""A small set of requests whose figures are known, for the indicators and the open data."""

import datetime
from decimal import Decimal

from django.utils import timezone

from dictamenes.models import Dictamen, Ente, Solicitud
from tests.dictamenes.flujo_utils import usuario

TZ = timezone.get_current_timezone()


def solicitud(ente, *, anio, mes, estado, dias=None, resultado="", tipo="adquisicion"):
    presentada = datetime.datetime(anio, mes, 10, 10, 0, tzinfo=TZ)
    return Solicitud(
        ente=ente,
        ejercicio=anio,
        tipo_operacion=tipo,
        titulo="x",
        justificacion="x",
        alineacion="x",
        monto_estimado=Decimal("1000"),
        estado=estado,
        resultado=resultado,
        presentada_en=presentada,
        dias_habiles_atencion=dias,
        atendida_en=presentada + datetime.timedelta(days=dias or 0) if dias is not None else None,
        creada_por=usuario("requirente.sh"),
    )


def dictamen_registrado(solicitud, *, resultado="favorable", emitido_en=None, cancelado=False):
    """A dictamen on record for the request, made directly (signing has its own tests): what
    the counts and sums read is only its result and whether it is in force."""
    emitido_en = emitido_en or timezone.now()
    return Dictamen.objects.create(
        solicitud=solicitud,
        folio=f"PRUEBA/{solicitud.pk}/{Dictamen.objects.count() + 1}",
        resultado=resultado,
        motivos="Procede: cumple los estándares.",
        vigencia_hasta=emitido_en.date() + datetime.timedelta(days=365),
        firmado_por=usuario("firmante"),
        firmante_nombre="Firmante",
        firmante_cargo="Subsecretaría",
        emitido_en=emitido_en,
        contenido_sha256="0" * 64,
        cadena_original="||",
        sello="x",
        certificado_numero="1",
        certificado_rfc="XAXX010101000",
        certificado_pem="x",
        pdf="prueba.pdf",
        pdf_sha256="0" * 64,
        cancelado_en=emitido_en if cancelado else None,
    )


def crear_conocidos():
    """Requests of 2025 whose indicator, times and arrivals are known (tests/dictamenes/
    test_indicadores.py gives the answers)."""
    sh, rc = Ente.objects.get(siglas="SH"), Ente.objects.get(siglas="RC")
    E = Solicitud.Estado
    Solicitud.objects.bulk_create(
        [
            # 2025: 5 received, 4 attended (3 dictaminadas, 1 desechada); days 2, 4, 10, 20.
            solicitud(sh, anio=2025, mes=1, estado=E.DICTAMINADA, dias=2, resultado="favorable"),
            solicitud(
                sh,
                anio=2025,
                mes=11,
                estado=E.DICTAMINADA,
                dias=4,
                resultado="condicionado",
                tipo="servicio",
            ),
            solicitud(
                rc, anio=2025, mes=12, estado=E.DICTAMINADA, dias=20, resultado="no_favorable"
            ),
            solicitud(rc, anio=2025, mes=12, estado=E.DESECHADA, dias=10),
            solicitud(rc, anio=2025, mes=12, estado=E.REVISION_TECNICA),
            # A draft is not "received".
            Solicitud(
                ente=sh,
                ejercicio=2025,
                tipo_operacion="baja",
                titulo="b",
                justificacion="x",
                alineacion="x",
                monto_estimado=1,
                creada_por=usuario("requirente.sh"),
            ),
        ]
    )
