"""The query parameters of every list page, fuzzed (issue 18, finding 4).

`?monto_max=NaN` or `?monto_min=Infinity` on /solicitudes/ answered 500, and later were
silently ignored. Now every numeric parameter of every list (pages and API) accepts only a
number written with the digits 0-9 that a column holds, or answers 400 with the Spanish
message; nothing answers 5xx.

Each page's parameters are read from what the page itself reads them with (its FilterSet or
form, or the viewflow and DRF view's filterset and paginator), so a parameter added there is
fuzzed here without touching this file. Every URL without arguments must be listed, either
with its parameters or among those that read none: a new page fails
test_cada_pagina_sin_argumentos_esta_en_la_tabla until someone decides.

Values: a fixed list (NaN, Infinity, 1e309, huge numbers, signs, digits of other scripts,
empty, very long, control and direction characters, raw bytes that are not UTF-8) for each
parameter, and hypothesis-generated combinations of all of a page's parameters at once, as an
internal user, a requirente, the administrator and (on public pages) anonymous. The internal
user sends the whole list to every parameter under `make pruebas-profundas`, and a covering of
it under `make test` (barrido_completo says what each run covers).
"""

import io
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django import forms
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dictamenes.capacidad.filtros import PruebaForm
from dictamenes.consola.forms.entes import ParametrosEntes
from dictamenes.senales.filtros import ParametrosSenales
from dictamenes.tramite.filtros import (
    ListaSolicitudesFilter,
    ParametrosIndicadores,
    ParametrosRegistro,
)
from estandares import entradas
from estandares.forms import ParametrosAutoevaluacion, ParametrosComparar
from tests.dictamenes.flujo_utils import borrador, en_firma, firmar, presentada, usuario
from tests.perfiles import PERFIL, ejemplos
from tests.por_modulo import llaves_comprobar

pytestmark = pytest.mark.django_db

# --- Where each page's parameters come from ---------------------------------------------------


class ParametrosRoles(forms.Form):
    """What cuentas:roles reads today by hand (request.GET): the search and the page."""

    q = entradas.TextoCortoField(max_length=100, required=False)
    p = entradas.PaginaField()


# Function views: the class each one reads its query string with.
DE_FUNCIONES = {
    "solicitudes:lista": ListaSolicitudesFilter,
    "indicadores": ParametrosIndicadores,
    "registro": ParametrosRegistro,
    "estandares:comparar": ParametrosComparar,
    "estandares:autoevaluacion": ParametrosAutoevaluacion,
    "cuentas:roles": ParametrosRoles,
    "cuentas:entes": ParametrosEntes,
    "capacidad:cierre": PruebaForm,
    # The auditor's list of signs and its CSV read the same query string (issue 80).
    "senales:lista": ParametrosSenales,
    "senales:lista_csv": ParametrosSenales,
}
# Pages that read no query parameter of their own (a library's, at most: the schema's
# ?format=, the login's ?next=, which is checked by Django's url_has_allowed_host_and_scheme).
SIN_PARAMETROS = {
    "inicio",
    "salud_vivo",
    "salud_listo",
    "metricas",
    "cuentas:segundo_factor",
    "cuentas:codigo",
    "cuentas:cambios",
    "cuentas:areas",
    "cuentas:institucion",
    "cuentas:vias",
    "cuentas:sistema",
    "cuentas:ausencias",
    "cuentas:motivos",
    "cuentas:dias_inhabiles",
    "cuentas:ediciones",
    "login",
    "logout",
    "acceso_pendiente",
    "llave_login",
    "llave_callback",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "index",
    "workflow:index",
    "workflow:tasks_assign",
    "workflow:tasks_unassign",
    "workflow:flows:index",
    "workflow:flows:dictamen:index",
    "workflow:flows:dictamen:chart",
    "estandares:catalogo",
    "solicitudes:nueva",
    "solicitudes:suplencias",
    "planeacion:programa",
    "planeacion:consolidacion",
    "planeacion:pronostico",
    "planeacion:contratos",
    "planeacion:condiciones",
    "planeacion:linea_nueva",
    "capacidad:cierre_csv",
    "tramite",
    "datos_abiertos",
    "datos_csv",
    "datos_json",
    "datos_partidas_csv",
    "datos_partidas_json",
    "datos_precios_json",
    "datos_dcat",
    "datos_catalogo",
    "datos_dcat_ttl",
    "datos_dcat_rdf",
    "datos_paquete",
    "ocds_indice",
    "verificar",
    "manual",
    "api:api-root",
    "api:indicadores",
    "api:esquema",
    "api:docs",
}
# The administrator opens the page of people and roles, which no other role does.
ROLES = {
    "interno": "auditor",
    "requirente": "requirente.sh",
    "administrador": "admin",
    "anonimo": None,
}

