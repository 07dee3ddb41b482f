"""Issue 60, item 4: nobody stranded. A change that leaves a technical reviewer with the role
and no active area names them on its approval screen before it is approved; once applied, the
administrators' home and the operator's page name them, each with a link to their page in
«Personas y roles»; giving them an area clears the notice; the capacity plan counts only the
people who can review."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from dictamenes.capacidad.selectors.capacidad import capacidad
from dictamenes.capacidad.services import registro
from dictamenes.models import Area, CambioPendiente, EventoAuditoria, Refuerzo
from dictamenes.operacion.services import configuracion
from dictamenes.personas.services import acceso, personas
from dictamenes.roles import Rol
from tests.dictamenes.dual_utils import aprobar_pendientes
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db

PERFIL = Path(settings.BASE_DIR) / "demo/perfiles/estado_de_anahuac.toml"
INICIO, SISTEMA, CAMBIOS = "/", "/cuentas/sistema/", "/cuentas/cambios/"
# The demo's five reviewers (demo/usuarios.py), each of one of the five areas the Anáhuac
# profile retires; the three it creates review its new areas.
DEMO = [
    ("Ricardo Durazo Lugo", "revisor.infraestructura"),
    ("Mónica Félix Quintero", "revisor.redes"),
    ("Óscar Núñez Valdez", "revisor.computo"),
    ("Lucía Peña Bojórquez", "revisor.software"),
    ("Héctor Armenta Soto", "revisor.seguridad"),
]


def nombrados(contenido: str, ident: str) -> list[tuple[str, str]]:
    """Each person the notice with id `ident` names, in order: the text of their line (name,
    then username) and where it links (their page in «Personas y roles»)."""
    arbol = lxml_html.fromstring(contenido)
    return [
        (" ".join(li.text_content().split()), li.xpath(".//a")[0].get("href"))
        for li in arbol.xpath(f'//*[@id="{ident}"]//li')
    ]


def enlace(username: str) -> str:
    return reverse("cuentas:rol_persona", args=[usuario(username).pk])


def en_inicio(cliente) -> list[tuple[str, str]]:
    return nombrados(cliente.get(INICIO).content.decode(), "revisores-sin-area")


def en_sistema(cliente) -> list[tuple[str, str]]:
    return nombrados(cliente.get(SISTEMA).content.decode(), "asunto-revisores_sin_area")


def en_el_cambio(cliente, cambio) -> list[tuple[str, str]]:
    return nombrados(cliente.get(CAMBIOS).content.decode(), f"cambio-{cambio.pk}-sin-area")


def filas(personas_) -> list[tuple[str, str]]:
    return [(f"{nombre} ({username})", enlace(username)) for nombre, username in personas_]


def por_apellido(personas_):
    return sorted(personas_, key=lambda p: (p[0].split(" ", 1)[1], p[0]))


def pedir_retiro(area: str, destino: str) -> CambioPendiente:
    return configuracion.configuracion_pedir(
        tipo=CambioPendiente.Tipo.AREA,
        accion="retirar",
        pedido={
            "area": Area.objects.get(clave=area).pk,
            "destino": Area.objects.get(clave=destino).pk,
        },
        por=usuario("admin"),
        motivo="Se fusiona con otra área",
    )


def perfil_sin_revisores(carpeta: Path, *quitar: str) -> Path:
    """Anáhuac's profile without the `revisores` lines that name `quitar` (all of them when
    none is given), beside a copy of its letterhead."""
    imagen = "estado_de_anahuac_membrete.png"
    (carpeta / imagen).write_bytes((PERFIL.parent / imagen).read_bytes())
    lineas = [
        linea
        for linea in PERFIL.read_text(encoding="utf-8").splitlines(keepends=True)
        if not (linea.startswith("revisores =") and (not quitar or any(q in linea for q in quitar)))
    ]
    otro = carpeta / "perfil.toml"
    otro.write_text("".join(lineas), encoding="utf-8")
    return otro


def test_el_perfil_de_anahuac_los_nombra_antes_de_aprobarse_y_despues_en_inicio_y_sistema(
    demo, como, tmp_path
):
    """A profile that names none of the reviewers it leaves without an area (issue 60)."""
    perfil = perfil_sin_revisores(tmp_path)
    call_command("cargar_perfil_estado", str(perfil), usuario="admin", stdout=StringIO())
    (cambio,) = CambioPendiente.objects.filter(tipo="perfil", estado="pendiente")
    admin2 = como("admin2")

    # Before approval: the screen names the five, and nobody is stranded yet.
    assert en_el_cambio(admin2, cambio) == filas(por_apellido(DEMO))
    assert en_inicio(admin2) == []

    aprobar_pendientes(client=admin2, tipo=CambioPendiente.Tipo.PERFIL)

    # After: the five, not the three new reviewers, on both pages, by surname.
    assert en_inicio(como("admin")) == filas(por_apellido(DEMO))
    assert en_sistema(como("admin")) == filas(por_apellido(DEMO))
    # And their own home still says so, by the same rule.
    assert "Sin área activa" in como("revisor.redes").get(INICIO).content.decode()
    assert "Sin área activa" not in como("revisor.conectividad").get(INICIO).content.decode()


def test_retirar_el_area_de_su_unico_revisor_lo_nombra_y_darle_otra_lo_quita(demo, como):
    cambio = pedir_retiro("software", "computo")
    assert en_el_cambio(como("admin2"), cambio) == filas([DEMO[3]])
    assert en_inicio(como("admin")) == []
    aprobar_pendientes(client=como("admin2"), tipo=CambioPendiente.Tipo.AREA)

    assert en_inicio(como("admin")) == filas([DEMO[3]])
    assert en_sistema(como("admin")) == filas([DEMO[3]])
    # Only the administrators' home names them.
    assert como("mesa").get(INICIO).content.decode().count("revisores-sin-area") == 0

    # Given an area (asked and approved as any role grant), they are named nowhere.
    personas.rol_otorgar(
        usuario=usuario("revisor.software"),
        rol=Rol.REVISOR_TECNICO,
        por=usuario("admin"),
        motivo="Revisa ahora cómputo",
        areas=[Area.objects.get(clave="computo")],
    )
    (grant,) = CambioPendiente.objects.filter(tipo="rol", estado="pendiente")
    assert en_el_cambio(como("admin2"), grant) == []
    configuracion.cambio_aprobar(cambio=grant, por=usuario("admin2"))
    assert en_inicio(como("admin")) == []
    assert en_sistema(como("admin")) == []


def test_reactivar_la_cuenta_de_un_revisor_cuya_area_se_retiro_lo_nombra(demo, como):
    revisora = usuario("revisor.software")
    acceso.cuenta_acceso_cambiar(
        persona=revisora, activo=False, por=usuario("admin"), motivo="Licencia médica"
    )
    configuracion.cambio_aprobar(
        cambio=CambioPendiente.objects.get(tipo="acceso", estado="pendiente"),
        por=usuario("admin2"),
    )
    pedir_retiro("software", "computo")
    aprobar_pendientes(tipo=CambioPendiente.Tipo.AREA)
    assert en_inicio(como("admin")) == []  # an account switched off reviews nothing anyway

    acceso.cuenta_acceso_cambiar(
        persona=usuario("revisor.software"),
        activo=True,
        por=usuario("admin"),
        motivo="Vuelve de su licencia",
    )
    cambio = CambioPendiente.objects.get(tipo="acceso", estado="pendiente")
    assert en_el_cambio(como("admin2"), cambio) == filas([DEMO[3]])


def consultas(cliente) -> dict[str, int]:
    """The queries of each page, the caches warm as a running site has them."""
    cuantas = {}
    for url in (INICIO, CAMBIOS, SISTEMA):
        cliente.get(url)
        with CaptureQueriesContext(connection) as capturadas:
            assert cliente.get(url).status_code == 200
        cuantas[url] = len(capturadas)
    return cuantas


def test_las_consultas_no_crecen_con_las_personas_nombradas(demo, como):
    pedir_retiro("software", "computo")
    aprobar_pendientes(tipo=CambioPendiente.Tipo.AREA)
    redes = pedir_retiro("redes", "infraestructura")
    admin = como("admin")
    # Who is stranded already is on the home page; the change names only whom it strands.
    assert en_el_cambio(admin, redes) == filas([DEMO[1]])
    pocas = consultas(admin)
    aprobar_pendientes(tipo=CambioPendiente.Tipo.AREA)
    pedir_retiro("seguridad", "computo")
    pedir_retiro("infraestructura", "computo")
    admin = como("admin")
    assert len(en_inicio(admin)) == 2
    assert consultas(admin) == pocas


def test_la_capacidad_solo_cuenta_a_quien_puede_revisar(demo):
    pedir_retiro("software", "computo")
    aprobar_pendientes(tipo=CambioPendiente.Tipo.AREA)
    lunes = datetime.date(2026, 12, 7)
    # The mesa lent to Cómputo that week (the loan grants the role and the area), and then
    # the role taken away while the loan is still open: she reviews nothing either.
    admin, admin2, mesa = usuario("admin"), usuario("admin2"), usuario("mesa")
    prestamo = registro.refuerzo_pedir(
        persona=mesa,
        area=Area.objects.get(clave="computo"),
        desde=lunes,
        hasta=lunes,
        motivo="Cierre del año",
        por=admin,
    )
    configuracion.cambio_aprobar(cambio=prestamo, por=admin2)
    retiro = personas.rol_retirar(
        usuario=mesa, rol=Rol.REVISOR_TECNICO, por=admin, motivo="Vuelve a la mesa"
    )
    configuracion.cambio_aprobar(cambio=retiro, por=admin2)
    assert Refuerzo.objects.filter(persona=mesa, concluido_en__isnull=True).exists()
    plan = capacidad(desde=lunes, hasta=lunes, hoy=lunes)
    # The oracle: plain SQL over the role's group and the active areas of each profile.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT u.username FROM auth_user u
            JOIN auth_user_groups ug ON ug.user_id = u.id
            JOIN auth_group g ON g.id = ug.group_id AND g.name = %s
            JOIN dictamenes_perfil p ON p.usuario_id = u.id
            JOIN dictamenes_perfil_areas pa ON pa.perfil_id = p.id
            JOIN dictamenes_area a ON a.id = pa.area_id AND a.activa
            WHERE u.is_active
            """,
            [str(Rol.REVISOR_TECNICO.label)],
        )
        pueden = {fila[0] for fila in cursor.fetchall()}
    assert not {"revisor.software", "mesa"} & pueden
    assert {t.persona.username for t in plan.tasas} == pueden


