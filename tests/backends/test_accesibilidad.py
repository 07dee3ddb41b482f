"""axe-core (axe-playwright-python) scans the main pages, as each role sees them.

No page of ours may have a serious or critical violation. Every violation, of any impact, is
counted per page and printed as a table (run with -rP to see it), so the report can say how
many remain. Third-party pages (Django's admin, Swagger UI) are counted but not asserted."""

from collections import Counter

import pytest

from dictamenes.emision.services import integridad
from tests.backends.navegador import dictaminada, en_firma, en_revision_estrategica, sesion_de
from tests.backends.test_browser import RESULTADOS
from tests.dictamenes import flujo_utils as fu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMPACTOS = ("critical", "serious", "moderate", "minor")
GRAVES = {"critical", "serious"}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def enviar(control):
    """Click what sends a form or follows a link, and wait for the page it leads to: axe run on
    a page still navigating finds no document (it failed that way once in CI)."""
    with control.page.expect_navigation():
        control.click()


class Escaneo:
    def __init__(self, page, axe):
        self.page = page
        self.axe = axe
        self.filas: list[tuple[str, Counter, list, bool]] = []
        self.incompletos: dict[str, list] = {}

    def revisar(self, nombre, *, propia=True):
        antes = len(self.page.rechazos_csp)
        resultado = self.axe.run(self.page)
        # axe-core adds inline styles of its own while it measures; the page's CSP refuses
        # them, and that is the policy working, not the page breaking it.
        del self.page.rechazos_csp[antes:]
        violaciones = resultado.response["violations"]
        # The rules axe ran and saw pass: a page with no checks at all would prove nothing.
        assert resultado.response["passes"], f"{nombre}: axe no revisó nada"
        cuenta = Counter()
        for v in violaciones:
            cuenta[v["impact"]] += len(v["nodes"])
        # What axe could not decide by itself ("needs review"), reported, not asserted.
        self.incompletos[nombre] = resultado.response["incomplete"]
        cuenta["revisar"] = sum(len(v["nodes"]) for v in self.incompletos[nombre])
        self.filas.append((nombre, cuenta, violaciones, propia))

    def tabla(self) -> str:
        columnas = (*IMPACTOS, "revisar")
        encabezado = f"{'página':<48}" + "".join(f"{i:>10}" for i in columnas)
        lineas = [encabezado, "-" * len(encabezado)]
        for nombre, cuenta, _v, propia in self.filas:
            marca = "" if propia else " (terceros)"
            lineas.append(
                f"{(nombre + marca)[:48]:<48}" + "".join(f"{cuenta[i]:>10}" for i in columnas)
            )
        return "\n".join(lineas)

    def graves(self) -> list[str]:
        """Serious and critical violations on our pages, and ARIA references to an element
        that is not there (axe leaves those "to review"; the field then loses its error or
        help text for a screen reader)."""
        return [
            f"{nombre}: [{v['impact']}] {v['id']} — {v['help']} — "
            + "; ".join(str(n["target"][0]) if n["target"] else "?" for n in v["nodes"][:3])
            for nombre, _c, violaciones, propia in self.filas
            if propia
            for v in violaciones
            + [i for i in self.incompletos[nombre] if i["id"] == "aria-valid-attr-value"]
            if v["impact"] in GRAVES or v["id"] == "aria-valid-attr-value"
        ]

    def detalle(self) -> str:
        return (
            "\n".join(
                f"{nombre}: [{v['impact']}] {v['id']} ({len(v['nodes'])}) — "
                + "; ".join(str(n["target"][0]) for n in v["nodes"][:3])
                for nombre, _c, violaciones, _p in self.filas
                for v in violaciones
            )
            + "\n\nPor revisar a mano (axe no pudo decidir):\n"
            + "\n".join(
                f"{nombre}: {v['id']} ({len(v['nodes'])}) — "
                + "; ".join(str(n["target"][0]) for n in v["nodes"][:3])
                for nombre, incompletos in self.incompletos.items()
                for v in incompletos
            )
        )