# The kinds of number, and what a well-formed one is: written here from the rule, not taken
# from the code that applies it.
ENTERO, MONTO, PAGINA = "entero", "monto", "pagina"
MAYOR_ENTERO = 2**63 - 1


def bien_formado(tipo: str, valor: str) -> bool:
    # Read without the spaces around it (any Unicode space, as a form field strips).
    valor = valor.strip()
    if valor == "":
        return True
    if tipo == PAGINA and valor == "last":
        return True
    if tipo == MONTO:
        return re.fullmatch(r"[0-9]{1,12}(\.[0-9]{0,2})?", valor, re.ASCII) is not None
    if not re.fullmatch(r"[0-9]+", valor, re.ASCII):
        return False
    if len(valor.lstrip("0")) > len(str(MAYOR_ENTERO)) or int(valor) > MAYOR_ENTERO:
        return False
    return tipo != PAGINA or int(valor) >= 1


MENSAJES = {
    ENTERO: (entradas.ERROR_ENTERO, entradas.ERROR_ENTERO_GRANDE),
    MONTO: (entradas.ERROR_MONTO,),
    PAGINA: (entradas.ERROR_PAGINA,),
}


def tipo_de(campo: forms.Field) -> str | None:
    """The kind of number a field reads, or None for a text or a choice."""
    if isinstance(campo, entradas.PaginaField):
        return PAGINA
    if isinstance(campo, entradas.MontoField):
        return MONTO
    # Django's DecimalField and FloatField are IntegerFields too.
    if isinstance(campo, entradas.EnteroField | forms.IntegerField):
        return ENTERO
    # An object chosen by its number.
    if isinstance(campo, forms.ModelChoiceField) and isinstance(
        campo.queryset.model._meta.pk, models.IntegerField
    ):
        return ENTERO
    return None


def _campos(clase) -> dict[str, forms.Field]:
    if clase is None:
        return {}
    if hasattr(clase, "base_filters"):  # a django-filter FilterSet
        return {nombre: filtro.field for nombre, filtro in clase.base_filters.items()}
    return dict(clase.base_fields)


@dataclass(frozen=True)
class Pagina:
    nombre: str
    url: str
    parametros: dict  # name → kind of number (ENTERO, MONTO, PAGINA) or None
    es_api: bool


def parametros_de(nombre: str, url: str) -> tuple[dict, bool]:
    """The parameters a page reads and whether it is the API, from the view itself."""
    vista = resolve(url).func
    if nombre in DE_FUNCIONES:
        campos = _campos(DE_FUNCIONES[nombre])
        return {n: tipo_de(c) for n, c in campos.items()}, False
    drf = getattr(vista, "cls", None)
    if drf is not None:
        parametros = {
            n: tipo_de(c) for n, c in _campos(getattr(drf, "filterset_class", None)).items()
        }
        paginador = getattr(drf, "pagination_class", None)
        if paginador is not None and getattr(paginador, "page_query_param", None):
            parametros[paginador.page_query_param] = PAGINA
        return parametros, True
    clase = getattr(vista, "view_class", None)
    if clase is None:
        raise AssertionError(f"{nombre}: no se sabe con qué lee su consulta")
    iniciales = getattr(vista, "view_initkwargs", {}) or {}
    filtros = iniciales.get("filterset_class") or getattr(clase, "filterset_class", None)
    parametros = {n: tipo_de(c) for n, c in _campos(filtros).items()}
    if iniciales.get("paginate_by") or getattr(clase, "paginate_by", None):
        parametros[getattr(clase, "page_kwarg", "page")] = PAGINA
    return parametros, False


def _sin_argumentos(patrones=None, prefijo="", espacio=""):
    """(name, path) of every URL without arguments, outside the admin."""
    for patron in get_resolver().url_patterns if patrones is None else patrones:
        if isinstance(patron, URLResolver):
            nombre = espacio + (f"{patron.namespace}:" if patron.namespace else "")
            if str(patron.pattern).startswith("admin/"):
                continue
            yield from _sin_argumentos(patron.url_patterns, prefijo + str(patron.pattern), nombre)
        elif isinstance(patron, URLPattern) and patron.name and not patron.pattern.regex.groups:
            yield espacio + patron.name