def test_el_perfil_que_nombra_a_sus_revisores_no_deja_a_nadie_sin_area(demo, como):
    """Issue 61, item 2: each of Anáhuac's areas names the demo reviewers who take it; they
    get it through the audited grant, and nobody is named before or after."""
    call_command("cargar_perfil_estado", str(PERFIL), usuario="admin", stdout=StringIO())
    (cambio,) = CambioPendiente.objects.filter(tipo="perfil", estado="pendiente")
    assert en_el_cambio(como("admin2"), cambio) == []
    assert not [a for a in cambio.datos["acciones"] if "sin área" in a]
    assert (
        "Revisor técnico revisor.computo: revisa «Bienes Informáticos»"
        in (cambio.datos["acciones"])
    )
    aprobar_pendientes(client=como("admin2"), tipo=CambioPendiente.Tipo.PERFIL)

    assert en_inicio(como("admin")) == []
    # Straight from the tables: every active reviewer of the demo holds an active area.
    nombres = [u for _n, u in DEMO]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.username, a.nombre FROM auth_user u"
            " JOIN dictamenes_perfil p ON p.usuario_id = u.id"
            " JOIN dictamenes_perfil_areas pa ON pa.perfil_id = p.id"
            " JOIN dictamenes_area a ON a.id = pa.area_id AND a.activa"
            " ORDER BY u.username"
        )
        areas = [fila for fila in cursor.fetchall() if fila[0] in nombres]
    assert areas == [
        ("revisor.computo", "Bienes Informáticos"),
        ("revisor.infraestructura", "Conectividad e Infraestructura"),
        ("revisor.redes", "Conectividad e Infraestructura"),
        ("revisor.seguridad", "Ciberseguridad y Sistemas"),
        ("revisor.software", "Ciberseguridad y Sistemas"),
    ]
    # Each through the audited grant, in the profile's name.
    otorgados = EventoAuditoria.objects.filter(
        tipo="rol_otorgado", motivo="Perfil del estado cargado desde estado_de_anahuac.toml"
    )
    assert sorted(e.datos["username"] for e in otorgados) == sorted(nombres)


def test_el_cambio_dice_en_sus_lineas_quien_quedaria_sin_area(demo, como, tmp_path):
    """A profile that forgets one reviewer: its lines and its screen name only him."""
    perfil = perfil_sin_revisores(tmp_path, "revisor.computo")
    call_command("cargar_perfil_estado", str(perfil), usuario="admin", stdout=StringIO())
    (cambio,) = CambioPendiente.objects.filter(tipo="perfil", estado="pendiente")
    assert [a for a in cambio.datos["acciones"] if "sin área" in a] == [
        "Quedan con el rol Revisor técnico y sin área: Óscar Núñez Valdez (revisor.computo). "
        "Nómbrelos en «revisores» de un área del perfil, o deles un área en «Personas y roles»."
    ]
    assert en_el_cambio(como("admin2"), cambio) == filas([DEMO[2]])
