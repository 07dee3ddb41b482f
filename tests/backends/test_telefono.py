"""A phone is a first-class screen: every page of the access table that answers 200 to some
role, opened as that role in a 390 × 844 viewport, fits the screen's width
(document.documentElement.scrollWidth ≤ 390: nothing scrolls sideways but a table inside its
own box), shows its primary action inside the viewport, and offers no tap target under 24 × 24 px
(radios, checkboxes, buttons, selects, the links of a table).

The pages, their URLs and their users are the access matrix's (tests/seguridad: tabla_acceso.txt,
matriz.RUTAS, the same world of requests in every state). Each page is opened once, as the first
role of the table that gets it, except the pages each role sees its own way (home, lists, a
request), opened as one role of each kind (the two requirentes answer alike, and so do the five
area reviewers); plus the request's page in each state as the person who acts on it. One browser
context per role.

The primary action of a page: the elements marked `data-accion-principal` inside <main>, or, on
a page without a mark, its first visible `.boton` that is not secondary (`--secundario`,
`--claro`). Downloads (CSV, JSON, PDF, ZIP) are not pages and are counted apart."""

import os
import re
import shutil
import time

import pytest
from playwright.sync_api import Error as ErrorDePlaywright
from playwright.sync_api import expect

from tests.backends.navegador import en_hilo, sesion_de
from tests.backends.test_browser import RESULTADOS
from tests.dictamenes import flujo_utils as fu
from tests.seguridad import matriz, tabla
from tests.seguridad.conftest import USUARIOS, _construir
from tests.seguridad.recorrido import patrones, url_de

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANCHO, ALTO = 390, 844
CAPTURAS = RESULTADOS / "telefono"

# Pages whose content is each role's own (its home, its lists, a request as each one sees it):
# opened as one role of each kind that gets them. Every other page is opened once, as the first
# role of the table that gets it (anonymous first: the public pages).
POR_ROL = {"inicio", "solicitudes:lista", "solicitudes:detalle", "workflow:inbox", "workflow:queue"}
# One role speaks for its group: the requirentes of two agencies, and the five area reviewers,
# see those pages alike.
GRUPOS = (matriz.REQUIRENTES, matriz.REVISORES)

# The request's page in each state, as the person who acts on it (or reads it then).
DETALLES = (
    ("borrador", "requirente_a"),
    ("presentada", "mesa"),
    ("revision", "revisor_redes"),
    ("estrategica", "estrategico"),
    ("firma", "firmante"),
    ("emitida", "requirente_a"),
    ("emitida", "revisor_software"),
    ("prevenida", "requirente_a"),
    ("desechada", "requirente_a"),
    ("devuelta", "revisor_infraestructura"),
)

# What the page measures of itself: its width, and what sticks out of the screen (the
# outermost elements past the right edge that no scrolling box of their own holds).
MEDIR = """(ancho) => {
  const enCaja = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return true;
    }
    return false;
  };
  const salen = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > ancho + 0.5 && !enCaja(el)) {
      const padre = el.parentElement;
      if (padre && padre !== document.body && padre.getBoundingClientRect().right > ancho + 0.5
          && !enCaja(padre)) continue;
      const nombre = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.classList.length ? "." + [...el.classList].join(".") : "");
      salen.push(`${nombre} (${Math.round(r.left)}–${Math.round(r.right)})`);
    }
  }
  const main = document.querySelector("main");
  const visible = (el) => el.getClientRects().length > 0;
  const marcadas = main ? main.querySelectorAll("[data-accion-principal]") : [];
  let principales = [...marcadas].filter(visible);
  if (!principales.length && main) {
    const primero = [...main.querySelectorAll(".boton")].find(
      (b) => visible(b) && !b.matches(".boton--secundario, .boton--claro"));
    principales = primero ? [primero] : [];
  }
  // Tap targets under 24 × 24 px on our own pages (the admin and the API docs are not ours).
  const propios = document.querySelector("header.encabezado") ? document.querySelectorAll(
    "input[type=radio], input[type=checkbox], button, .boton, select, summary, .tabla a") : [];
  const pequenos = [...propios].filter(visible).map((el) => [el, el.getBoundingClientRect()])
    .filter(([, r]) => r.width < 23.5 || r.height < 23.5)
    .map(([el, r]) => `${el.tagName.toLowerCase()} «${(el.innerText || el.name || "").trim()
      .slice(0, 30)}» ${Math.round(r.width)}×${Math.round(r.height)}`);
  return {
    ancho: document.documentElement.scrollWidth,
    pequenos: pequenos.slice(0, 6),
    salen: salen.slice(0, 6),
    principales: principales.map((b) => {
      const r = b.getBoundingClientRect();
      return {texto: (b.innerText || b.value || "").trim().slice(0, 40),
              izquierda: Math.round(r.left), derecha: Math.round(r.right)};
    }),
  };
}"""


