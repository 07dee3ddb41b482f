"""Planning against the year-end rush: the annual programme (PAAAS), linking requests to it,
reminders before a planned month, and consolidation opportunities across agencies."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, Min, OuterRef, When, Window
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.avisos import services as avisos
from dictamenes.comun import cache, tablas
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import LineaPrograma, Partida, ProgramaAnual, Solicitud
from dictamenes.montos import monto_texto_leer
from estandares import selectors as estandares_selectors
from estandares.entradas import solo_en_blanco
from estandares.models import Perfil as PerfilTecnico

# The documented layout of a programme file (CSV with this header, or XLSX first sheet).
COLUMNAS = [
    ("categoria", _("Clave de la categoría de los estándares, p. ej. computadora-escritorio")),
    ("perfil", _("Clave del perfil (opcional), p. ej. basico")),
    ("descripcion", _("Qué se planea adquirir o contratar")),
    ("cantidad", _("Número entero mayor que cero")),
    ("monto_estimado", _("Monto estimado en pesos, sin signos, p. ej. 150000.00")),
    ("capitulo", _("2000, 3000 o 5000")),
    ("partida_especifica", _("4 o 5 dígitos")),
    ("mes", _("Mes en que se presentará la solicitud, 1 a 12")),
]
NOMBRES = [nombre for nombre, _ in COLUMNAS]
# The model's field for each column, to report its validation errors by column.
_COLUMNA_DE_CAMPO = {"mes_previsto": "mes"}

# The reader's messages (dictamenes/comun/tablas.py), named here as the import's.
ERROR_XLSX_DANADO = tablas.ERROR_XLSX_DANADO
ERROR_CSV_CODIFICACION = tablas.ERROR_CSV_CODIFICACION
ERROR_CSV_NULOS = tablas.ERROR_CSV_NULOS
ERROR_CSV_MAL_FORMADO = tablas.ERROR_CSV_MAL_FORMADO


class ProgramaError(Exception):
    def __init__(self, errores: list[str]):
        self.errores = errores
        super().__init__("\n".join(errores))


def _filas(nombre: str, contenido: bytes) -> list[dict]:
    try:
        return tablas.tabla_leer(nombre=nombre, contenido=contenido, columnas=NOMBRES)
    except tablas.TablaError as exc:
        raise ProgramaError(exc.errores) from exc


ERROR_NO_ES_DEL_ENTE = _("Solo el personal del ente registra su programa anual.")
ERROR_SIN_EDICION = _("No hay una edición de los estándares en vigor.")
ERROR_LINEA_VINCULADA = _(
    "Esta línea ya está vinculada a la solicitud %(folio)s, presentada: no se puede corregir ni "
    "retirar. Si el plan cambió, agregue una línea nueva."
)


def _exigir_requirente(*, usuario, ente) -> None:
    if not usuario.has_perm("dictamenes.actuar_como_requirente", ente):
        raise PermissionDenied(ERROR_NO_ES_DEL_ENTE)


def categorias_vigentes() -> dict:
    vigente = estandares_selectors.publicacion_vigente(fecha=timezone.localdate())
    if vigente is None:
        raise ProgramaError([str(ERROR_SIN_EDICION)])
    return {
        c.clave: c for c in vigente.categorias.select_related("area").prefetch_related("perfiles")
    }


def linea_validar(*, fila: dict, categorias: dict) -> tuple[LineaPrograma | None, list]:
    """One programme line from its columns' text (`NOMBRES`), as a row of the file or the
    fields of the line's page carry them: the unsaved line, or the errors as (column,
    message). The import and the line's page both call this, so they cannot differ."""
    errores = []

    def error(columna, mensaje):
        errores.append((columna, mensaje))

    fila = {n: "" if fila.get(n) is None else str(fila[n]).strip() for n in NOMBRES}
    categoria = categorias.get(fila["categoria"])
    if categoria is None:
        error("categoria", f"«{fila['categoria']}» no es una categoría vigente")
    elif fila["perfil"] and fila["perfil"] not in {p.clave for p in categoria.perfiles.all()}:
        error("perfil", f"«{fila['perfil']}» no es un perfil de {categoria.nombre}")
    # A description that shows as blank (U+3164, U+200B...) is missing too.
    if not fila["descripcion"] or solo_en_blanco(fila["descripcion"]):
        error("descripcion", "falta la descripción")
    try:
        cantidad = int(fila["cantidad"])
        if cantidad <= 0:
            raise ValueError
    except ValueError:
        error("cantidad", "debe ser un número entero mayor que cero")
        cantidad = None
    try:
        # The digits 0-9, commas for thousands and one point: Decimal() alone also reads
        # "１０００", "١٠٠٠" and "1_000".
        monto = Decimal(monto_texto_leer(fila["monto_estimado"], miles=True))
        if monto < 0:
            raise InvalidOperation
        # To the cent, as the column stores it (a spreadsheet's 0.30000000000000004);
        # NaN, Infinity or 10^30 cannot be quantized and are refused here.
        monto = monto.quantize(Decimal("0.01"))
    except (InvalidOperation, ValidationError):
        error("monto_estimado", "debe ser un monto en pesos, p. ej. 150000.00")
        monto = None
    if fila["capitulo"] not in Partida.Capitulo.values:
        error("capitulo", "debe ser 2000, 3000 o 5000")
    partida = fila["partida_especifica"]
    if not (partida.isdigit() and len(partida) in (4, 5)):
        error("partida_especifica", "debe tener 4 o 5 dígitos")
    try:
        mes = int(float(fila["mes"]))
        if not 1 <= mes <= 12:
            raise ValueError
    except (ValueError, OverflowError):  # int(float("inf")) overflows
        error("mes", "debe ser un número de mes, de 1 a 12")
        mes = None
    if errores:
        return None, errores
    linea = LineaPrograma(
        categoria=categoria.clave,
        perfil=fila["perfil"],
        area=categoria.area,
        descripcion=fila["descripcion"][:300],
        cantidad=cantidad,
        monto_estimado=monto,
        capitulo=fila["capitulo"],
        partida_especifica=partida,
        mes_previsto=mes,
    )
    # The model's own limits (a quantity or an amount beyond what the column holds,
    # Infinity, more than two decimals): reported by column, never a database error.
    try:
        linea.full_clean(
            exclude=["programa", "area", "solicitud"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for campo, mensajes in exc.message_dict.items():
            for mensaje in mensajes:
                error(_COLUMNA_DE_CAMPO.get(campo, campo), mensaje)
        return None, errores
    return linea, []


def programa_importar(
    *, ente, ejercicio: int, usuario, nombre: str, contenido: bytes
) -> ProgramaAnual:
    """Load an agency's programme from CSV/XLSX: every row or none, errors by row and column.
    Lines already linked to a presented request are kept; the rest are replaced."""
    _exigir_requirente(usuario=usuario, ente=ente)
    categorias = categorias_vigentes()
    errores, lineas = [], []
    for numero, fila in enumerate(_filas(nombre, contenido), start=2):
        linea, de_la_fila = linea_validar(fila=fila, categorias=categorias)
        errores += [f"fila {numero}, columna «{c}»: {m}" for c, m in de_la_fila]
        if linea is not None:
            lineas.append(linea)
    if not errores and not lineas:
        errores.append("El archivo no tiene filas de datos.")
    if errores:
        raise ProgramaError(errores)
    with transaction.atomic():
        programa, _ = ProgramaAnual.objects.get_or_create(
            ente=ente, ejercicio=ejercicio, defaults={"registrado_por": usuario}
        )
        programa.lineas.filter(solicitud__isnull=True).delete()
        for linea in lineas:
            linea.programa = programa
        LineaPrograma.objects.bulk_create(lineas)
        evento_registrar(
            tipo="programa_anual",
            descripcion=f"Programa anual {ejercicio} de {ente.siglas}: {len(lineas)} líneas",
            usuario=usuario,
            datos={"programa": programa.pk, "lineas": len(lineas), "archivo": nombre[:120]},
        )
    return programa


# --- Single lines, by hand ------------------------------------------------------------------
# A withdrawn line is deleted, not flagged: the audit event keeps its columns, and every reader
# of the programme (the forecast's pending plans, the reminders, the linking at presentation,
# the page) stops counting it without a filter each must remember. A reload of the file
# already deletes the lines not yet presented, so deleting is what withdrawing has always
# meant here. A line linked to a presented request is history and is never changed.


def linea_columnas(linea: LineaPrograma) -> dict:
    return {
        "categoria": linea.categoria,
        "perfil": linea.perfil,
        "descripcion": linea.descripcion,
        "cantidad": linea.cantidad,
        "monto_estimado": str(linea.monto_estimado),
        "capitulo": linea.capitulo,
        "partida_especifica": linea.partida_especifica,
        "mes": linea.mes_previsto,
    }


def _linea_o_errores(*, datos: dict) -> LineaPrograma:
    linea, errores = linea_validar(fila=datos, categorias=categorias_vigentes())
    if errores:
        por_columna: dict[str, list[str]] = {}
        for columna, mensaje in errores:
            por_columna.setdefault(columna, []).append(mensaje)
        raise ValidationError(por_columna, code="linea_invalida")
    return linea


def _linea_bloquear(*, linea, usuario) -> LineaPrograma:
    """The line under its row lock, so a request presented meanwhile cannot take it while it
    is corrected or withdrawn (linea_vincular locks its candidates too)."""
    # Not select_related("solicitud"): after waiting for the lock, PostgreSQL re-reads the
    # line but not the outer-joined request, which would still be the old one's (none).
    linea = (
        LineaPrograma.objects.select_for_update(of=("self",))
        .select_related("programa__ente")
        .get(pk=linea.pk)
    )
    _exigir_requirente(usuario=usuario, ente=linea.programa.ente)
    if linea.solicitud_id is not None:
        raise ValidationError(
            ERROR_LINEA_VINCULADA, code="linea_vinculada", params={"folio": linea.solicitud.folio}
        )
    return linea


def _linea_evento(*, accion: str, linea, usuario, datos: dict | None = None) -> None:
    """The audit event of one line's change: by default, the line's columns."""
    programa = linea.programa
    evento_registrar(
        tipo=f"programa_linea_{accion}",
        descripcion=(
            f"Programa anual {programa.ejercicio} de {programa.ente.siglas}: línea {accion} "
            f"«{linea.descripcion}»"
        ),
        usuario=usuario,
        datos={
            "programa": programa.pk,
            "linea": linea.pk,
            **(datos or {"columnas": linea_columnas(linea)}),
        },
    )


@transaction.atomic
def linea_agregar(*, ente, ejercicio: int, usuario, datos: dict) -> LineaPrograma:
    """Add one line to the agency's programme of the year (created if it has none yet)."""
    _exigir_requirente(usuario=usuario, ente=ente)
    linea = _linea_o_errores(datos=datos)
    linea.programa, _creado = ProgramaAnual.objects.get_or_create(
        ente=ente, ejercicio=ejercicio, defaults={"registrado_por": usuario}
    )
    linea.save()
    _linea_evento(accion="agregada", linea=linea, usuario=usuario)
    return linea


@transaction.atomic
def linea_corregir(*, linea, usuario, datos: dict) -> LineaPrograma:
    """Correct a line not yet presented; the event keeps its columns before and after."""
    linea = _linea_bloquear(linea=linea, usuario=usuario)
    nueva = _linea_o_errores(datos=datos)
    antes = linea_columnas(linea)
    campos = [
        "categoria",
        "perfil",
        "area",
        "descripcion",
        "cantidad",
        "monto_estimado",
        "capitulo",
        "partida_especifica",
        "mes_previsto",
    ]
    for campo in campos:
        setattr(linea, campo, getattr(nueva, campo))
    # A new month deserves its own reminder.
    linea.recordada_en = None if nueva.mes_previsto != antes["mes"] else linea.recordada_en
    linea.save(update_fields=[*campos, "recordada_en"])
    _linea_evento(
        accion="corregida",
        linea=linea,
        usuario=usuario,
        datos={"antes": antes, "despues": linea_columnas(linea)},
    )
    return linea


@transaction.atomic
def linea_retirar(*, linea, usuario) -> None:
    """Withdraw a line not yet presented (deleted; see above)."""
    linea = _linea_bloquear(linea=linea, usuario=usuario)
    _linea_evento(accion="retirada", linea=linea, usuario=usuario)
    linea.delete()


def linea_vincular(*, solicitud) -> LineaPrograma | None:
    """At presentation: link the request to the agency's planned line of the year, by profile
    when it can and by category otherwise. Among the lines of an item's category, one that
    names the item's profile comes first, then one that names no profile, then one planned
    for another profile; ties go to the line planned nearest to this month. The candidates
    are locked, so a line being corrected or withdrawn is waited for (and skipped if gone)."""
    pares = set(solicitud.partidas.values_list("perfil__categoria__clave", "perfil__clave"))

    def afinidad(linea):
        if (linea.categoria, linea.perfil) in pares:
            return 0
        return 1 if not linea.perfil else 2

    mes = timezone.localdate().month
    candidatas = sorted(
        LineaPrograma.objects.select_for_update(of=("self",)).filter(
            programa__ente=solicitud.ente,
            programa__ejercicio=solicitud.ejercicio,
            solicitud__isnull=True,
            categoria__in={categoria for categoria, _ in pares},
        ),
        key=lambda linea: (afinidad(linea), abs(linea.mes_previsto - mes), linea.pk),
    )
    linea = candidatas[0] if candidatas else None
    if linea:
        linea.solicitud = solicitud
        linea.save(update_fields=["solicitud"])
    solicitud.planeada = linea is not None
    solicitud.save(update_fields=["planeada"])
    return linea


# --- Reminders ----------------------------------------------------------------------------


def lineas_por_recordar(*, hoy: datetime.date | None = None, dias: int | None = None):
    """Planned lines not yet presented whose month starts within `dias` days (or has begun),
    not reminded yet."""
    hoy = hoy or timezone.localdate()
    dias = settings.DICTAMENES_RECORDATORIO_DIAS if dias is None else dias
    limite = hoy + datetime.timedelta(days=dias)
    meses = {
        m
        for m in range(1, 13)
        if datetime.date(hoy.year, m, 1) <= limite
        and datetime.date(hoy.year, m, 1) >= datetime.date(hoy.year, hoy.month, 1)
    }
    return LineaPrograma.objects.filter(
        programa__ejercicio=hoy.year,
        mes_previsto__in=meses,
        solicitud__isnull=True,
        recordada_en__isnull=True,
    ).select_related("programa__ente")


def recordatorios_enviar(*, hoy: datetime.date | None = None) -> int:
    """Remind each agency, once, of its planned lines whose month is near. Each line is read
    again under its row lock (skipped while another run holds it) and marked reminded in the
    transaction that queues its notice: two runs at once never remind a line twice."""
    enviados = 0
    for pk in lineas_por_recordar(hoy=hoy).values_list("pk", flat=True):
        with transaction.atomic():
            linea = (
                LineaPrograma.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, recordada_en__isnull=True)
                .select_related("programa__ente")
                .first()
            )
            if linea is None:
                continue
            linea.recordada_en = timezone.now()
            linea.save(update_fields=["recordada_en"])
            avisos.aviso_encolar(
                asunto=f"Recordatorio: solicitud planeada para el mes {linea.mes_previsto}",
                mensaje=(
                    f"Su programa anual prevé presentar en el mes {linea.mes_previsto} la "
                    f"solicitud «{linea.descripcion}» ({linea.cantidad} unidades, "
                    f"${linea.monto_estimado:,.2f}). Preséntela a tiempo para evitar el cierre "
                    f"del año; la fecha de corte es el {fecha_corte():%d/%m/%Y}."
                ),
                destinatarios=avisos.correos_requirentes(
                    solicitud=Solicitud(ente=linea.programa.ente)
                ),
                enlace=avisos.enlace("solicitudes:nueva"),
                accion="Crear la solicitud",
                motivo=avisos.MOTIVO_REQUIRENTE % {"ente": linea.programa.ente},
            )
        enviados += 1
    return enviados


def fecha_corte(*, anio: int | None = None) -> datetime.date:
    mes, dia = (int(x) for x in settings.DICTAMENES_FECHA_CORTE.split("-"))
    return datetime.date(anio or timezone.localdate().year, mes, dia)


# --- Consolidation ------------------------------------------------------------------------


@dataclass(frozen=True)
class Consolidacion:
    categoria: str
    perfil: str
    entes: tuple[str, ...]
    solicitudes: tuple[str, ...]
    cantidad: int
    monto: Decimal


# Requests that end without a purchase: thrown out, withdrawn or cancelled.
_SIN_COMPRA = (
    Solicitud.Estado.DESECHADA,
    Solicitud.Estado.DESISTIDA,
    Solicitud.Estado.CANCELADA,
)


def consolidaciones(
    *,
    hasta: datetime.datetime | None = None,
    dias: int | None = None,
    perfil_ids: list[int] | None = None,
) -> list[Consolidacion]:
    """Several agencies asking for the same category/profile within the window: a suggestion
    for one consolidated purchase, with the combined quantity and amount. `perfil_ids`: only
    the items of these profiles (by id: an OR of category and profile claves was estimated at
    one row by PostgreSQL, which then read every item of the history; issue 62's scale
    check). One query, the window's items (an index on the date of presentation, another on
    the items with their amounts), added up here."""
    hasta = hasta or timezone.now()
    partidas = _en_la_ventana(hasta, _ventana(dias))
    if perfil_ids is not None:
        partidas = partidas.filter(perfil_id__in=perfil_ids)
    return _sumar(partidas)[0]


def _ventana(dias: int | None) -> datetime.timedelta:
    return datetime.timedelta(
        days=settings.DICTAMENES_VENTANA_CONSOLIDACION_DIAS if dias is None else dias
    )


def _en_la_ventana(hasta: datetime.datetime, ventana: datetime.timedelta):
    """The items of the requests presented within the window that may end in a purchase."""
    return Partida.objects.filter(
        solicitud__presentada_en__gte=hasta - ventana,
        solicitud__presentada_en__lte=hasta,
    ).exclude(solicitud__estado__in=_SIN_COMPRA)


def _sumar(partidas, *, primera=None) -> tuple[list[Consolidacion], set]:
    """The consolidations of these items: per category and profile, the agencies, requests,
    quantity and amount, when two agencies or more ask for it. The items are read without
    their date (each date read was half of the time of the request's page's consolidation,
    2,016 items in the bench's K=10 history). With `primera`, an expression, also the set of
    its values that are not NULL."""
    grupos: dict[tuple, dict] = {}
    primeras = set()
    if primera is not None:
        partidas = partidas.annotate(primera=primera)
    columnas = ("primera",) if primera is not None else ()
    for fila in partidas.values_list(
        "perfil__categoria__clave",
        "perfil__clave",
        "perfil__categoria__nombre",
        "perfil__nombre",
        "solicitud__ente__siglas",
        "solicitud__folio",
        "cantidad",
        "precio_unitario",
        *columnas,
    ).order_by():
        clave, (siglas, folio, cantidad, precio), otra = fila[:4], fila[4:8], fila[8:]
        if otra and otra[0] is not None:
            primeras.add(otra[0])
        grupo = grupos.get(clave)
        if grupo is None:  # not setdefault: a new group's dict, set and Decimal for each row
            grupo = grupos[clave] = {"miembros": set(), "cantidad": 0, "monto": Decimal(0)}
        grupo["miembros"].add((siglas, folio))
        grupo["cantidad"] += cantidad
        grupo["monto"] += cantidad * precio
    resultado = []
    for (_categoria, _perfil, categoria, perfil), grupo in grupos.items():
        miembros = sorted(grupo["miembros"])
        entes = tuple(sorted({e for e, _ in miembros}))
        if len(entes) < 2:
            continue
        resultado.append(
            Consolidacion(
                categoria=categoria,
                perfil=perfil,
                entes=entes,
                solicitudes=tuple(f for _, f in miembros),
                cantidad=grupo["cantidad"],
                monto=grupo["monto"],
            )
        )
    resultado.sort(key=lambda c: (-c.monto, c.categoria, c.perfil))
    return resultado, primeras


def consolidaciones_de(*, solicitud, version: int | None = None) -> list[Consolidacion]:
    """The consolidations the request takes part in: those of its items' profiles, in every
    edition that continues them (same category and profile claves). Two queries; none with
    the data's `version` the page already read (cache.version_en_sql), while it holds: every
    change of an item, a request's state, an agency's siglas or the catalogue writes an event,
    and the answer is kept only until the first item it read leaves the window."""

    def calcular():
        hasta = timezone.now()
        ventana = _ventana(None)
        mismo_perfil = solicitud.partidas.filter(
            perfil__categoria__clave=OuterRef("categoria__clave"), perfil__clave=OuterRef("clave")
        )
        ids = list(PerfilTecnico.objects.filter(Exists(mismo_perfil)).values_list("pk", flat=True))
        partidas = _en_la_ventana(hasta, ventana).filter(perfil_id__in=ids)
        # The first presentation among the items read, computed by the database along with
        # them and read on those rows only (Window: MIN(...) OVER ()), not a date per item.
        presentada = F("solicitud__presentada_en")
        primera = Case(When(solicitud__presentada_en=Window(Min(presentada)), then=presentada))
        todas, primeras = _sumar(partidas, primera=primera)
        de_la_solicitud = [c for c in todas if solicitud.folio in c.solicitudes]
        primera = min(primeras, default=hasta)
        return de_la_solicitud, (primera + ventana - timezone.now()).total_seconds()

    if version is None:
        return calcular()[0]
    return cache.memorizar_por(
        "consolidaciones-de",
        solicitud.pk,
        solicitud.folio,
        settings.DICTAMENES_VENTANA_CONSOLIDACION_DIAS,
        version=version,
        calcular=calcular,
    )