def test_paginas_principales_sin_violaciones_graves(page, live_server, demo, axe, tmp_path):
    url = live_server.url
    borrador = fu.borrador(titulo="Equipo para ventanillas")
    admision = fu.presentada(titulo="Conmutadores de red", areas=("redes",))
    revision = fu.admitida(titulo="Firewall perimetral", areas=("seguridad",))
    estrategica = en_revision_estrategica(titulo="Servidores", area="infraestructura")
    firma = en_firma(titulo="Licencias de correo", area="software")
    dictamen = dictaminada(titulo="Computadoras de escritorio")
    pdf = tmp_path / "dictamen.pdf"
    pdf.write_bytes(integridad.dictamen_pdf_leer(dictamen=dictamen))

    escaneo = Escaneo(page, axe)

    def foto(archivo):
        """For a person to look at (test-results/ is ignored by git)."""
        page.screenshot(path=str(RESULTADOS / archivo), full_page=True)

    def ver(nombre, ruta, *, propia=True, status=200):
        respuesta = page.goto(f"{url}{ruta}")
        # The page itself, not an error page in its place.
        assert respuesta.status == status, f"{nombre}: {ruta} respondió {respuesta.status}"
        escaneo.revisar(nombre, propia=propia)

    # Anonymous citizen.
    sesion_de(page, live_server, None)
    ver("inicio (público)", "/")
    ver("iniciar sesión", "/cuentas/login/")
    ver("registro público", "/registro/")
    ver("verificar (formulario)", "/verificar/")
    ver("verificar por folio", f"/verificar/{dictamen.folio}/")
    page.goto(f"{url}/verificar/")
    page.get_by_label("PDF del dictamen").set_input_files(str(pdf))
    enviar(page.get_by_role("button", name="Verificar", exact=True))
    escaneo.revisar("verificar (resultado del PDF)")
    page.goto(f"{url}/cuentas/login/")
    page.get_by_label("Usuario").fill("mesa")
    page.get_by_label("Contraseña").fill("no-es-la-contrasena")
    enviar(page.get_by_role("button", name="Entrar"))
    escaneo.revisar("iniciar sesión (error)")
    ver("página no encontrada (404)", "/no-existe/", status=404)
    ver("restablecer contraseña", "/cuentas/password_reset/")
    ver("datos abiertos", "/datos-abiertos/")
    ver("contrataciones abiertas (OCDS)", "/datos-abiertos/ocds/")
    ver("estándares: catálogo", "/estandares/")
    ver("estándares: comparar", "/estandares/comparar/")
    page.goto(f"{url}/estandares/")
    enviar(page.locator("main a[href*='/ediciones/']").first)
    escaneo.revisar("estándares: categoría")
    ver("autoevaluación", "/estandares/autoevaluacion/")
    perfil = fu.perfil_de_area("computo")
    ver("autoevaluación (perfil)", f"/estandares/autoevaluacion/?perfil={perfil.pk}")
    enviar(page.get_by_role("button", name="Evaluar"))
    escaneo.revisar("autoevaluación (veredicto)")
    foto("a11y_autoevaluacion_veredicto.png")
    ver("API: documentación (Swagger)", "/api/v1/docs/", propia=False)

    for rol in (
        "requirente.sh",
        "mesa",
        "revisor.redes",
        "estrategico",
        "firmante",
        "auditor",
        "admin",
    ):
        sesion_de(page, live_server, rol)
        ver(f"inicio ({rol})", "/")

    sesion_de(page, live_server, "requirente.sh")
    ver("solicitudes: lista (requirente)", "/solicitudes/")
    ver("solicitud: nueva", "/solicitudes/nueva/")
    ver("solicitud: borrador", f"/solicitudes/{borrador.pk}/")
    ver("partida: nueva", f"/solicitudes/{borrador.pk}/partidas/nueva/")
    ver(
        "partida: especificaciones",
        f"/solicitudes/{borrador.pk}/partidas/nueva/?perfil={perfil.pk}",
    )
    foto("a11y_partida_especificaciones.png")
    ver("solicitud: dictaminada (requirente)", f"/solicitudes/{dictamen.solicitud_id}/")
    ver("planeación: programa", "/planeacion/programa/")
    ver("planeación: línea nueva", "/planeacion/programa/lineas/nueva/")
    ver("sin permiso (403)", "/indicadores/", status=403)
    page.goto(f"{url}/solicitudes/nueva/")
    enviar(page.get_by_role("button", name="Guardar"))
    escaneo.revisar("solicitud: nueva (con errores)")
    foto("a11y_solicitud_con_errores.png")

    sesion_de(page, live_server, "mesa")
    ver("solicitud: admisión", f"/solicitudes/{admision.pk}/")
    ver("bandeja: mis tareas", "/flujos/workflow/inbox/")
    ver("bandeja: por tomar", "/flujos/workflow/queue/")
    ver("bandeja: concluidas", "/flujos/workflow/archive/")
    ver("suplencias", "/solicitudes/suplencias/")

    sesion_de(page, live_server, "revisor.seguridad")
    ver("solicitud: revisión técnica", f"/solicitudes/{revision.pk}/")
    sesion_de(page, live_server, "estrategico")
    ver("solicitud: revisión estratégica", f"/solicitudes/{estrategica.pk}/")
    ver("planeación: consolidación", "/planeacion/consolidacion/")
    sesion_de(page, live_server, "firmante")
    ver("solicitud: firma", f"/solicitudes/{firma.pk}/")
    ver("segundo factor (activar)", "/cuentas/segundo-factor/")
    ver("código de verificación", "/cuentas/codigo/")
    ver("cambiar contraseña", "/cuentas/password_change/")

    sesion_de(page, live_server, "auditor")
    ver("solicitudes: lista (auditor)", "/solicitudes/")
    ver("solicitud: dictaminada (auditor)", f"/solicitudes/{dictamen.solicitud_id}/")
    ver("indicadores", "/indicadores/")
    foto("a11y_indicadores.png")

    sesion_de(page, live_server, "admin")
    ver("planeación: pronóstico", "/planeacion/pronostico/")
    ver("planeación: contratos señalados", "/planeacion/contratos/")
    ver("admin: índice", "/admin/", propia=False)
    ver("admin: días inhábiles", "/admin/dictamenes/diainhabil/", propia=False)
    ver("días inhábiles", "/cuentas/dias-inhabiles/")

    tabla = escaneo.tabla()
    print("\nViolaciones de accesibilidad (axe-core) por página, en nodos:\n" + tabla)
    print(escaneo.detalle())
    (RESULTADOS / "accesibilidad.txt").write_text(tabla + "\n\n" + escaneo.detalle() + "\n")
    graves = escaneo.graves()
    assert not graves, "Violaciones graves o críticas:\n" + "\n".join(graves)


def test_datos_abiertos_nombra_cada_region_una_vez(page, live_server, demo, axe):
    """Issue 47: on /datos-abiertos/ the data dictionary of each dataset was a region named
    «Tabla: Diccionario de datos», the same name twice (axe: landmark-unique, of moderate
    impact, which the scan above counts but does not assert). Each names its dataset now."""
    page.goto(f"{live_server.url}/datos-abiertos/")
    antes = len(page.rechazos_csp)
    resultado = axe.run(page)
    del page.rechazos_csp[antes:]
    assert "landmark-unique" in {r["id"] for r in resultado.response["passes"]}
    assert [v["id"] for v in resultado.response["violations"]] == []
    nombres = page.locator("[role=region]").evaluate_all(
        "regiones => regiones.map(r => r.getAttribute('aria-label'))"
    )
    assert len(nombres) >= 2 and len(set(nombres)) == len(nombres), nombres