def _representantes(respuestas: dict) -> list[str]:
    roles = [r for r in matriz.ROLES if respuestas.get(r) == 200]
    for grupo in GRUPOS:
        primero = next((r for r in roles if r in grupo), None)
        roles = [r for r in roles if r not in grupo or r == primero]
    return roles


def paginas(mundo) -> list[tuple[str, str, str]]:
    """(name, URL, role) of every page to open."""
    escritas = tabla.leer()
    lista = []
    for patron in patrones():
        get = escritas[(patron.clave, patron.ruta)].get
        if not get or 200 not in get.values():
            continue
        ruta = matriz.RUTAS.get(patron.clave)
        url = url_de(patron, mundo, ruta.params if ruta else None)
        roles = _representantes(get)
        lista += [
            (patron.clave, url, rol) for rol in (roles if patron.clave in POR_ROL else roles[:1])
        ]
    for estado, rol in DETALLES:
        lista.append((f"solicitudes:detalle ({estado})", f"/solicitudes/{mundo.ids[estado]}/", rol))
    return list(dict.fromkeys(lista))


def test_cada_pagina_cabe_en_un_telefono(browser, live_server):
    inicio = time.monotonic()
    mundo = en_hilo(_construir)
    construido = time.monotonic() - inicio
    # TELEFONO_CAPTURAS=1: a full-page screenshot of every page, for a person to look at.
    capturas = bool(os.environ.get("TELEFONO_CAPTURAS"))
    if capturas:
        shutil.rmtree(CAPTURAS, ignore_errors=True)
        CAPTURAS.mkdir(parents=True)
    lista = paginas(mundo)
    por_rol: dict[str, list] = {}
    for nombre, url, rol in lista:
        por_rol.setdefault(rol, []).append((nombre, url))

    abiertas, descargas, fallas, sin_principal, anchos = 0, 0, [], [], []
    for rol, del_rol in por_rol.items():
        contexto = browser.new_context(
            locale="es-MX", viewport={"width": ANCHO, "height": ALTO}, is_mobile=True
        )
        cliente = mundo.clientes[rol]
        if USUARIOS[rol]:
            contexto.add_cookies(
                [
                    {"name": nombre, "value": galleta.value, "url": live_server.url}
                    for nombre, galleta in cliente.cookies.items()
                ]
            )
        page = contexto.new_page()
        for nombre, url in del_rol:
            # Downloads (a PDF, a ZIP, a CSV) and data (JSON) are not laid out on a screen.
            try:
                respuesta = page.goto(f"{live_server.url}{url}")
            except ErrorDePlaywright as exc:
                assert "Download is starting" in str(exc), f"{nombre} ({rol}): {url}: {exc}"
                descargas += 1
                continue
            assert respuesta.status == 200, f"{nombre} ({rol}): {url} → {respuesta.status}"
            if not respuesta.headers.get("content-type", "").startswith("text/html"):
                descargas += 1
                continue
            abiertas += 1
            medida = page.evaluate(MEDIR, ANCHO)
            anchos.append(f"{medida['ancho']:>5}  {nombre} ({rol}) {url}")
            if capturas:
                nombre_archivo = re.sub(r"[^\w()-]+", "_", f"{nombre}__{rol}")
                page.screenshot(path=str(CAPTURAS / f"{nombre_archivo}.png"), full_page=True)
            if medida["ancho"] > ANCHO:
                fallas.append(
                    f"{nombre} ({rol}) {url}: scrollWidth {medida['ancho']}; "
                    f"salen: {', '.join(medida['salen'])}"
                )
            if medida["pequenos"]:
                fallas.append(
                    f"{nombre} ({rol}) {url}: menos de 24 × 24 px: {', '.join(medida['pequenos'])}"
                )
            for b in medida["principales"]:
                if b["izquierda"] < 0 or b["derecha"] > ANCHO:
                    fallas.append(
                        f"{nombre} ({rol}) {url}: la acción principal «{b['texto']}» "
                        f"está en x = {b['izquierda']}–{b['derecha']}"
                    )
            if not medida["principales"]:
                sin_principal.append(nombre)
        contexto.close()

    segundos = time.monotonic() - inicio
    print(
        f"\nteléfono ({ANCHO}×{ALTO}): {abiertas} páginas abiertas en {len(por_rol)} roles, "
        f"{descargas} descargas aparte, {segundos:.1f} s (el mundo: {construido:.1f} s); "
        f"{len(sin_principal)} sin acción principal"
    )
    # Every page's width, then what failed: the figures a person quotes.
    (RESULTADOS / "telefono.txt").write_text("\n".join([*anchos, "", *fallas]) + "\n")
    assert not fallas, f"{len(fallas)} páginas no caben en un teléfono:\n" + "\n".join(fallas)


