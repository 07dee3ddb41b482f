"""Demo requests that show the signs (issue 80), built through the same doors a person would
use, which compute them:

- «Conmutadores de acceso para oficinas regionales» (Secretaría de Hacienda): three suppliers
  quote its switches at the very same price (cover quotes), and the contract its agency records
  under the favourable dictamen passes what the dictamen approved (with the agency's reason,
  within the office's tolerance): both signs, for the strategic reviewer and the auditor.
- «Equipo de videoconferencia para salas de juntas» (Secretaría de Hacienda), presented: an
  item at twice its profile's price (above the reference and not acceptable against its
  quotes) and an item with two quotes only. (A quote from the agency itself is refused by the
  quotes' door: that sign is for what reached the system before it, the history's.)
- «Computadoras portátiles para inspectores» (Registro Civil), presented: with the demo's
  fast-track laptops of the same agency and year it reaches the fast track's amount (a
  possible split purchase).
- A contract recorded today under a dictamen of last year's history, whose validity ended:
  a contract after the dictamen's validity, with a supplier who never quoted."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from demo import senales_entregas
from demo.precios import tecleado, unidad_de
from demo.rfc import rfc_de_empresa
from demo.solicitudes import PDF, _credencial, _perfil, _revisar_todo, _u
from dictamenes.cotizaciones import services as cotizaciones
from dictamenes.emision.services import emision
from dictamenes.models import Contrato, Dictamen, Solicitud
from dictamenes.seguimiento.services import contratos
from dictamenes.senales import services as senales
from dictamenes.tramite.services import etapas, solicitudes

COBERTURA = "Conmutadores de acceso para oficinas regionales"
VARIAS = "Equipo de videoconferencia para salas de juntas"
FRACCION = "Computadoras portátiles para inspectores"
PERSONAL = "Impresoras multifuncionales para las oficinas de recaudación"
REDUCIDA = "Servidores para el centro de datos del Registro Civil"
RAPIDA = "Computadoras portátiles para la supervisión de campo"  # demo.solicitudes «via_rapida»
PROVEEDORES = (
    "Redes Integrales del Desierto, S.A. de C.V.",
    "Conectividad y Cómputo de Cajeme, S.A. de C.V.",
    "Infraestructura Digital del Mayo, S. de R.L. de C.V.",
)
# The contract under COBERTURA's dictamen: 4 % over what it approved, with the agency's reason.
SOBRE = Decimal("1.04")
NUMERO_VENCIDA = "SH-DGA-CTO-2026-090"
# Who signs that contract, and never quoted.
SIN_COTIZAR = "Soporte Informático Peninsular, S.A. de C.V."
MOTIVO_EXCESO = "El proveedor actualizó el precio por el tipo de cambio al firmar el contrato."


def _solicitud(titulo, requirente, tipo, partidas) -> tuple[Solicitud, object] | None:
    """A draft with its items (category, description, quantity, unit price and, for fewer
    than three quotes, why) and its oficio;
    None when the demo already has it."""
    if Solicitud.objects.filter(titulo=titulo).exists():
        return None
    autor = _u(requirente)
    solicitud = solicitudes.solicitud_crear(
        usuario=autor,
        ente=autor.perfil.ente,
        datos={
            "tipo_operacion": tipo,
            "titulo": titulo,
            "justificacion": f"Solicitud de demostración: {titulo.lower()}.",
            "alineacion": "Programa Especial de Gobierno Digital, objetivo de infraestructura "
            "y servicios digitales.",
            "monto_estimado": sum(Decimal(c) * Decimal(p) for _c, _d, c, p, *_j in partidas),
            "ejercicio": timezone.localdate().year,
        },
    )
    for categoria, descripcion, cantidad, precio, *justificacion in partidas:
        unidad, meses = unidad_de(categoria)
        solicitudes.partida_guardar(
            solicitud=solicitud,
            usuario=autor,
            datos={
                "perfil": _perfil(categoria),
                "descripcion": descripcion,
                "cantidad": cantidad,
                "precio_unitario": Decimal(precio),
                "unidad": unidad,
                "meses": meses,
                "capitulo": "5000",
                "partida_especifica": "51501",
                "especificaciones": {},
                "justificacion_cotizaciones": "".join(justificacion),
            },
        )
    archivo = ContentFile(PDF, name="oficio.pdf")
    archivo.size = len(PDF)
    solicitudes.anexo_agregar(solicitud=solicitud, usuario=autor, tipo="oficio", archivo=archivo)
    return solicitud, autor


def _precio(categoria: str, veces) -> Decimal:
    """The demo market's price of the category's first profile, times `veces`."""
    return tecleado(categoria, _perfil(categoria).clave, Decimal(veces))


def _cotizar(partida, autor, precios: list[tuple[str, Decimal]]) -> None:
    hoy = timezone.localdate()
    for i, (proveedor, precio) in enumerate(precios):
        contenido = PDF.replace(b"%PDF-1.4\n", f"%PDF-1.4\n% senal {partida.pk}-{i}\n".encode())
        archivo = ContentFile(contenido, name=f"cotizacion-{partida.pk}-{i + 1}.pdf")
        archivo.size = len(contenido)
        cotizaciones.cotizacion_agregar(
            partida=partida,
            usuario=autor,
            proveedor=proveedor,
            # A company gives its RFC; the person of «personal» quotes without one.
            proveedor_rfc=rfc_de_empresa(proveedor) if proveedor in PROVEEDORES else "",
            precio_unitario=precio,
            # Each on a day of its own: the same price on the same day would not count twice.
            fecha=hoy - datetime.timedelta(days=10 + 3 * i),
            vigencia=hoy + datetime.timedelta(days=60),
            archivo=archivo,
        )


def _cobertura() -> Solicitud | None:
    precio = _precio("switch", 1)
    hecha = _solicitud(
        COBERTURA,
        "requirente.sh",
        "adquisicion",
        [("switch", "Conmutadores de acceso de 48 puertos", 40, precio)],
    )
    if hecha is None:
        return None
    solicitud, autor = hecha
    partida = solicitud.partidas.get()
    _cotizar(partida, autor, [(p, precio) for p in PROVEEDORES])
    solicitudes.solicitud_presentar(solicitud=solicitud, usuario=autor)
    etapas.admision_resolver(solicitud=solicitud, usuario=_u("mesa"), admitir=True)
    _revisar_todo(solicitud)
    etapas.solicitud_decidir(
        solicitud=solicitud,
        usuario=_u("estrategico"),
        partidas={partida.pk: {"resultado": "aprobada"}},
        motivos="Decisión de demostración con base en las opiniones de las áreas.",
    )
    dictamen = emision.dictamen_emitir(
        solicitud=solicitud, usuario=_u("firmante"), credencial=_credencial()
    )
    contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=autor,
        numero="SH-DGA-CTO-2026-077",
        proveedor=PROVEEDORES[1],
        proveedor_rfc=rfc_de_empresa(PROVEEDORES[1]),
        fecha=timezone.localdate(),
        monto=(partida.importe * SOBRE).quantize(Decimal("0.01")),
        motivo_exceso=MOTIVO_EXCESO,
    )
    return solicitud


def _varias() -> Solicitud | None:
    telefono, mercado = _precio("telefonia-ip", 1), _precio("computadora-portatil", 1)
    hecha = _solicitud(
        VARIAS,
        "requirente.sh",
        "adquisicion",
        [
            # The laptops at twice their profile's price, quoted at the market's.
            ("computadora-portatil", "Computadoras para las salas de juntas", 20, 2 * mercado),
            (
                "telefonia-ip",
                "Teléfonos de conferencia para las salas",
                60,
                telefono,
                "Solo dos distribuidores de la marca de la central telefónica cotizaron.",
            ),
        ],
    )
    if hecha is None:
        return None
    solicitud, autor = hecha
    laptops, telefonos = solicitud.partidas.order_by("pk")
    _cotizar(
        laptops,
        autor,
        [
            (PROVEEDORES[0], mercado),
            (PROVEEDORES[1], (mercado * Decimal("1.06")).quantize(Decimal(1))),
            (PROVEEDORES[2], (mercado * Decimal("1.12")).quantize(Decimal(1))),
        ],
    )
    # The phones: two quotes only.
    _cotizar(
        telefonos,
        autor,
        [
            (PROVEEDORES[0], telefono),
            (PROVEEDORES[2], (telefono * Decimal("1.09")).quantize(Decimal(1))),
        ],
    )
    solicitudes.solicitud_presentar(solicitud=solicitud, usuario=autor)
    return solicitud


def _fraccion() -> Solicitud | None:
    hecha = _solicitud(
        FRACCION,
        "requirente.rc",
        "adquisicion",
        [("computadora-portatil", "Computadora portátil para inspectores", 15, "19000")],
    )
    if hecha is None:
        return None
    solicitud, autor = hecha
    solicitudes.solicitud_presentar(solicitud=solicitud, usuario=autor)
    return solicitud


def _vencida() -> Solicitud | None:
    """A contract recorded today under a favourable dictamen of the history whose validity
    ended, with a supplier who quoted nothing."""
    if Contrato.objects.filter(numero=NUMERO_VENCIDA).exists():
        return None
    dictamen = (
        Dictamen.objects.filter(
            resultado="favorable",
            vigencia_hasta__lt=timezone.localdate(),
            cancelado_en__isnull=True,
            contratos__isnull=True,
            solicitud__ente__siglas="SH",
        )
        .select_related("solicitud")
        .order_by("-vigencia_hasta")
        .first()
    )
    if dictamen is None:
        return None
    contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=_u("requirente.sh"),
        numero=NUMERO_VENCIDA,
        proveedor=SIN_COTIZAR,
        proveedor_rfc=rfc_de_empresa(SIN_COTIZAR),
        fecha=timezone.localdate(),
        monto=(dictamen.solicitud.monto_estimado * Decimal("0.9")).quantize(Decimal("0.01")),
    )
    return dictamen.solicitud


def _personal() -> Solicitud | None:
    """Presented with a quote signed in the name of the very person who asks for it."""
    precio = _precio("impresora-multifuncional", 1)
    hecha = _solicitud(
        PERSONAL,
        "requirente.sh",
        "adquisicion",
        [("impresora-multifuncional", "Impresoras multifuncionales de red", 12, precio)],
    )
    if hecha is None:
        return None
    solicitud, autor = hecha
    _cotizar(
        solicitud.partidas.get(),
        autor,
        [
            (PROVEEDORES[0], precio),
            (autor.get_full_name(), (precio * Decimal("0.97")).quantize(Decimal(1))),
            (PROVEEDORES[2], (precio * Decimal("1.05")).quantize(Decimal(1))),
        ],
    )
    solicitudes.solicitud_presentar(solicitud=solicitud, usuario=autor)
    return solicitud


def _reducida() -> Solicitud | None:
    """Servers at well over their profile's price, quoted alike, approved for fewer with a
    reason of the catalogue (oversized) and no word on their price: the decision's door asks
    for an item's own reason only when it is approved whole."""
    mercado = _precio("servidor", 1)
    caro = (mercado * Decimal("1.8")).quantize(Decimal(1))
    hecha = _solicitud(
        REDUCIDA,
        "requirente.rc",
        "adquisicion",
        [("servidor", "Servidores de dos procesadores para virtualización", 6, caro)],
    )
    if hecha is None:
        return None
    solicitud, autor = hecha
    partida = solicitud.partidas.get()
    _cotizar(
        partida,
        autor,
        [
            (p, (caro * Decimal(f)).quantize(Decimal(1)))
            for p, f in zip(PROVEEDORES, ("1", "1.04", "1.08"), strict=True)
        ],
    )
    solicitudes.solicitud_presentar(solicitud=solicitud, usuario=autor)
    etapas.admision_resolver(solicitud=solicitud, usuario=_u("mesa"), admitir=True)
    _revisar_todo(solicitud)
    etapas.solicitud_decidir(
        solicitud=solicitud,
        usuario=_u("estrategico"),
        partidas={
            partida.pk: {"resultado": "reducida", "cantidad": 4, "motivo": "sobredimensionada"}
        },
        motivos="Cuatro servidores bastan para la carga que describe la justificación.",
    )
    return solicitud


def cargar() -> int:
    creadas = []
    for hacer in (_cobertura, _varias, _fraccion, _vencida, _personal, _reducida):
        with transaction.atomic():
            if solicitud := hacer():
                creadas.append(solicitud)
    # After the contract, and what only a year's history shows (demo.senales_entregas).
    with transaction.atomic():
        despues = senales_entregas.cargar()
    # The doors computed each sign; once more here, for what a door of this demo may not yet
    # reach (a contract's signs, the split's sister, the history's requests).
    with transaction.atomic():
        titulos = [COBERTURA, VARIAS, FRACCION, RAPIDA, PERSONAL, REDUCIDA]
        for solicitud in Solicitud.objects.filter(titulo__in=titulos) | Solicitud.objects.filter(
            pk__in=[s.pk for s in creadas + despues]
        ):
            senales.senales_actualizar(solicitud)
    return len(creadas)
