"""Demo requests in every state of the procedure, built through the same services a person
would use. Only the desechada one is backdated, so that its deadline has already passed. One
request is withdrawn by its agency during the technical review (desistida), another cancelled
by the Dirección General after it (cancelada); one dictamen is rectified by a second one
(rectificada), and one is no favorable. The favorable one has its items decided differently
(approved, reduced, not approved) so that the savings and the reasons have data, and its
agency records the contract it signed under that dictamen, so that its OCDS record shows the
whole chain: planning, dictamen and contract.

Issue 62: each item says what its unit price pays for (demo.precios.unidad_de: a service or a
licence for a year, or three where the title says so); the requests above the office's amount
carry three suppliers' quotes per item, with their files, or say why fewer; one draft has an
item at twice its profile's price, and «revision_estrategica_diez» reaches the strategic
decision with its distribution switches at about twice the reference of the switch profile it
is written with (Acceso), so that both the requirente and the reviewer see the flag."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.timers import fire_due_timers

from demo import efirma_pruebas
from demo.precios import tecleado, unidad_de
from demo.rfc import rfc_de_empresa
from dictamenes.cotizaciones import services as cotizaciones
from dictamenes.emision.services import emision, rectificacion
from dictamenes.models import Area, ConfiguracionVias, Solicitud, Via
from dictamenes.seguimiento.services import contratos
from dictamenes.tramite.selectors.areas import areas_de, revisiones_a_crear
from dictamenes.tramite.selectors.tareas import tareas_abiertas
from dictamenes.tramite.services import cierre, etapas, solicitudes
from estandares import selectors as estandares_selectors

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _u(username):
    return get_user_model().objects.get(username=username)


def _perfil(categoria: str):
    vigente = estandares_selectors.publicacion_vigente(fecha=timezone.localdate())
    return (
        vigente.categorias.get(clave=categoria).perfiles.order_by("orden").first()
        if vigente
        else None
    )


# title, agency requirente, operation, amount, [(category, description, qty, unit price, specs)]
SOLICITUDES = {
    "borrador": (
        "Licencias de antivirus con consola centralizada",
        "requirente.sh",
        "renovacion",
        "420000",
        [("licencia-software", "Licencias de antivirus empresarial", 600, "700", {})],
    ),
    # An item at twice its profile's price (issue 62): the requirente sees the flag while
    # writing it, before presenting.
    "borrador_precio": (
        "Computadoras portátiles para la Procuraduría Fiscal",
        "requirente.sh",
        "adquisicion",
        str(8 * tecleado("computadora-portatil", "basico", Decimal(2))),
        [
            (
                "computadora-portatil",
                "Computadoras portátiles para abogados de la Procuraduría Fiscal",
                8,
                str(tecleado("computadora-portatil", "basico", Decimal(2))),
                {},
            )
        ],
    ),
    "admision": (
        "Reemplazo de computadoras de ventanilla del año 2000",
        "requirente.rc",
        "adquisicion",
        "1350000",
        [
            (
                "computadora-escritorio",
                "Computadora de escritorio para ventanilla",
                90,
                "15000",
                {
                    "nucleos_cpu": 6,
                    "ram": "16 GB",
                    "almacenamiento": "512 GB",
                    "tipo_almacenamiento": "SSD",
                    "garantia_sitio": "3 años",
                    "tpm_20": True,
                },
            )
        ],
    ),
    "consolidable": (
        "Licencias de correo institucional para la Secretaría de Hacienda",
        "requirente.sh",
        "contratacion",
        "396000",
        [("licencia-software", "Licencias de correo institucional", 220, "1800", {})],
    ),
    "prevenida": (
        "Servicio de impresión departamental",
        "requirente.sh",
        "servicio",
        "380000",
        [("impresora-multifuncional", "Servicio de impresión con 25 equipos", 25, "15200", {})],
    ),
    "desechada": (
        "Ampliación de memoria para servidores virtuales",
        "requirente.rc",
        "adquisicion",
        "94400",
        [("servidor", "Módulos de memoria para servidores", 16, "5900", {})],
    ),
    "revision_tecnica": (
        "Firewall de nueva generación con licenciamiento empresarial",
        "requirente.sh",
        "adquisicion",
        "2270000",
        [
            (
                "firewall-nueva-generacion",
                "Par de firewalls en alta disponibilidad",
                2,
                "1050000",
                {},
            ),
            ("switch", "Switches de núcleo", 2, "85000", {}),
        ],
    ),
    "revision_estrategica": (
        "Licencias de correo institucional (350 cuentas)",
        "requirente.rc",
        "contratacion",
        "630000",
        [("licencia-software", "Licencias de correo institucional", 350, "1800", {})],
    ),
    # Ten items of two areas awaiting the strategic decision: the decision page as the year-end
    # rush brings it, measured by make bench (issue 45).
    "revision_estrategica_diez": (
        "Equipamiento de las nuevas oficinas de recaudación",
        "requirente.sh",
        "adquisicion",
        "3467000",
        [
            ("computadora-escritorio", "Computadoras de escritorio para cajas", 40, "16000", {}),
            (
                "computadora-escritorio",
                "Computadoras de escritorio para supervisión",
                8,
                "19000",
                {},
            ),
            ("computadora-portatil", "Computadoras portátiles para notificadores", 20, "18000", {}),
            ("impresora-multifuncional", "Multifuncionales de piso", 6, "24000", {}),
            ("switch", "Switches de acceso de 48 puertos", 6, "42500", {}),
            ("switch", "Switches de distribución", 2, "85000", {}),
            ("telefonia-ip", "Teléfonos IP para cajas y oficinas", 60, "4400", {}),
            ("servicio-internet", "Enlace dedicado de 500 Mbps (3 años)", 1, "1080000", {}),
            ("servidor", "Servidor de archivos para la oficina", 1, "300000", {}),
            ("licencia-software", "Licencias de ofimática", 68, "1500", {}),
        ],
    ),
    "firma": (
        "Sistema de citas en línea para el Registro Civil",
        "requirente.rc",
        "desarrollo",
        "850000",
        [("desarrollo-software", "Desarrollo del sistema de citas", 1, "850000", {})],
    ),
    "favorable": (
        "Enlaces de internet dedicados para oficinas regionales",
        "requirente.sh",
        "servicio",
        "1250000",
        [
            (
                "servicio-internet",
                "Enlaces dedicados de 200 Mbps",
                12,
                "80000",
                {"ancho_banda": "200 Mbps"},
            ),
            ("switch", "Switches de acceso para las oficinas regionales", 12, "15000", {}),
            ("telefonia-ip", "Teléfonos IP para las oficinas regionales", 25, "4400", {}),
        ],
    ),
    "condicionado": (
        "Servicio integral de centro de datos (3 años)",
        "requirente.sh",
        "servicio",
        "5400000",
        [("servicio-centro-datos", "Servicio integral de centro de datos", 1, "5400000", {})],
    ),
    "no_favorable": (
        "Telefonía IP aislada para una dirección",
        "requirente.rc",
        "adquisicion",
        "240000",
        [("telefonia-ip", "Teléfonos IP", 60, "4000", {})],
    ),
    "rectificada": (
        "Computadoras de escritorio para el área de catastro",
        "requirente.sh",
        "adquisicion",
        "480000",
        [("computadora-escritorio", "Computadora de escritorio para catastro", 30, "16000", {})],
    ),
    "desistida": (
        "Switches de acceso para las oficinas de recaudación",
        "requirente.sh",
        "adquisicion",
        "340000",
        [("switch", "Switches de acceso de 48 puertos", 8, "42500", {})],
    ),
    "cancelada": (
        "Servidores para un centro de datos propio",
        "requirente.rc",
        "adquisicion",
        "1800000",
        [("servidor", "Servidores de rack para virtualización", 6, "300000", {})],
    ),
    # Under the threshold, one compliant computer of the standards in force: the fast track,
    # one technical review, signed (issue 36).
    "via_rapida": (
        "Computadoras portátiles para la supervisión de campo",
        "requirente.rc",
        "adquisicion",
        "216000",
        [
            (
                "computadora-portatil",
                "Computadora portátil para supervisores",
                12,
                "18000",
                {
                    "nucleos_cpu": 8,
                    "ram": "16 GB",
                    "almacenamiento": "512 GB",
                    "tamano_pantalla": 14,
                    "autonomia_bateria": 10,
                    "garantia": "3 años",
                    "cifrado_disco": True,
                },
            )
        ],
    ),
}
TIPO = {"contratacion": "servicio"}
# Bought once for several agencies (issue 62): its savings are counted apart.
CONSOLIDADAS = {"consolidable"}
# Why an item has fewer than three quotes (issue 62): a single authorised source. The ten-item
# request would need 31 attachments with three quotes each, one more than a request may carry.
JUSTIFICACIONES = {
    ("revision_estrategica_diez", "Licencias de ofimática"): (
        "El fabricante vende estas licencias en el Estado solo por su distribuidor autorizado, "
        "con el precio del contrato marco estatal vigente; no hay otras cotizaciones que pedir."
    ),
}
# The suppliers that quote in the demo, and how far from the typed price each one's quote is.
PROVEEDORES = (
    "Proveedora Tecnológica del Noroeste, S.A. de C.V.",
    "Sistemas y Redes de Sonora, S.A. de C.V.",
    "Grupo Informático del Pacífico, S.A. de C.V.",
    "Comercializadora Digital de Hermosillo, S. de R.L. de C.V.",
    "Soluciones Integrales en Cómputo del Yaqui, S.A. de C.V.",
)
# Who signs the demonstration's contract.
CONTRATISTA = "Telecomunicaciones del Noroeste, S.A. de C.V."
DISPERSION = (Decimal("0.96"), Decimal("1.00"), Decimal("1.07"))

# Why each one closed early (the reason goes in the chain and the notices).
DESISTIMIENTO = (
    "El proveedor de telefonía entregará los switches en comodato con el nuevo contrato de "
    "enlaces; ya no se adquieren."
)
RECTIFICACION = (
    "El dictamen omitió la condición de dar de baja los equipos que se sustituyen, que las "
    "áreas técnicas señalaron."
)
CANCELACION = (
    "Duplica el servicio integral de centro de datos que el Estado ya contrata; el ente debe "
    "hospedar sus servidores virtuales en él."
)


def _crear(clave, titulo: str | None = None) -> Solicitud | None:
    propio, requirente, tipo, monto, partidas = SOLICITUDES[clave]
    titulo = titulo or propio
    if Solicitud.objects.filter(titulo=titulo).exists():
        return None
    autor = _u(requirente)
    solicitud = solicitudes.solicitud_crear(
        usuario=autor,
        ente=autor.perfil.ente,
        datos={
            "tipo_operacion": TIPO.get(tipo, tipo),
            "titulo": titulo,
            "justificacion": "Solicitud de demostración: " + titulo.lower() + ".",
            "alineacion": "Programa Especial de Gobierno Digital, objetivo de infraestructura "
            "y servicios digitales.",
            "monto_estimado": Decimal(monto),
            "ejercicio": timezone.localdate().year,
            "compra_consolidada": clave in CONSOLIDADAS,
        },
    )
    for categoria, descripcion, cantidad, precio, specs in partidas:
        perfil = _perfil(categoria)
        unidad, meses = unidad_de(categoria)
        if meses and "3 años" in f"{titulo} {descripcion}":
            meses = 36
        solicitudes.partida_guardar(
            solicitud=solicitud,
            usuario=autor,
            datos={
                "perfil": perfil,
                "descripcion": descripcion,
                "cantidad": cantidad,
                "precio_unitario": Decimal(precio),
                "unidad": unidad,
                "meses": meses,
                "capitulo": "5000",
                "partida_especifica": "51501",
                "especificaciones": specs,
                "justificacion_cotizaciones": JUSTIFICACIONES.get((clave, descripcion), ""),
            },
        )
    archivo = ContentFile(PDF, name="oficio.pdf")
    archivo.size = len(PDF)
    solicitudes.anexo_agregar(solicitud=solicitud, usuario=autor, tipo="oficio", archivo=archivo)
    _cotizar(solicitud, autor)
    return solicitud


def _cotizar(solicitud, autor) -> None:
    """Above the office's amount, three quotes per item around its typed price, each with its
    own small PDF; an item with a justification goes without."""
    partidas = list(solicitud.partidas.order_by("pk"))
    total = sum(p.cantidad * p.precio_unitario for p in partidas)
    if total <= ConfiguracionVias.objects.vigentes().cotizaciones_umbral:
        return
    hoy = timezone.localdate()
    for n, partida in enumerate(partidas):
        if partida.justificacion_cotizaciones:
            continue
        for i, veces in enumerate(DISPERSION):
            proveedor = PROVEEDORES[(n + i) % len(PROVEEDORES)]
            contenido = PDF.replace(b"%PDF-1.4\n", f"%PDF-1.4\n% {partida.pk}-{i}\n".encode())
            archivo = ContentFile(contenido, name=f"cotizacion-{partida.pk}-{i + 1}.pdf")
            archivo.size = len(contenido)
            cotizaciones.cotizacion_agregar(
                partida=partida,
                usuario=autor,
                proveedor=proveedor,
                proveedor_rfc=rfc_de_empresa(proveedor),
                precio_unitario=(partida.precio_unitario * veces).quantize(
                    Decimal(1), ROUND_HALF_UP
                ),
                fecha=hoy - datetime.timedelta(days=12 + i),
                vigencia=hoy + datetime.timedelta(days=60 - 5 * i),
                archivo=archivo,
            )


def _revisar_todo(solicitud):
    unica = revisiones_a_crear(solicitud=solicitud)[0]
    if unica.get("via") == Via.RAPIDA:
        # One review of every item, from the shared queue: its lead area's reviewer takes it.
        area = Area.objects.get(pk=unica["area"])
        etapas.revision_area_concluir(
            solicitud=solicitud,
            usuario=_u(f"revisor.{area.clave}"),
            area=area,
            opinion="favorable",
            observaciones="Revisión única de demostración (vía rápida).",
            partidas={
                p.pk: {"opinion": "Cumple con el perfil publicado."}
                for p in solicitud.partidas.all()
            },
        )
        return
    for clave in sorted(areas_de(solicitud=solicitud)):
        area = Area.objects.get(clave=clave)
        etapas.revision_area_concluir(
            solicitud=solicitud,
            usuario=_u(f"revisor.{clave}"),
            area=area,
            opinion="favorable",
            observaciones="Revisión de demostración.",
            partidas={
                p.pk: {"opinion": "Cumple con el perfil solicitado."}
                for p in solicitud.partidas.filter(perfil__categoria__area=area)
            },
        )


def _decisiones(solicitud, clave) -> dict:
    """Each item's strategic decision. The «favorable» request has them mixed, so that the
    savings and the catalogue of reasons have data: its links approved whole, its switches
    for fewer units, its IP phones not approved (the agency already has a telephony
    contract). A «no_favorable» one approves none; the rest approve every item whole."""
    decisiones = {}
    for partida in solicitud.partidas.order_by("pk"):
        if clave == "no_favorable":
            una = {"resultado": "no_aprobada", "motivo": "sin-alineacion"}
        elif clave == "favorable" and partida.perfil.categoria.clave == "switch":
            una = {
                "resultado": "reducida",
                "cantidad": 8,
                "monto": Decimal("120000.00"),
                "motivo": "sobredimensionada",
                "texto": "Ocho switches cubren los sitios que la justificación enumera.",
            }
        elif clave == "favorable" and partida.perfil.categoria.clave == "telefonia-ip":
            una = {
                "resultado": "no_aprobada",
                "motivo": "duplicidad",
                "texto": "El contrato consolidado de telefonía del Estado ya incluye los "
                "teléfonos de las oficinas regionales.",
            }
        else:
            una = {"resultado": "aprobada"}
        decisiones[partida.pk] = una
    return decisiones


def _credencial():
    return efirma_pruebas.demo_credencial(settings.DICTAMENES_EFIRMA_DEMO_DIR, "firmante")


def _rectificar(dictamen):
    """A rectified dictamen, as the procedure makes one: the Dirección General proposes the new
    content and a firmante signs it; the register and /verificar/ show the first one as
    "Rectificado", with a link to the one that counts now."""
    propuesta = rectificacion.rectificacion_proponer(
        dictamen=dictamen,
        usuario=_u("estrategico"),
        motivo=RECTIFICACION,
        resultado="condicionado",
        motivos="Procede la adquisición, con la condición de retirar los equipos sustituidos.",
        condiciones="Entregar el acta de baja de los equipos sustituidos antes de contratar.",
    )
    rectificacion.dictamen_rectificar(
        dictamen=dictamen, usuario=_u("firmante"), credencial=_credencial(), propuesta=propuesta.pk
    )


def _contratar(dictamen):
    """The contract for what the favorable dictamen approved (the links and the fewer
    switches), for less than it approved."""
    contratos.contrato_registrar(
        dictamen=dictamen,
        usuario=_u("requirente.sh"),
        numero="SH-DGA-CTO-2026-041",
        proveedor=CONTRATISTA,
        proveedor_rfc=rfc_de_empresa(CONTRATISTA),
        fecha=timezone.localdate(),
        monto=Decimal("1044000.00"),
    )


def en_firma(titulo: str) -> Solicitud:
    """A request like the demo's «firma» one under another title, taken through every door
    (presented, admitted, reviewed, decided) up to the signature: what make bench issues
    (bench/emitir.py) when the history leaves fewer requests waiting for it."""
    with transaction.atomic():
        solicitud = _crear("firma", titulo=titulo)
        solicitudes.solicitud_presentar(solicitud=solicitud, usuario=solicitud.creada_por)
        etapas.admision_resolver(solicitud=solicitud, usuario=_u("mesa"), admitir=True)
        _revisar_todo(solicitud)
        etapas.solicitud_decidir(
            solicitud=solicitud,
            usuario=_u("estrategico"),
            partidas=_decisiones(solicitud, "firma"),
            motivos="Decisión de demostración con base en las opiniones de las áreas.",
        )
    return Solicitud.objects.get(pk=solicitud.pk)


def cargar() -> int:
    creadas = 0
    for clave in SOLICITUDES:
        with transaction.atomic():
            solicitud = _crear(clave)
            if solicitud is None:
                continue
            creadas += 1
            if clave.startswith("borrador"):
                continue
            solicitudes.solicitud_presentar(solicitud=solicitud, usuario=solicitud.creada_por)
            if clave in ("admision", "consolidable"):
                continue
            mesa = _u("mesa")
            if clave in ("prevenida", "desechada"):
                etapas.admision_resolver(
                    solicitud=solicitud,
                    usuario=mesa,
                    admitir=False,
                    faltantes="Falta la cotización firmada por el proveedor.",
                )
                if clave == "desechada":
                    # Backdate the deadline so the timer finds it due, as cron would.
                    pasado = timezone.now() - datetime.timedelta(days=1)
                    proceso = Solicitud.objects.get(pk=solicitud.pk).proceso
                    type(proceso).objects.filter(pk=proceso.pk).update(subsanar_vence=pasado)
                    tareas_abiertas(solicitud=solicitud).model.objects.filter(
                        process_id=proceso.pk, flow_task_type="TIMER"
                    ).update(scheduled=pasado)
                continue
            etapas.admision_resolver(solicitud=solicitud, usuario=mesa, admitir=True)
            if clave == "desistida":
                cierre.solicitud_desistir(
                    solicitud=solicitud, usuario=solicitud.creada_por, motivo=DESISTIMIENTO
                )
                continue
            if clave == "revision_tecnica":
                etapas.informacion_pedir(
                    solicitud=solicitud,
                    usuario=_u("revisor.seguridad"),
                    area=Area.objects.get(clave="seguridad"),
                    pregunta="Indique el rendimiento requerido con inspección de amenazas.",
                )
                continue
            _revisar_todo(solicitud)
            if clave.startswith("revision_estrategica"):
                continue
            if clave == "cancelada":
                cierre.solicitud_cancelar(
                    solicitud=solicitud, usuario=_u("estrategico"), motivo=CANCELACION
                )
                continue
            etapas.solicitud_decidir(
                solicitud=solicitud,
                usuario=_u("estrategico"),
                partidas=_decisiones(solicitud, clave),
                motivos="Decisión de demostración con base en las opiniones de las áreas.",
                condiciones="Presentar el plan de migración antes de contratar."
                if clave == "condicionado"
                else "",
            )
            if clave == "firma":
                continue
            dictamen = emision.dictamen_emitir(
                solicitud=solicitud,
                usuario=_u("firmante"),
                credencial=_credencial(),
            )
            if clave == "rectificada":
                _rectificar(dictamen)
            if clave == "favorable":
                _contratar(dictamen)
    fire_due_timers()
    return creadas