def paginas() -> list[Pagina]:
    resultado = []
    for nombre in sorted(set(_sin_argumentos())):
        if nombre in SIN_PARAMETROS:
            continue
        url = reverse(nombre)
        parametros, es_api = parametros_de(nombre, url)
        if parametros:
            resultado.append(Pagina(nombre, url, parametros, es_api))
    return resultado


def test_cada_pagina_sin_argumentos_esta_en_la_tabla():
    """A new page without arguments either reads its query string with a declared class (its
    FilterSet or form, found here by itself) or is listed as reading none."""
    sin_decidir = []
    for nombre in sorted(set(_sin_argumentos())):
        if nombre in SIN_PARAMETROS:
            continue
        parametros, _ = parametros_de(nombre, reverse(nombre))
        if not parametros:
            sin_decidir.append(nombre)
    assert sin_decidir == [], "páginas sin parámetros declarados ni en SIN_PARAMETROS"
    assert not (set(DE_FUNCIONES) | SIN_PARAMETROS) - set(_sin_argumentos()), "nombres viejos"


# --- The world ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mundo(django_db_setup, django_db_blocker):
    """Requests in several states and a signed dictamen, so that every filter reaches the
    database; rolled back when the module ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("cargar_demo", "--sin-solicitudes", stdout=io.StringIO())
        borrador(titulo="Borrador de cómputo")
        presentada(areas=("redes",), titulo="Switches")
        firmar(en_firma(areas=("computo",)))
        clientes = {}
        for rol, username in ROLES.items():
            cliente = Client(raise_request_exception=False)
            if username:
                cliente.force_login(usuario(username))
            clientes[rol] = cliente
        llaves_comprobar()
        yield clientes
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def bases(mundo) -> dict:
    """What each role gets on each page without parameters, asked once for the module: both
    sweeps compare with it, over the same world (each test rolls back what it does)."""
    return {}


def base_de(mundo, bases, pagina, rol) -> int:
    if (pagina.nombre, rol) not in bases:
        bases[pagina.nombre, rol] = pedir(mundo[rol], pagina.url, "").status_code
    return bases[pagina.nombre, rol]


CUENTA = Counter()


def pedir(cliente, url: str, consulta: str):
    respuesta = cliente.get(f"{url}?{consulta}" if consulta else url)
    CUENTA["peticiones"] += 1
    CUENTA[f"http_{respuesta.status_code}"] += 1
    return respuesta


def cuerpo(respuesta) -> str:
    if getattr(respuesta, "streaming", False):
        return ""
    return respuesta.content.decode("utf-8", errors="replace")


def comprobar(pagina: Pagina, base: int, respuesta, valores: dict[str, str], rol: str) -> None:
    """Never 5xx; a page the role cannot open answers as it does without parameters; a
    malformed number answers 400 naming the parameter with its Spanish message."""
    donde = f"{pagina.nombre} como {rol} con {valores!r}"
    assert respuesta.status_code < 500, donde
    if base != 200:
        assert respuesta.status_code == base, donde
        return
    malos = {
        nombre: tipo
        for nombre, tipo in pagina.parametros.items()
        if tipo and nombre in valores and not bien_formado(tipo, valores[nombre])
    }
    if not malos:
        return
    assert respuesta.status_code == 400, donde
    texto = cuerpo(respuesta)
    if pagina.es_api:
        # DRF stops at the first stage that fails (the filters, then the page): at least one
        # parameter sent is named, each with its messages in Spanish.
        errores = respuesta.json()
        assert set(errores) & set(valores), donde
        for nombre, tipo in malos.items():
            if nombre in errores:
                assert any(str(m) in errores[nombre] for m in MENSAJES[tipo]), donde
        return
    for tipo in malos.values():
        assert any(escape(str(m)) in texto for m in MENSAJES[tipo]), donde


# Values for every parameter, one at a time.
VALORES = [
    *("NaN", "nan", "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "∞", "1e309", "-1e400"),
    *("1e3", "1E-5", "-1", "+1", "0", "1", "2026", "1.5", "12.50", "1.999", "1.", ".5", "-0"),
    *("١٢", "１２", "½", "²", "0x10", "0b1", "12abc", "12,5", "1_000", "$100", " 12 ", "\t7\n"),
    *("", " ", "last", "9" * 19, "9" * 30, "9" * 5000, "a" * 10_000, "1" * 13 + ".00"),
    *("\x00", "\x01", "1\x1b[31m", "1\u202e2", "\u2066" + "12", "12\u200f", "1\u20282"),
    *("<script>alert(1)</script>", "' OR 1=1 --", "%", "_", "\\"),
]
# Bytes that are not UTF-8 (a lone surrogate, an overlong "/"), sent raw.
CRUDOS = ["%ED%A0%80", "%FF", "%C0%AF", "%00", "%2e%2e%2f"]
# The same values by the way they are hostile, each in one class (test_las_clases_reparten_los_
# valores): the sweep under `make test` sends each parameter at least one of each class.
CLASES = {
    "nan": ("NaN", "nan", "-NaN", "sNaN"),
    "infinito": ("Infinity", "-Infinity", "inf", "∞"),
    "exponente": ("1e309", "-1e400", "1e3", "1E-5"),
    "signo": ("-1", "+1", "-0"),
    "corriente": ("0", "1", "2026"),
    "decimales": ("1.5", "12.50", "1.999", "1.", ".5"),
    "otras_cifras": ("١٢", "１２", "½", "²"),
    "otra_notacion": ("0x10", "0b1", "12abc", "12,5", "1_000", "$100"),
    "espacios": (" 12 ", "\t7\n", "", " "),
    "ultima": ("last",),
    "enormes": ("9" * 19, "9" * 30, "9" * 5000, "a" * 10_000, "1" * 13 + ".00"),
    "control": ("\x00", "\x01", "1\x1b[31m"),
    "direccion": ("1\u202e2", "\u2066" + "12", "12\u200f", "1\u20282"),
    "inyeccion": ("<script>alert(1)</script>", "' OR 1=1 --", "%", "_", "\\"),
}


# Sent whole to every parameter in both runs: control characters, a NUL written and raw (a NUL
# that reached PostgreSQL through a text filter answered 500: test_fuzzing_api's findings).
A_CADA_PARAMETRO = ("control",)
A_CADA_PARAMETRO_CRUDOS = ("%00",)


def barrido_completo(pagina: Pagina) -> dict[str, tuple[list, list]]:
    """What the Subsecretaría's staff sends each parameter of the page: (values, raw bytes).

    Under `make pruebas-profundas` (HYPOTHESIS_PROFILE=profundo): the whole product, every
    value of VALORES and every raw string of CRUDOS to every parameter. Under `make test` (the
    `ci` profile), a covering of that product (3,136 of its 5,220 requests today):
    - each page gets every value and every raw string through each kind of parameter it has
      (whole number, amount, page, and text or choice): a kind's values are dealt in turn among
      the page's parameters of that kind, so a page with one parameter of a kind (most pages)
      still sends it the whole list;
    - each parameter gets at least one value of every class of CLASES, the one of its turn (by
      the page's and the parameter's name, so the values of a class are spread over the
      parameters), and every control character and the raw NUL (A_CADA_PARAMETRO).
    What only the profound run sends: a value to a second parameter of the same kind on the
    same page (`ente` and `ejercicio` are read by the same kind of field; «1e309» goes to one
    of them). A page that answers 500, or accepts a malformed number, for a class of values
    on one parameter is caught under `make test`; one that fails only for one value of a
    class, on one parameter that shares its kind with another of its page, may wait for the
    nightly run."""
    if PERFIL == "profundo":
        return {nombre: (list(VALORES), list(CRUDOS)) for nombre in pagina.parametros}
    por_tipo: dict = {}
    for nombre, tipo in pagina.parametros.items():
        por_tipo.setdefault(tipo, []).append(nombre)
    elegidos = {nombre: ([], []) for nombre in pagina.parametros}
    for nombres in por_tipo.values():
        for i, valor in enumerate(VALORES):
            elegidos[nombres[i % len(nombres)]][0].append(valor)
        for i, crudo in enumerate(CRUDOS):
            elegidos[nombres[i % len(nombres)]][1].append(crudo)
    for nombre, (valores, crudos) in elegidos.items():
        turno = zlib.crc32(f"{pagina.nombre}:{nombre}".encode())
        for clase, de_la_clase in CLASES.items():
            if clase in A_CADA_PARAMETRO:
                valores.extend(v for v in de_la_clase if v not in valores)
            elif not set(de_la_clase) & set(valores):
                valores.append(de_la_clase[turno % len(de_la_clase)])
        crudos.extend(c for c in A_CADA_PARAMETRO_CRUDOS if c not in crudos)
        if not crudos:
            crudos.append(CRUDOS[turno % len(CRUDOS)])
    return elegidos


def _todas():
    return paginas()


@pytest.mark.parametrize("pagina", _todas(), ids=lambda p: p.nombre)
def test_cada_parametro_con_valores_hostiles(mundo, bases, pagina):
    completo = barrido_completo(pagina)
    for rol, cliente in mundo.items():
        base = base_de(mundo, bases, pagina, rol)
        for nombre in pagina.parametros:
            # The hostile values as the Subsecretaría's staff (barrido_completo: all of them to
            # every parameter in the nightly run, a covering in make test); the others read the
            # same parameters with the same code, so one value in four, and a page the role
            # cannot open, three.
            if base != 200:
                valores, crudos = VALORES[:3], CRUDOS[:1]
            elif rol != "interno":
                valores, crudos = VALORES[::4], CRUDOS[:2]
            else:
                valores, crudos = completo[nombre]
            for valor in valores:
                consulta = f"{quote(nombre)}={quote(valor)}"
                respuesta = pedir(cliente, pagina.url, consulta)
                comprobar(pagina, base, respuesta, {nombre: valor}, rol)
            for crudo in crudos:
                respuesta = pedir(cliente, pagina.url, f"{quote(nombre)}={crudo}")
                assert respuesta.status_code < 500, (pagina.nombre, rol, nombre, crudo)


def test_las_clases_reparten_los_valores():
    """CLASES holds every value of VALORES once; under make test every page still gets every
    value and raw string through each kind of parameter it has, and every parameter one value
    of every class (barrido_completo)."""
    en_clases = [valor for clase in CLASES.values() for valor in clase]
    assert sorted(en_clases) == sorted(VALORES) and len(set(VALORES)) == len(VALORES)
    for pagina in _todas():
        completo = barrido_completo(pagina)
        assert set(completo) == set(pagina.parametros)
        for tipo in set(pagina.parametros.values()):
            mismos = [n for n, t in pagina.parametros.items() if t == tipo]
            assert {v for n in mismos for v in completo[n][0]} == set(VALORES), pagina.nombre
            assert {c for n in mismos for c in completo[n][1]} == set(CRUDOS), pagina.nombre
        for nombre, (valores, crudos) in completo.items():
            assert set(A_CADA_PARAMETRO_CRUDOS) <= set(crudos), (pagina.nombre, nombre)
            for clase, de_la_clase in CLASES.items():
                assert set(de_la_clase) & set(valores), (pagina.nombre, nombre, clase)
            for clase in A_CADA_PARAMETRO:
                assert set(CLASES[clase]) <= set(valores), (pagina.nombre, nombre, clase)
            assert len(valores) == len(set(valores)), (pagina.nombre, nombre)


def test_el_hallazgo_nan_en_solicitudes(mundo):
    """The finding itself: NaN and Infinity on /solicitudes/ as the Subsecretaría's staff."""
    for consulta in ("monto_max=NaN", "monto_min=Infinity"):
        respuesta = pedir(mundo["interno"], reverse("solicitudes:lista"), consulta)
        assert respuesta.status_code == 400, consulta
        html = cuerpo(respuesta)
        assert escape(str(entradas.ERROR_MONTO)) in html
        assert "Monto" in html


