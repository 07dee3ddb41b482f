"""The requirente's side before presentation: creating and editing the draft, its items and
attachments (with optimistic versions), and presenting it, which starts the flow."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes import exceptions
from dictamenes.avisos.services import (
    aviso_encolar,
    correos_requirentes,
    enlace_solicitud,
    motivo_requirente,
)
from dictamenes.comun import archivos
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.flow_port import flujo_iniciar
from dictamenes.models import (
    Anexo,
    ConfiguracionVias,
    EventoAuditoria,
    Partida,
    PeticionInformacion,
    Solicitud,
)
from dictamenes.models.articulos import con_articulo
from dictamenes.models.precios import MESES_MAXIMO, UnidadPrecio
from dictamenes.montos import ERROR_EJERCICIO, ejercicios_permitidos, pesos
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.precios import reglas
from dictamenes.precios import selectors as precios_selectors
from dictamenes.tramite.selectors.access import exigir_requirente
from dictamenes.tramite.selectors.estados import EDITABLE
from dictamenes.tramite.selectors.montos import monto_no_cuadra, montos_de
from dictamenes.tramite.services import busqueda, folios, transiciones
from dictamenes.tramite.services.estados import solicitud_mover
from dictamenes.tramite.services.vias import via_asignar, via_tras_corregir
from estandares import cumplimiento, motivos
from estandares import selectors as estandares_selectors

Estado = Solicitud.Estado


CAMPOS_SOLICITUD = (
    "tipo_operacion",
    "titulo",
    "justificacion",
    "alineacion",
    "monto_estimado",
    "ejercicio",
    "compra_consolidada",
)
# The item's fields written as typed; those of issue 62 (the unit of the price and the
# justification of fewer quotes) keep their value when a caller does not send them.
CAMPOS_PARTIDA = (
    "perfil",
    "descripcion",
    "cantidad",
    "precio_unitario",
    "capitulo",
    "partida_especifica",
    "especificaciones",
)
CAMPOS_PARTIDA_PRECIO = ("unidad", "meses", "justificacion_cotizaciones")


ERROR_SOLO_PERSONAL_DE_DEPENDENCIA = _("Solo el personal de una dependencia crea solicitudes.")
# What one request may carry in all (settings.DICTAMENES_ANEXOS_MAX_POR_SOLICITUD and
# DICTAMENES_ANEXOS_MAX_MB_POR_SOLICITUD; issue 59): checked in anexo_agregar, the one door.
ERROR_ANEXOS_CUANTOS = _(
    "La solicitud ya tiene %(cuantos)s anexos y el máximo es %(maximo)s por solicitud; "
    "«%(nombre)s» no se agregó. Reúna varios documentos en un solo PDF."
)
ERROR_ANEXOS_TOTAL = _(
    "Los anexos de la solicitud ya suman %(total)s; con «%(nombre)s» (%(tamano)s) pasarían del "
    "máximo de %(maximo)s MB por solicitud, y no se agregó."
)


def error_de_ejercicio(*, ejercicio) -> ValidationError | None:
    actual, siguiente = ejercicios_permitidos()
    if ejercicio in (actual, siguiente):
        return None
    return ValidationError(
        ERROR_EJERCICIO, code="ejercicio", params={"actual": actual, "siguiente": siguiente}
    )


def _exigir_ejercicio(solicitud) -> None:
    if error := error_de_ejercicio(ejercicio=solicitud.ejercicio):
        raise ValidationError({"ejercicio": error})


def _justificacion_leer(solicitud) -> None:
    """The request's justification is a reason (issue 93, item 4): it says something, on the
    page, in the API and in every other door (estandares.motivos)."""
    solicitud.justificacion = motivos.motivo_leer(
        solicitud.justificacion,
        campo="justificacion",
        **motivos.vacio_del_campo(Solicitud, "justificacion"),
    )


def ente_de_quien_crea(*, usuario):
    """The agency a new request is drafted for: the person's own. Whoever is not staff of an
    agency (the Subsecretaría, auditors, administrators) is refused, on the page and in the
    API alike."""
    ente = getattr(getattr(usuario, "perfil", None), "ente", None)
    if ente is None:
        raise PermissionDenied(ERROR_SOLO_PERSONAL_DE_DEPENDENCIA)
    return ente


@transaction.atomic
def solicitud_crear(*, usuario, datos: dict, ente=None) -> Solicitud:
    """A draft for the person's agency (`ente`, when given, must be that one)."""
    propio = ente_de_quien_crea(usuario=usuario)
    ente = ente or propio
    solicitud = Solicitud(
        ente=ente,
        creada_por=usuario,
        **{k: datos[k] for k in CAMPOS_SOLICITUD if k != "compra_consolidada"},
        compra_consolidada=bool(datos.get("compra_consolidada", False)),
    )
    exigir_requirente(usuario=usuario, solicitud=solicitud)
    _exigir_ejercicio(solicitud)
    _justificacion_leer(solicitud)
    solicitud.full_clean()
    solicitud.save()
    evento_registrar(
        tipo="creacion", descripcion="Borrador creado", usuario=usuario, solicitud=solicitud
    )
    return solicitud


