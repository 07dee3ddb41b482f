"""Shared by the security tests: the world of the access matrix (one set of requests of agency A
in every state, built once per module: the matrix makes thousands of requests; rebuilding per
test would take minutes) and the fuzz counters; both print their figures at the end of the run."""

import os
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from dictamenes.tramite.selectors.tareas import tareas_abiertas
from dictamenes.tramite.services import etapas
from tests.por_modulo import llaves_comprobar

# Role → demo user (None: anonymous). Agency A is the Secretaría de Hacienda (requirente.sh),
# agency B the Registro Civil (requirente.rc).
USUARIOS = {
    "anonimo": None,
    "requirente_a": "requirente.sh",
    "requirente_b": "requirente.rc",
    "mesa": "mesa",
    "revisor_infraestructura": "revisor.infraestructura",
    "revisor_redes": "revisor.redes",
    "revisor_seguridad": "revisor.seguridad",
    "revisor_software": "revisor.software",
    "revisor_computo": "revisor.computo",
    "estrategico": "estrategico",
    "firmante": "firmante",
    "auditor": "auditor",
    "administrador": "admin",
}


# Filled by the matrix tests and the hostile-input tests, printed at the end of the run (the
# closing note quotes them).
CIFRAS = {
    "rutas_x_roles": 0,
    "operaciones_api_x_roles": 0,
    "post_x_roles": 0,
    "sondeos": 0,
    # tests/seguridad/hostiles/: inputs sent and checked, and how many of them got a 5xx or left
    # something written when they should have left nothing.
    "entradas_hostiles": 0,
    "entradas_hostiles_5xx": 0,
    "entradas_hostiles_parciales": 0,
}
# The hostile inputs by kind (subidas, texto, especificaciones, e.firma).
HOSTILES_POR_CATEGORIA = Counter()
_CLAVES_MATRIZ = ("rutas_x_roles", "operaciones_api_x_roles", "post_x_roles", "sondeos")


def _resumen_matriz(terminalreporter):
    if any(CIFRAS[clave] for clave in _CLAVES_MATRIZ):
        terminalreporter.write_line(
            f"matriz de acceso: {CIFRAS['rutas_x_roles']} ruta×rol (URLconf), "
            f"{CIFRAS['operaciones_api_x_roles']} operación×rol (API), "
            f"{CIFRAS['post_x_roles']} POST rechazados verificados, "
            f"{CIFRAS['sondeos']} sondeos de enumeración"
        )


CASOS_FUZZ = pytest.StashKey[Counter]()


@pytest.fixture(scope="session")
def contador_fuzz(pytestconfig):
    """Cases sent per role, and how many of them were answered with a 2xx and with a 5xx."""
    return pytestconfig.stash.setdefault(CASOS_FUZZ, Counter())


def _resumen_fuzz(terminalreporter, config):
    contador = config.stash.get(CASOS_FUZZ, None)
    if not contador:
        return
    terminalreporter.section("fuzzing de la API (schemathesis)")
    roles = sorted(k for k in contador if ":" not in k)
    for rol in roles:
        terminalreporter.write_line(
            f"{rol}: {contador[rol]} casos ({contador['2xx:' + rol]} con respuesta 2xx), "
            f"{contador['5xx:' + rol]} errores del servidor"
        )
    total = sum(contador[r] for r in roles)
    errores = sum(contador["5xx:" + r] for r in roles)
    terminalreporter.write_line(f"total: {total} casos, {errores} errores del servidor")


def _resumen_hostiles(terminalreporter):
    if not CIFRAS["entradas_hostiles"]:
        return
    terminalreporter.write_line(
        f"entradas hostiles: {CIFRAS['entradas_hostiles']} probadas, "
        f"{CIFRAS['entradas_hostiles_5xx']} con error 5xx, "
        f"{CIFRAS['entradas_hostiles_parciales']} con registro parcial"
    )
    terminalreporter.write_line(
        "  por tipo: "
        + ", ".join(f"{tipo} {n}" for tipo, n in sorted(HOSTILES_POR_CATEGORIA.items()))
    )


def pytest_terminal_summary(terminalreporter, config):
    _resumen_matriz(terminalreporter)
    _resumen_fuzz(terminalreporter, config)
    _resumen_hostiles(terminalreporter)


@dataclass
class Mundo:
    ids: dict = field(default_factory=dict)
    clientes: dict = field(default_factory=dict)
    titulo_a: str = ""
    titulo_b: str = ""
    tareas_por_nodo: dict = field(default_factory=dict)