def test_el_hallazgo_nan_en_la_api(mundo):
    respuesta = pedir(mundo["interno"], "/api/v1/solicitudes/", "monto_max=NaN&monto_min=1e309")
    assert respuesta.status_code == 400
    assert respuesta.json() == {
        "monto_min": [str(entradas.ERROR_MONTO)],
        "monto_max": [str(entradas.ERROR_MONTO)],
    }


# --- Generated: every parameter of a page at once ----------------------------------------------

TEXTO = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NUMERICO = st.from_regex(r"\A[-+ ]?[0-9٠-٩０-９]{0,25}([.,][0-9]{0,4})?([eE][-+]?[0-9]{1,4})?\Z")
VALOR = st.one_of(st.sampled_from(VALORES), TEXTO, NUMERICO)


@pytest.mark.parametrize("pagina", _todas(), ids=lambda p: p.nombre)
def test_combinaciones_generadas(mundo, bases, pagina):
    nombres = sorted(pagina.parametros)
    base = {rol: base_de(mundo, bases, pagina, rol) for rol in mundo}

    @settings(
        max_examples=ejemplos(25),
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        rol=st.sampled_from(sorted(mundo)),
        valores=st.fixed_dictionaries({}, optional=dict.fromkeys(nombres, VALOR)),
    )
    def caso(rol, valores):
        consulta = "&".join(f"{quote(n)}={quote(v)}" for n, v in valores.items())
        respuesta = pedir(mundo[rol], pagina.url, consulta)
        comprobar(pagina, base[rol], respuesta, valores, rol)

    caso()


def test_resumen():
    """The figures of the run, for the closing note (the order of the tests puts this last)."""
    print(f"\nparámetros de listas: {dict(CUENTA)}")