def solicitud_bloquear(*, solicitud) -> None:
    """Lock the request's row and read its state as it is now: presenting it holds the same
    lock, so an item or file saved at that moment waits and then sees the new state."""
    solicitud.estado = (
        Solicitud.objects.select_for_update().values_list("estado", flat=True).get(pk=solicitud.pk)
    )


def exigir_editable(*, usuario, solicitud) -> None:
    exigir_requirente(usuario=usuario, solicitud=solicitud)
    solicitud_bloquear(solicitud=solicitud)
    if solicitud.estado not in EDITABLE:
        raise ValidationError(exceptions.ERROR_NO_EDITABLE, code="no_editable")


def personas_de(*, eventos) -> str:
    nombres = []
    for evento in eventos:
        nombre = evento.usuario.get_full_name() if evento.usuario else "el sistema"
        if nombre not in nombres:
            nombres.append(nombre)
    return ", ".join(nombres) or "otra persona"


def _exigir_version_solicitud(solicitud, version: int | None) -> None:
    """Optimistic locking: the form carries the version it was loaded from; any edit saved
    since then (under the row lock the caller holds) makes this one a conflict."""
    if version is None or version == solicitud.version:
        return
    ediciones = list(
        solicitud.eventos.filter(tipo="edicion", datos__version__gt=version)
        .select_related("usuario")
        .order_by("numero")
    )
    campos = sorted({c for e in ediciones for c in e.datos.get("campos", [])})
    raise exceptions.Conflicto(
        exceptions.ERROR_EDICION_CONCURRENTE,
        code="edicion_concurrente",
        params={
            "personas": personas_de(eventos=ediciones),
            "campos": ", ".join(str(Solicitud._meta.get_field(c).verbose_name) for c in campos)
            or "datos generales",
        },
    )