TITULO_A = "Firewall perimetral de Hacienda ZQX"
TITULO_B = "Escáneres del Registro Civil WKJ"


SUPERUSUARIO = "superusuario"


def _con_cada_paso(s: dict) -> None:
    """Requests that leave a task of every node of the flow, so that viewflow's per-task pages
    are asked about a real task: a prevention open, one that ran out (the timer closed the
    request), and a request the strategic reviewer sent back to an area."""
    import datetime

    import time_machine

    from dictamenes.models import Area, Solicitud
    from tests.dictamenes.flujo_utils import decidir, presentada, revisada
    from tests.dictamenes.flujo_utils import usuario as u

    for clave in ("prevenida", "desechada"):
        s[clave] = presentada(areas=("infraestructura",), titulo=f"{TITULO_A} ({clave})")
        etapas.admision_resolver(
            solicitud=s[clave], usuario=u("mesa"), admitir=False, faltantes="Falta la cotización."
        )
    vence = Solicitud.objects.get(pk=s["desechada"].pk).proceso.subsanar_vence
    with time_machine.travel(vence + datetime.timedelta(hours=1)):
        call_command("workflow_timers", stdout=open(os.devnull, "w"))  # noqa: SIM115
    s["devuelta"] = decidir(
        revisada(areas=("infraestructura",), titulo=f"{TITULO_A} (devuelta)"),
        devolver_a=Area.objects.get(clave="infraestructura"),
    )


def _construir() -> Mundo:
    from dictamenes.models import Area, Solicitud
    from tests.dictamenes.flujo_utils import (
        admitida,
        borrador,
        en_firma,
        firmar,
        presentada,
        revisar,
    )
    from tests.dictamenes.flujo_utils import usuario as u

    call_command("cargar_demo", "--sin-solicitudes", stdout=open(os.devnull, "w"))  # noqa: SIM115
    m = Mundo(titulo_a=TITULO_A, titulo_b=TITULO_B)
    s = {}
    s["borrador"] = borrador(areas=("computo",), titulo=f"{TITULO_A} (borrador)")
    s["presentada"] = presentada(areas=("computo",), titulo=f"{TITULO_A} (presentada)")
    s["revision"] = admitida(areas=("redes", "computo"), titulo=f"{TITULO_A} (revisión)")
    etapas.informacion_pedir(
        solicitud=s["revision"],
        usuario=u("revisor.redes"),
        area=Area.objects.get(clave="redes"),
        pregunta="¿Cuántos puertos PoE?",
    )
    s["estrategica"] = admitida(areas=("seguridad",), titulo=f"{TITULO_A} (estratégica)")
    revisar(s["estrategica"], "seguridad")
    s["firma"] = en_firma(areas=("software",), titulo=f"{TITULO_A} (firma)")
    # Issued favourable with two conditions for the software area: one still pending, one
    # with its evidence awaiting the area's verification.
    s["emitida"] = en_firma(
        areas=("software",),
        titulo=f"{TITULO_A} (emitida)",
        resultado="condicionado",
        condiciones="Software: Entregar el plan de pruebas.\nSoftware: Entregar la licencia.",
    )
    firmar(Solicitud.objects.get(pk=s["emitida"].pk))
    _con_cada_paso(s)
    s["ajena"] = borrador(areas=("redes",), requirente="requirente.rc", titulo=TITULO_B)
    for clave, sol in s.items():
        sol = Solicitud.objects.get(pk=sol.pk)
        m.ids[clave] = sol.pk
        m.ids[f"{clave}:partida"] = sol.partidas.order_by("pk").first().pk
        m.ids[f"{clave}:anexo"] = sol.anexos.order_by("pk").first().pk
        m.ids[f"{clave}:proceso"] = sol.proceso.pk if hasattr(sol, "proceso") else 0
    emitida = Solicitud.objects.get(pk=s["emitida"].pk)
    m.ids["dictamen"] = emitida.dictamen_vigente.pk
    m.ids["folio"] = emitida.dictamen_vigente.folio
    m.ids["proveedor_oidc"] = "estatal"
    m.ids["pdf"] = emitida.dictamen_vigente.pdf.name
    m.ids["anexo_archivo"] = emitida.anexos.first().archivo.name
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dictamenes.seguimiento.services import condiciones
    from tests.dictamenes.flujo_utils import PDF_MINIMO

    pendiente, en_verificacion = emitida.dictamen_vigente.obligaciones.order_by("numero")
    m.ids["condicion_pendiente"] = pendiente.pk
    m.ids["condicion_en_verificacion"] = en_verificacion.pk
    m.ids["evidencia"] = condiciones.condicion_evidencia_subir(
        condicion=en_verificacion,
        usuario=u("requirente.sh"),
        archivo=SimpleUploadedFile("licencia.pdf", PDF_MINIMO, content_type="application/pdf"),
    ).pk
    # Issue 76: a contract under the emitida's dictamen, 50 % over what it approved, with its
    # document: it waits for the strategic reviewer, and the mesa may check it.
    from dictamenes.seguimiento.selectors.contratos import tope_del_dictamen
    from dictamenes.seguimiento.services import contratos as contratos_servicio

    vigente = emitida.dictamen_vigente
    m.ids["contrato"] = contratos_servicio.contrato_registrar(
        dictamen=vigente,
        usuario=u("requirente.sh"),
        numero="SH-MATRIZ-076",
        proveedor="Proveedora de la matriz, S.A. de C.V.",
        fecha=vigente.emitido_en.date(),
        monto=tope_del_dictamen(dictamen=vigente).aprobado * 3 / 2,
        motivo_exceso="Prueba de la matriz de acceso.",
        archivo=SimpleUploadedFile("contrato.pdf", PDF_MINIMO, content_type="application/pdf"),
    ).pk
    # Issue 80: a sign of the presentada (in admission: the mesa attends it), naming a
    # supplier whose history is a page.
    from dictamenes.models import Senal, SenalProveedor

    presentada_ = Solicitud.objects.get(pk=s["presentada"].pk)
    senal, _creada = Senal.objects.update_or_create(
        solicitud=presentada_,
        codigo="cobertura",
        defaults={
            "ente_id": presentada_.ente_id,
            "ejercicio": presentada_.ejercicio,
            "texto": "Dos cotizaciones con el mismo precio (matriz de acceso).",
            "detectada_en": presentada_.presentada_en,
            "vigente": True,
        },
    )
    SenalProveedor.objects.get_or_create(
        senal=senal, clave="proveedora de la matriz", defaults={"nombre": "Proveedora de la matriz"}
    )
    m.ids["senal"] = senal.pk
    m.ids["proveedor_senal"] = "proveedora de la matriz"
    revision = Solicitud.objects.get(pk=s["revision"].pk)
    m.ids["peticion"] = revision.peticiones.get().pk
    from tests.dictamenes.flujo_utils import paso_de

    tareas = {paso_de(t): t.pk for t in tareas_abiertas(solicitud=revision)}
    m.ids["tarea_redes"] = tareas["revision_tecnica:redes"]
    m.ids["tarea_computo"] = tareas["revision_tecnica:computo"]
    for clave, username in USUARIOS.items():
        cliente = Client()
        if username:
            cliente.force_login(u(username))
        m.clientes[clave] = cliente
    # Not a role: the account `createsuperuser` makes, asked only about viewflow's actions.
    m.clientes[SUPERUSUARIO] = Client()
    m.clientes[SUPERUSUARIO].force_login(
        get_user_model().objects.create_superuser("raiz", "raiz@sonora.gob.mx", "x" * 20)
    )
    _completar(m)
    return m


