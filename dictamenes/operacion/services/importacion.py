"""The years before the system: the Subsecretaría's past requests, imported from its CSV or XLSX
records, so that the indicators and the open data cover those years too.

The file is read and checked whole before anything is written, and any error (by row and
column, in Spanish) leaves the database as it was. The rows are then written in batches, each
committed with its audit event; an import interrupted halfway is finished by importing the
same file again: the rows already in are skipped (folio and values), never written twice.
An imported request is marked `importada`; it has no steps, no items and no events of its
own (nothing is invented): one audit event records each batch of the import (who, which
file by its SHA-256, how many rows, which years).
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.comun.tablas import TablaError, tabla_leer
from dictamenes.models import Ente, Resultado, Solicitud, TipoOperacion
from dictamenes.montos import monto_texto_leer
from dictamenes.organizacion.selectors.calendario import Calendario
from estandares.entradas import (
    NOMBRADOS,
    caracteres_prohibidos,
    solo_en_blanco,
    texto_normalizar,
)
from estandares.progreso import HECHO, OMITIDO, SIN_AVANCE, Avance

# The documented layout (CSV with this header in UTF-8, or the first sheet of an XLSX).
COLUMNAS = [
    ("ejercicio", _("Ejercicio fiscal, p. ej. 2021")),
    ("ente", _("Siglas del ente, como en el catálogo de entes, p. ej. SH")),
    ("tipo_operacion", _("adquisicion, arrendamiento, renovacion, servicio, desarrollo o baja")),
    ("fecha_recepcion", _("Fecha en que se recibió, AAAA-MM-DD")),
    ("fecha_atencion", _("Fecha en que se atendió (dictamen o desechada), AAAA-MM-DD")),
    ("resultado", _("favorable, condicionado, no_favorable o desechada")),
    ("folio", _("Folio de la solicitud, único")),
    ("monto", _("Monto estimado en pesos, sin signos, p. ej. 150000.00")),
    ("categorias", _("Opcional: categorías de los estándares, separadas por «;»")),
]
NOMBRES = [nombre for nombre, _ in COLUMNAS]
EJERCICIO_MINIMO = 1990
DESECHADA = "desechada"
LOTE = 500  # rows per transaction: an interruption leaves whole batches, that a rerun skips
ERROR_SIN_FILAS = _("El archivo no tiene ninguna fila de datos.")


class ImportacionError(Exception):
    def __init__(self, errores: list[str]):
        self.errores = [str(e) for e in errores]
        super().__init__("\n".join(self.errores))


def _fecha(texto: str) -> datetime.date:
    return datetime.date.fromisoformat(texto[:10])


class _Fila:
    """One row read and checked: its values, or the messages of what is wrong with it."""

    def __init__(self, numero: int, valores: dict, *, entes: dict, hoy: datetime.date):
        self.numero, self.errores = numero, []
        self.ejercicio = self._entero(valores["ejercicio"], "ejercicio")
        if self.ejercicio is not None and not EJERCICIO_MINIMO <= self.ejercicio <= hoy.year:
            self._error(
                "ejercicio",
                _("debe estar entre %(a)s y %(b)s")
                % {
                    "a": EJERCICIO_MINIMO,
                    "b": hoy.year,
                },
            )
        self.ente = entes.get(valores["ente"].upper())
        if self.ente is None:
            self._error("ente", _("no hay un ente con las siglas «%(s)s»") % {"s": valores["ente"]})
        self.tipo = valores["tipo_operacion"].lower()
        if self.tipo not in TipoOperacion.values:
            self._error(
                "tipo_operacion",
                _("debe ser uno de: %(v)s") % {"v": ", ".join(TipoOperacion.values)},
            )
        self.recepcion = self._fecha(valores["fecha_recepcion"], "fecha_recepcion")
        self.atencion = self._fecha(valores["fecha_atencion"], "fecha_atencion")
        if self.recepcion and self.atencion and self.atencion < self.recepcion:
            self._error("fecha_atencion", _("es anterior a la fecha de recepción"))
        if self.atencion and self.atencion > hoy:
            self._error("fecha_atencion", _("es posterior a hoy"))
        self.resultado = valores["resultado"].lower().replace(" ", "_")
        if self.resultado not in (*Resultado.values, DESECHADA):
            self._error(
                "resultado",
                _("debe ser uno de: %(v)s") % {"v": ", ".join((*Resultado.values, DESECHADA))},
            )
        self.folio = self._texto(valores["folio"], "folio", largo=30)
        self.monto = self._monto(valores["monto"])
        self.categorias = self._texto(
            valores.get("categorias") or "", "categorias", largo=500, requerido=False
        )

    def _error(self, columna: str, mensaje) -> None:
        self.errores.append(f"fila {self.numero}, columna «{columna}»: {mensaje}")

    def _entero(self, texto: str, columna: str):
        if not texto.isascii() or not texto.isdigit():
            self._error(columna, _("debe ser un número entero"))
            return None
        return int(texto)

    def _fecha(self, texto: str, columna: str):
        try:
            return _fecha(texto)
        except ValueError:
            self._error(columna, _("debe ser una fecha AAAA-MM-DD"))
            return None

    def _monto(self, texto: str):
        try:
            # The digits 0-9 and one point: Decimal() alone also reads "１０００", "١٠٠٠",
            # "1_000" and "1e3".
            monto = Decimal(monto_texto_leer(texto))
        except (InvalidOperation, ValidationError):
            monto = None
        if monto is None or not monto.is_finite() or monto <= 0 or monto >= Decimal("1e12"):
            self._error("monto", _("debe ser un monto en pesos mayor que cero"))
            return None
        return monto.quantize(Decimal("0.01"))

    def _texto(self, texto: str, columna: str, *, largo: int, requerido: bool = True) -> str:
        texto = texto_normalizar(texto, multilinea=False).strip()
        # A text that shows as blank (U+3164, U+200B...) is as empty as nothing.
        if requerido and (not texto or solo_en_blanco(texto)):
            self._error(columna, _("es obligatoria"))
        elif len(texto) > largo:
            self._error(columna, _("tiene más de %(n)s caracteres") % {"n": largo})
        elif prohibidos := caracteres_prohibidos(texto, multilinea=False):
            self._error(
                columna,
                _("tiene caracteres no permitidos: %(c)s")
                % {"c": ", ".join(f"U+{ord(c):04X}" for c in prohibidos[:NOMBRADOS])},
            )
        return texto


def _instante(fecha: datetime.date) -> datetime.datetime:
    # A date without its hour: noon in the installation's zone, so it stays the same day in
    # every zone the figures are read in.
    return datetime.datetime.combine(
        fecha, datetime.time(12), tzinfo=timezone.get_current_timezone()
    )


def _estado(fila: _Fila) -> str:
    return (
        Solicitud.Estado.DESECHADA if fila.resultado == DESECHADA else Solicitud.Estado.DICTAMINADA
    )


def _ya_importada(fila: _Fila, solicitud: Solicitud) -> bool:
    """The row is the request an earlier import of it wrote: the folio is the key, and every
    value is the same (an import interrupted after some batches, run again)."""
    return solicitud.importada and (
        solicitud.ente_id,
        solicitud.ejercicio,
        solicitud.tipo_operacion,
        solicitud.estado,
        solicitud.resultado,
        timezone.localtime(solicitud.presentada_en).date(),
        timezone.localtime(solicitud.atendida_en).date(),
        solicitud.monto_estimado,
        solicitud.categorias_importadas,
    ) == (
        fila.ente.pk,
        fila.ejercicio,
        fila.tipo,
        _estado(fila),
        "" if fila.resultado == DESECHADA else fila.resultado,
        fila.recepcion,
        fila.atencion,
        fila.monto,
        fila.categorias,
    )


@dataclass
class Importacion:
    solicitudes: list[Solicitud] = field(default_factory=list)  # created by this run
    omitidas: int = 0  # rows already imported by an earlier run of the same rows


def historico_importar(
    *, nombre: str, contenido: bytes, usuario, avance: Avance = SIN_AVANCE
) -> Importacion:
    """Import past requests from a CSV or XLSX of COLUMNAS. Every row is checked before any
    is written: one error, and none enters. Then the rows are written in batches of LOTE, each
    batch with its audit event in its own transaction; a run interrupted between batches
    leaves whole batches, and the same file imported again skips the rows already in (same
    folio, same values) and writes the rest: no request is imported twice."""
    try:
        valores = tabla_leer(nombre=nombre, contenido=contenido, columnas=NOMBRES)
    except TablaError as exc:
        raise ImportacionError(exc.errores) from exc
    if not valores:
        raise ImportacionError([ERROR_SIN_FILAS])
    hoy = timezone.localdate()
    entes = {e.siglas.upper(): e for e in Ente.objects.all()}
    filas = [_Fila(n, v, entes=entes, hoy=hoy) for n, v in enumerate(valores, start=2)]
    errores = [e for fila in filas for e in fila.errores]
    vistos: dict[str, int] = {}
    for fila in filas:
        if fila.folio and fila.folio in vistos:
            errores.append(
                f"fila {fila.numero}, columna «folio»: "
                + str(_("repite el folio de la fila %(n)s") % {"n": vistos[fila.folio]})
            )
        vistos.setdefault(fila.folio, fila.numero)
    existentes = {s.folio: s for s in Solicitud.objects.filter(folio__in=list(vistos))}
    pendientes = []
    for fila in filas:
        existente = existentes.get(fila.folio)
        if existente is None:
            pendientes.append(fila)
        elif fila.errores or not _ya_importada(fila, existente):
            errores.append(
                f"fila {fila.numero}, columna «folio»: "
                + str(_("el folio %(f)s ya está en el sistema") % {"f": fila.folio})
            )
    if errores:
        raise ImportacionError(errores)
    resultado = Importacion(omitidas=len(filas) - len(pendientes))
    avance.fase(str(_("filas")), total=len(filas))
    avance.avanzar(OMITIDO, resultado.omitidas)
    if pendientes:
        calendario = Calendario.cargar(
            min(f.recepcion for f in pendientes), max(f.atencion for f in pendientes)
        )
    huella = hashlib.sha256(contenido).hexdigest()
    for inicio in range(0, len(pendientes), LOTE):
        lote = pendientes[inicio : inicio + LOTE]
        with transaction.atomic():
            resultado.solicitudes += _lote_escribir(
                lote, calendario=calendario, usuario=usuario, nombre=nombre, huella=huella
            )
        avance.avanzar(HECHO, len(lote))
    return resultado


def _lote_escribir(
    lote: list[_Fila], *, calendario: Calendario, usuario, nombre: str, huella: str
) -> list[Solicitud]:
    solicitudes = Solicitud.objects.bulk_create(
        [
            Solicitud(
                ente=fila.ente,
                folio=fila.folio,
                ejercicio=fila.ejercicio,
                tipo_operacion=fila.tipo,
                titulo=str(_("Solicitud %(f)s (importada)") % {"f": fila.folio}),
                justificacion="",
                alineacion="",
                monto_estimado=fila.monto,
                estado=_estado(fila),
                resultado="" if fila.resultado == DESECHADA else fila.resultado,
                presentada_en=_instante(fila.recepcion),
                atendida_en=_instante(fila.atencion),
                dias_habiles_atencion=calendario.habiles_entre(fila.recepcion, fila.atencion),
                creada_por=usuario,
                importada=True,
                categorias_importadas=fila.categorias,
            )
            for fila in lote
        ],
    )
    evento_registrar(
        tipo="historico_importado",
        descripcion=f"{len(solicitudes)} solicitudes de años anteriores importadas de {nombre}",
        usuario=usuario,
        datos={
            "archivo": nombre,
            "sha256": huella,
            "solicitudes": len(solicitudes),
            "ejercicios": sorted({f.ejercicio for f in lote}),
            "filas": [lote[0].numero, lote[-1].numero],
        },
    )
    return solicitudes