@transaction.atomic
def solicitud_actualizar(
    *, solicitud, usuario, datos: dict, version: int | None = None
) -> Solicitud:
    """Change a draft's general data. `version` is the one the form was loaded from: if
    someone saved since, nothing is written and Conflicto says who and what."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    exigir_editable(usuario=usuario, solicitud=solicitud)
    _exigir_version_solicitud(solicitud, version)
    cambios = {}
    for campo in CAMPOS_SOLICITUD:
        if campo in datos and getattr(solicitud, campo) != datos[campo]:
            cambios[campo] = str(datos[campo])[:200]
            setattr(solicitud, campo, datos[campo])
    if "ejercicio" in cambios:
        _exigir_ejercicio(solicitud)
    if "justificacion" in cambios:
        _justificacion_leer(solicitud)
    if cambios:
        solicitud.version += 1
    solicitud.full_clean()
    solicitud.save()
    if cambios:
        evento_registrar(
            tipo="edicion",
            descripcion="Datos generales modificados",
            usuario=usuario,
            solicitud=solicitud,
            datos={"campos": sorted(cambios), "version": solicitud.version},
        )
        via_tras_corregir(solicitud=solicitud, usuario=usuario)
    return solicitud


def _evaluar(partida) -> None:
    perfil = estandares_selectors.perfil_con_requisitos(perfil_id=partida.perfil_id)
    evaluacion = cumplimiento.evaluar(
        estandares_selectors.perfil_spec(perfil=perfil), partida.especificaciones
    )
    partida.evaluacion = evaluacion.as_dict()
    partida.veredicto = evaluacion.veredicto


def _partida_bloquear(partida: Partida, version: int | None) -> Partida:
    """Lock the stored item and check it is still the version the form was loaded from."""
    actual = Partida.objects.select_for_update().filter(pk=partida.pk).first()
    if actual is None:
        raise exceptions.Conflicto(exceptions.ERROR_PARTIDA_ELIMINADA, code="partida_eliminada")
    if version is not None and version != actual.version:
        ediciones = list(
            EventoAuditoria.objects.filter(
                solicitud_id=actual.solicitud_id,
                tipo="partida",
                datos__partida=actual.pk,
                datos__version__gt=version,
            )
            .select_related("usuario")
            .order_by("numero")
        )
        raise exceptions.Conflicto(
            exceptions.ERROR_PARTIDA_CONCURRENTE,
            code="partida_concurrente",
            params={"personas": personas_de(eventos=ediciones)},
        )
    return actual


@transaction.atomic
def partida_guardar(
    *,
    solicitud,
    usuario,
    datos: dict,
    partida: Partida | None = None,
    version: int | None = None,
) -> Partida:
    """Add or change an item; the engine judges it right away and the result is stored.
    `version` is the item's version the form was loaded from (optimistic locking)."""
    exigir_editable(usuario=usuario, solicitud=solicitud)
    if partida is not None and partida.pk is not None:
        partida = _partida_bloquear(partida, version)
        partida.version += 1
    partida = partida or Partida(solicitud=solicitud)
    if partida.solicitud_id != solicitud.pk:
        raise PermissionDenied(exceptions.ERROR_NO_ES_DE_SU_ENTE)
    for campo in CAMPOS_PARTIDA:
        setattr(partida, campo, datos[campo])
    for campo in CAMPOS_PARTIDA_PRECIO:
        if campo in datos:
            setattr(partida, campo, datos[campo])
    if error := error_de_meses(unidad=partida.unidad, meses=partida.meses):
        raise ValidationError({"meses": error})
    # Asked when presenting (cotizaciones_bastan); written, it says something (blanks: empty).
    partida.justificacion_cotizaciones = motivos.motivo_recortado(
        partida.justificacion_cotizaciones
    )
    if partida.justificacion_cotizaciones:
        motivos.motivo_leer(partida.justificacion_cotizaciones, campo="justificacion_cotizaciones")
    partida.full_clean()
    _evaluar(partida)
    nueva = partida.pk is None
    partida.save()
    busqueda.solicitudes_busqueda_actualizar(solicitudes=[solicitud.pk])
    evento_registrar(
        tipo="partida",
        descripcion=f"Partida {'agregada' if nueva else 'modificada'}: {partida.descripcion}",
        usuario=usuario,
        solicitud=solicitud,
        datos={"partida": partida.pk, "veredicto": partida.veredicto, "version": partida.version},
    )
    via_tras_corregir(solicitud=solicitud, usuario=usuario)
    return partida


@transaction.atomic
def partida_eliminar(*, partida, usuario) -> None:
    exigir_editable(usuario=usuario, solicitud=partida.solicitud)
    partida = _partida_bloquear(partida, None)  # a double click deletes, and audits, once
    evento_registrar(
        tipo="partida",
        descripcion=f"Partida eliminada: {partida.descripcion}",
        usuario=usuario,
        solicitud=partida.solicitud,
        datos={"partida": partida.pk},
    )
    partida.delete()
    busqueda.solicitudes_busqueda_actualizar(solicitudes=[partida.solicitud_id])
    via_tras_corregir(solicitud=partida.solicitud, usuario=usuario)