def test_el_encabezado_se_pliega_en_un_telefono(browser, live_server, demo):
    """At 390 px the navigation waits behind «Menú», which opens with the keyboard and also
    without JavaScript; at 1280 px there is no «Menú» and the navigation is in view."""
    for con_js in (True, False):
        contexto = browser.new_context(
            locale="es-MX",
            viewport={"width": ANCHO, "height": ALTO},
            is_mobile=True,
            java_script_enabled=con_js,
        )
        page = contexto.new_page()
        page.goto(f"{live_server.url}/")
        principal = page.get_by_role("navigation", name="Principal")
        menu = page.locator("summary", has_text="Menú")
        expect(principal).to_be_hidden()
        # The header leaves the screen to the page: one row, not a third of it.
        alto = page.locator("header.encabezado").bounding_box()["height"]
        assert alto <= 90, f"el encabezado mide {alto} px de alto (JavaScript: {con_js})"
        menu.focus()
        page.keyboard.press("Enter")
        expect(principal.get_by_role("link", name="Dictámenes emitidos")).to_be_visible()
        sesion = page.get_by_role("navigation", name="Sesión")
        expect(sesion.get_by_role("link", name="Iniciar sesión")).to_be_visible()
        page.keyboard.press("Enter")
        expect(principal).to_be_hidden()
        contexto.close()

    contexto = browser.new_context(locale="es-MX", viewport={"width": 1280, "height": 800})
    page = contexto.new_page()
    page.goto(f"{live_server.url}/")
    expect(page.locator("summary", has_text="Menú")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Principal").get_by_role("link", name="Verificar")
    ).to_be_visible()
    contexto.close()