@pytest.fixture(scope="module")
def mundo(django_db_setup, django_db_blocker):
    """Built inside a transaction that is rolled back when the module ends; each test runs in
    its own savepoint on top (pytest-django's usual `db`), so nothing leaks between tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        estado = _construir()
        llaves_comprobar()
        yield estado
        transaction.set_rollback(True)


def _completar(m: Mundo) -> None:
    """Values for the parameters of the admin's and viewflow's own URLs."""
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Case, When
    from django.utils import timezone
    from viewflow.workflow.models import Task

    from dictamenes.flow_port import Nodo, nodo
    from dictamenes.models import Area, Ente, MotivoRechazo, Solicitud
    from estandares import selectors as estandares_selectors

    m.tareas_por_nodo = {}
    # One task per node behind viewflow's per-task pages; a task held by its owner first (the
    # technical reviews of every area share one node: the redes reviewer's assigned one).
    revision = nodo(Nodo.REVISION_TECNICA)
    primero = Case(When(status="ASSIGNED", flow_task=revision, then=0), default=1)
    for tarea in Task.objects.order_by(primero, "pk"):
        m.tareas_por_nodo.setdefault(tarea.flow_task.name, (tarea.process_id, tarea.pk))
    vigente = estandares_selectors.publicacion_vigente(fecha=timezone.localdate())
    m.ids["version"] = vigente.version
    categoria = vigente.categorias.order_by("pk").first()
    m.ids["categoria_clave"] = categoria.clave
    m.ids["conjunto"] = "indicador-anual"  # an open dataset
    m.ids["archivo_ocds"] = "extension.json"  # the local OCDS extension
    # A presented request's OCDS record, and the month of its presentation's release.
    presentada = Solicitud.objects.filter(folio__isnull=False).order_by("pk").first()
    m.ids["ocid"] = f"{settings.OCDS_PREFIJO_OCID}-{presentada.folio}"
    m.ids["mes_ocds"] = f"{timezone.localtime(presentada.presentada_en):%Y-%m}"
    m.ids["categoria"] = categoria.pk
    perfil = categoria.perfiles.order_by("pk").first()
    m.ids["perfil"] = perfil.pk
    m.ids["requisito"] = perfil.requisitos.order_by("pk").first().pk
    # A line of agency A's annual programme, added by hand and not yet presented.
    from dictamenes.planeacion.services import programa as planeacion

    linea = planeacion.linea_agregar(
        ente=Ente.objects.get(siglas="SH"),
        ejercicio=timezone.localdate().year,
        usuario=get_user_model().objects.get(username="requirente.sh"),
        datos={
            "categoria": categoria.clave,
            "perfil": "",
            "descripcion": "Línea de la matriz de acceso",
            "cantidad": "2",
            "monto_estimado": "10000",
            "capitulo": "5000",
            "partida_especifica": "51501",
            "mes": "12",
        },
    )
    m.ids["linea"] = linea.pk
    m.ids["persona_redes"] = get_user_model().objects.get(username="revisor.redes").pk
    m.ids["admin_user"] = get_user_model().objects.get(username="admin").pk
    # A role of the procedure the administrator asked for: it waits for a second one.
    from dictamenes.personas.services import personas
    from dictamenes.roles import Rol

    m.ids["cambio"] = personas.rol_otorgar(
        usuario=get_user_model().objects.get(username="revisor.redes"),
        rol=Rol.FIRMANTE,
        por=get_user_model().objects.get(username="admin"),
        motivo="Cambio de la matriz de acceso",
    ).pk
    # An absence of the procedure's staff (issue 50), for its cancel route.
    from dictamenes.capacidad.services import registro

    m.ids["ausencia"] = registro.ausencia_registrar(
        persona=get_user_model().objects.get(username="revisor.computo"),
        desde=timezone.localdate(),
        hasta=timezone.localdate(),
        motivo="comision",
        por=get_user_model().objects.get(username="admin"),
    ).pk
    m.ids["grupo"] = Group.objects.order_by("pk").first().pk
    m.ids["area"] = Area.objects.get(clave="computo").pk
    m.ids["motivo"] = MotivoRechazo.objects.order_by("pk").values_list("pk", flat=True).first()
    m.ids["ente"] = Ente.objects.order_by("pk").first().pk
    m.ids["ct_solicitud"] = ContentType.objects.get_for_model(Solicitud).pk
    _una_fila_de_cada_modelo_del_admin()


def _una_fila_de_cada_modelo_del_admin() -> None:
    """The admin's change, history and delete pages asked about a row that exists (with none,
    each would only redirect to its list). Dated in the past, so they change nothing today."""
    import datetime

    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib import admin
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    from dictamenes.models import DiaInhabil, Sustitucion
    from tests.dictamenes.flujo_utils import usuario as u

    antes = datetime.date(2020, 1, 2)
    DiaInhabil.objects.get_or_create(fecha=antes, defaults={"descripcion": "Día de prueba"})
    Sustitucion.objects.create(
        titular=u("revisor.redes"),
        suplente=u("revisor.computo"),
        desde=antes,
        hasta=antes,
        motivo="Suplencia de prueba, ya concluida.",
    )
    for modelo in (AccessAttempt, AccessLog, AccessFailureLog):
        campos = {f.name for f in modelo._meta.get_fields()}
        modelo.objects.create(
            **{"username": "nadie", "ip_address": "192.0.2.1", "user_agent": "prueba"},
            **({"get_data": "", "post_data": ""} if "get_data" in campos else {}),
            **({"failures_since_start": 1} if "failures_since_start" in campos else {}),
            **({"path_info": "/cuentas/login/"} if "path_info" in campos else {}),
        )
    TOTPDevice.objects.create(user=u("auditor"), name="Prueba", confirmed=False)
    Token.objects.get_or_create(user=u("auditor"))
    vacios = [
        m._meta.label
        for m in admin.site._registry
        if not m._default_manager.exists() and not m._meta.proxy
    ]
    assert not vacios, f"modelos del admin sin filas en el mundo: {vacios}"