@transaction.atomic
def anexo_agregar(*, solicitud, usuario, tipo: str, archivo, de_cotizacion: bool = False) -> Anexo:
    """Validate by content, hash and store an attachment, within the request's limits on the
    number and the total size of its attachments. Nothing is kept if it fails, and nothing
    already attached is touched. The files of the items' quotes (`de_cotizacion`, from
    cotizaciones.services, which counts them per item) are not among the number,
    but weigh in the total size."""
    exigir_requirente(usuario=usuario, solicitud=solicitud)
    solicitud_bloquear(solicitud=solicitud)
    if (
        solicitud.estado not in EDITABLE
        and not PeticionInformacion.objects.filter(
            solicitud=solicitud, respondida_en__isnull=True
        ).exists()
    ):
        raise ValidationError(exceptions.ERROR_NO_EDITABLE, code="no_editable")
    # Under the request's lock: two uploads at once cannot both pass the limits.
    ya = Anexo.objects.filter(solicitud=solicitud).aggregate(
        cuantos=Count("pk", filter=Q(cotizacion__isnull=True)), total=Sum("tamano")
    )
    nombre = getattr(archivo, "name", "") or ""
    maximo = settings.DICTAMENES_ANEXOS_MAX_POR_SOLICITUD
    if not de_cotizacion and ya["cuantos"] >= maximo:
        raise ValidationError(
            ERROR_ANEXOS_CUANTOS,
            code="anexos_cuantos",
            params={"cuantos": ya["cuantos"], "maximo": maximo, "nombre": nombre},
        )
    validado = archivos.validar_anexo(archivo)
    maximo_mb = settings.DICTAMENES_ANEXOS_MAX_MB_POR_SOLICITUD
    total = ya["total"] or 0
    if total + validado.tamano > maximo_mb * archivos.MB:
        raise ValidationError(
            ERROR_ANEXOS_TOTAL,
            code="anexos_total",
            params={
                "total": archivos.tamano_legible(total),
                "nombre": validado.nombre,
                "tamano": archivos.tamano_legible(validado.tamano),
                "maximo": maximo_mb,
            },
        )
    return anexo_guardar(
        solicitud=solicitud, usuario=usuario, tipo=tipo, archivo=archivo, validado=validado
    )


def anexo_guardar(*, solicitud, usuario, tipo: str, archivo, validado) -> Anexo:
    """Store a file already checked (archivos.validar_anexo) as one of the request's
    attachments, hashed, with its audit event; nothing is kept if either fails. The
    attachments of a draft (anexo_agregar, with its limits) and a contract's document
    (seguimiento.services.contratos) come through here."""
    anexo = Anexo(
        solicitud=solicitud,
        tipo=tipo,
        nombre=validado.nombre,
        content_type=validado.content_type,
        tamano=validado.tamano,
        sha256=validado.sha256,
        advertencias=list(validado.advertencias),
        subido_por=usuario,
    )
    anexo.archivo.save(validado.nombre, archivo, save=False)
    try:
        anexo.full_clean()
        anexo.save()
        evento_registrar(
            tipo="anexo",
            descripcion=f"Anexo agregado: {anexo.get_tipo_display()} «{anexo.nombre}»",
            usuario=usuario,
            solicitud=solicitud,
            datos={
                "anexo": anexo.pk,
                "sha256": anexo.sha256,
                "ruta": anexo.archivo.name,
                "advertencias": anexo.advertencias,
            },
        )
    except Exception:
        anexo.archivo.delete(save=False)
        raise
    return anexo


# The unit of the price (issue 62): a service or a licence says how many months its unit price
# covers; a piece does not.
ERROR_MESES_FALTAN = _(
    "Indique cuántos meses cubre el precio unitario (de 1 a %(maximo)s): el precio es %(unidad)s."
)
ERROR_MESES_SOBRAN = _(
    "Un precio por pieza no lleva meses: deje vacío el campo o elija «por servicio» o «por "
    "licencia»."
)
ERROR_SIN_COTIZACIONES = _(
    "La partida «%(partida)s» tiene %(vigentes)s de las tres cotizaciones que cuentan que "
    "necesita (vigentes, de tres proveedores distintos, sin repetir archivo ni precio y fecha): "
    "la solicitud suma %(total)s, más que %(umbral)s, el monto a partir del cual cada partida "
    "lleva tres cotizaciones que cuenten o la justificación de por qué hay menos."
)