def test_tras_elegir_perfil_el_foco_esta_en_las_especificaciones(page, live_server, demo):
    """«Elegir perfil» reloads the page: the focus lands on what appeared (the specifications),
    and the next Tab is their first field, not the top of the page."""
    perfil = fu.perfil_de_area("computo")
    etiqueta = f"{perfil.categoria.nombre} · {perfil.nombre}"
    page.goto(f"{live_server.url}/estandares/autoevaluacion/")
    page.get_by_label("Perfil técnico").select_option(label=etiqueta)
    page.get_by_role("button", name="Elegir perfil").click()
    titulo = page.get_by_role("heading", level=2, name=f"{etiqueta.split(' · ')[0]} · perfil")
    expect(titulo).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('fieldset.requisitos') !== null"), (
        "el Tab siguiente no lleva a las especificaciones"
    )

    solicitud = fu.borrador(areas=())
    sesion_de(page, live_server, "requirente.sh")
    page.goto(f"{live_server.url}/solicitudes/{solicitud.pk}/partidas/nueva/")
    page.get_by_label("Perfil técnico").select_option(label=etiqueta)
    page.get_by_role("button", name="Elegir perfil y capturar especificaciones").click()
    especificaciones = page.get_by_role("group", name="Especificaciones (autoevaluación)")
    expect(especificaciones).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('fieldset.requisitos') !== null"), (
        "el Tab siguiente no lleva a las especificaciones"
    )
    # Saving is not choosing: after «Guardar y evaluar» with errors, nothing is moved.
    page.get_by_role("button", name="Guardar y evaluar").click()
    expect(especificaciones).not_to_be_focused()


def _contraste(a, b) -> float:
    """WCAG's contrast ratio of two sRGB colours given as (r, g, b) in 0–255."""

    def luminancia(rgb):
        c = [x / 255 for x in rgb]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    claro, oscuro = sorted((luminancia(a), luminancia(b)), reverse=True)
    return (claro + 0.05) / (oscuro + 0.05)


ANILLO = """() => {
  const rgb = (t) => t.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const el = document.activeElement;
  let fondo = el.parentElement;
  while (fondo && getComputedStyle(fondo).backgroundColor === "rgba(0, 0, 0, 0)") {
    fondo = fondo.parentElement;
  }
  const estilo = getComputedStyle(el);
  return {texto: el.innerText.trim(), estilo: estilo.outlineStyle,
          ancho: parseFloat(estilo.outlineWidth), anillo: rgb(estilo.outlineColor),
          fondo: rgb(getComputedStyle(fondo || document.body).backgroundColor)};
}"""


def test_el_anillo_de_foco_contrasta_con_su_fondo(page, live_server, demo):
    """The ring of the element reached with Tab is at least 3:1 against what it sits on: the
    header's guinda (the skip link's target aside, the first link there) and the page's white."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/registro/")
    vistos = {}
    for _ in range(12):
        page.keyboard.press("Tab")
        anillo = page.evaluate(ANILLO)
        if anillo["texto"] in ("Dictámenes TIC", "CSV"):
            vistos[anillo["texto"]] = anillo
    assert set(vistos) == {"Dictámenes TIC", "CSV"}, f"el Tab no llegó a ambos: {vistos}"
    for texto, anillo in vistos.items():
        assert anillo["estilo"] == "solid" and anillo["ancho"] >= 2, (texto, anillo)
        razon = _contraste(anillo["anillo"], anillo["fondo"])
        assert razon >= 3, (
            f"«{texto}»: anillo {anillo['anillo']} sobre {anillo['fondo']}: {razon:.2f}:1"
        )


def test_la_pagina_del_manual_sin_construir_cabe_en_un_telefono(
    browser, live_server, demo, settings, tmp_path
):
    """Where the manual is not built, its page says so with the command to build it: the
    command wraps at 390 px instead of widening the page (issue 78)."""
    settings.DICTAMENES_MANUAL_DIR = tmp_path
    contexto = browser.new_context(
        locale="es-MX", viewport={"width": ANCHO, "height": ALTO}, is_mobile=True
    )
    page = contexto.new_page()
    respuesta = page.goto(f"{live_server.url}/manual/manual/requirente/")
    assert respuesta.status == 404
    expect(page.get_by_role("heading", name="El manual no está en este servidor")).to_be_visible()
    expect(page.get_by_text("deploy/manage manual_construir")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= ANCHO
    contexto.close()