def error_de_meses(*, unidad: str, meses: int | None) -> ValidationError | None:
    if unidad == UnidadPrecio.PIEZA:
        if meses is not None:
            return ValidationError(ERROR_MESES_SOBRAN, code="meses_sobran")
        return None
    if meses is None:
        return ValidationError(
            ERROR_MESES_FALTAN,
            code="meses_faltan",
            params={"maximo": MESES_MAXIMO, "unidad": UnidadPrecio(unidad).label},
        )
    return None


def cotizaciones_bastan(*, vigentes: int, justificacion: str) -> bool:
    """Three valid quotes, or a justification that says something (estandares.motivos)."""
    return not reglas.cotizaciones_faltan(validas=vigentes) or motivos.motivo_suficiente(
        justificacion
    )


def faltan_cotizaciones(*, partidas, hoy=None) -> list[ValidationError]:
    """Above the office's amount (ConfiguracionVias.cotizaciones_umbral), the items without
    three quotes that count today nor a justification: the market research's own rule
    (precios.reglas.mercado, issue 76): three copies of one quote, a public agency, an
    expired, old or future one count as what they are. `partidas` come with their quotes
    prefetched (one query for the configuration, one for the agencies, one for the files)."""
    total = sum((p.cantidad * p.precio_unitario for p in partidas), Decimal(0))
    config = ConfiguracionVias.objects.vigentes()
    umbral = config.cotizaciones_umbral
    if not reglas.cotizaciones_exigidas(total=total, umbral=umbral):
        return []
    hoy = hoy or timezone.localdate()
    entes, huellas = precios_selectors.entes_por_clave(), precios_selectors.huellas_de(partidas)
    faltan = []
    for partida in partidas:
        vigentes = len(
            precios_selectors.mercado_de(
                partida, referencia=None, config=config, hoy=hoy, entes=entes, huellas=huellas
            ).validas
        )
        if not cotizaciones_bastan(
            vigentes=vigentes, justificacion=partida.justificacion_cotizaciones
        ):
            faltan.append(
                ValidationError(
                    ERROR_SIN_COTIZACIONES,
                    code="sin_cotizaciones",
                    params={
                        "partida": partida.descripcion,
                        # Not in the message: «Lo que falta» links to the item's quotes.
                        "partida_pk": partida.pk,
                        "vigentes": vigentes,
                        "total": pesos(total),
                        "umbral": pesos(umbral),
                    },
                )
            )
    return faltan


def partidas_con_cotizaciones(*, solicitud) -> list[Partida]:
    return list(
        solicitud.partidas.select_related("perfil__categoria__publicacion").prefetch_related(
            "cotizaciones"
        )
    )


def faltantes_para_presentar(*, solicitud) -> list[ValidationError]:
    """Everything that keeps a draft from being presented, each as the refusal
    solicitud_presentar would give (its message and code), in the order it checks them: the
    draft's page lists them before the person tries."""
    faltantes = []
    partidas = partidas_con_cotizaciones(solicitud=solicitud)
    if not partidas:
        faltantes.append(ValidationError(exceptions.ERROR_SIN_PARTIDAS, code="sin_partidas"))
    if no_cuadra := monto_no_cuadra(solicitud=solicitud, partidas=partidas):
        faltantes.append(no_cuadra)
    if error := error_de_ejercicio(ejercicio=solicitud.ejercicio):
        faltantes.append(error)
    if not solicitud.anexos.filter(tipo=Anexo.Tipo.OFICIO).exists():
        faltantes.append(ValidationError(exceptions.ERROR_SIN_OFICIO, code="sin_oficio"))
    vigente = estandares_selectors.publicacion_vigente(fecha=timezone.localdate())
    if vigente is None:
        faltantes.append(ValidationError(exceptions.ERROR_SIN_EDICION_VIGENTE, code="sin_edicion"))
        return faltantes
    for partida in partidas:
        if partida.perfil.categoria.publicacion_id != vigente.pk:
            faltantes.append(
                ValidationError(
                    exceptions.ERROR_PERFIL_NO_VIGENTE,
                    code="perfil_no_vigente",
                    params={
                        "partida": partida.descripcion,
                        "version": partida.perfil.categoria.publicacion.version,
                    },
                )
            )
    faltantes.extend(faltan_cotizaciones(partidas=partidas))
    return faltantes


class FaltaParaPresentar(ValidationError):
    """The refusal of a presentation: the first thing missing (its message and code, as
    before), carrying everything missing (`faltantes`), so that the page that says the
    refusal does not ask for the list again."""

    def __init__(self, faltantes: list[ValidationError]):
        super().__init__(faltantes[0])
        self.faltantes = faltantes


def validar_para_presentar(*, solicitud) -> None:
    if faltantes := faltantes_para_presentar(solicitud=solicitud):
        raise FaltaParaPresentar(faltantes)


@transaction.atomic
def solicitud_presentar(*, solicitud, usuario) -> Solicitud:
    """Present a draft: re-judge every item, give it its folio and start the procedure."""
    solicitud = Solicitud.objects.select_for_update().get(pk=solicitud.pk)
    exigir_requirente(usuario=usuario, solicitud=solicitud)
    if solicitud.estado != Estado.BORRADOR:
        raise ValidationError(
            exceptions.ERROR_PASO_NO_DISPONIBLE,
            code="paso_no_disponible",
            params={"estado": solicitud.get_estado_display()},
        )
    validar_para_presentar(solicitud=solicitud)
    for partida in solicitud.partidas.all():
        _evaluar(partida)
        partida.save(update_fields=["evaluacion", "veredicto"])
    solicitud.folio = folios.folio_solicitud(ejercicio=solicitud.ejercicio)
    solicitud.presentada_en = timezone.now()
    solicitud.save(update_fields=["folio", "presentada_en"])
    from dictamenes.planeacion.services.programa import linea_vincular

    linea = linea_vincular(solicitud=solicitud)
    montos = montos_de(solicitud=solicitud)
    solicitud_mover(
        solicitud=solicitud,
        usuario=usuario,
        **transiciones.presentacion(
            folio=solicitud.folio,
            en_programa=linea is not None,
            linea_pk=linea.pk if linea else None,
            declarado=montos["declarado"],
            partidas=montos["partidas"],
        ),
    )
    # The track the rule gives it (issue 36), with its event; admission gives it again.
    via_asignar(solicitud=solicitud, usuario=usuario)
    flujo_iniciar(solicitud=solicitud)
    _acuse_enviar(solicitud=solicitud, montos=montos)
    return solicitud


def _acuse_enviar(*, solicitud, montos) -> None:
    """The agency's receipt (acuse) of its request, in the outbox with the presentation: the
    folio it will be known by, when it was received and what was asked (issue 47)."""
    presentada = timezone.localtime(solicitud.presentada_en)
    aviso_encolar(
        asunto=f"Acuse de recibo de la solicitud {solicitud.folio}",
        mensaje=(
            f"{con_articulo(textos_vigentes().institucion_nombre, mayuscula=True)} recibió la "
            f"solicitud {solicitud.folio} "
            f"«{solicitud.titulo}». Use este folio para cualquier consulta.\n\n"
            "La mesa de control revisará que esté completa: si falta algo, le enviará una "
            "prevención con su plazo para subsanarla; si no, la admitirá a revisión. Le "
            "avisaremos por correo en ambos casos."
        ),
        destinatarios=correos_requirentes(solicitud=solicitud),
        detalles=[
            ("Folio", solicitud.folio),
            ("Recibida el", f"{presentada:%d/%m/%Y a las %H:%M}"),
            ("Partidas", str(solicitud.partidas.count())),
            ("Suma de las partidas", pesos(montos["partidas"])),
        ],
        enlace=enlace_solicitud(solicitud=solicitud, ancla="t-historial"),
        accion="Ver la solicitud",
        motivo=motivo_requirente(solicitud=solicitud),
    )
