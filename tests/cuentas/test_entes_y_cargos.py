"""Issue 59, item 4: an agency's name and a person's cargo change only with a second
administrator's approval. The admin site no longer changes either; the open data of a past
year keeps the name the agency had then; the next dictamen prints the approved cargo.

Paths that write Ente.nombre: the admin's change form (read-only now), the admin's add form
and cargar_demo (creation, through personas.ente_crear), «Entes» (asks). Paths that write
Perfil.cargo: the admin's change form (read-only now), the admin's add form, usuario_crear
(cargar_demo, the demo reviewers of a state's profile, the history generator: creation only),
«Personas y roles» (asks). Neither the API nor any command changes them on an existing row."""

import csv
import datetime
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dictamenes.models import CambioPendiente, Ente, EnteNombre, EventoAuditoria, Perfil
from dictamenes.operacion.services import configuracion
from dictamenes.organizacion.services import entes as entes_servicio
from dictamenes.personas.services import cargos as cargos_servicio
from dictamenes.personas.services import control_dual
from tests.conftest import entrar
from tests.conocidos import dictamen_registrado
from tests.conocidos import solicitud as solicitud_conocida
from tests.dictamenes.flujo_utils import decidir, firmar, revisada, usuario
from tests.publico.test_ocds import _json
from tests.publico.test_ocds_inmutables import _historica, _momento

pytestmark = pytest.mark.django_db

MOTIVO = "Decreto publicado en el Boletín Oficial"


def como(nombre) -> Client:
    cliente = Client()
    entrar(cliente, nombre)
    return cliente


def _pedir_nombre(cliente, ente, nombre):
    return cliente.post(
        reverse("cuentas:entes"), {"ente": ente.pk, "nombre": nombre, "motivo": MOTIVO}
    )


def _resolver(cliente, cambio, accion="aprobar"):
    return cliente.post(reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": accion})


def _lado_a_lado(cliente, antes: str, despues: str) -> bool:
    """«Cambios por aprobar» shows the value in force and the new one side by side."""
    pagina = cliente.get(reverse("cuentas:cambios")).content.decode()
    return (
        f'data-etiqueta="Vigente">{antes}</td><td class="cambio-valores__texto" '
        f'data-etiqueta="Con el cambio">{despues}</td>'
    ) in pagina


def _nombre_en_bd(siglas) -> str:
    # The oracle reads the row itself, not a selector of the code under test.
    return Ente.objects.values_list("nombre", flat=True).get(siglas=siglas)


def _pendiente(tipo) -> CambioPendiente:
    return CambioPendiente.objects.get(tipo=tipo, estado=CambioPendiente.Estado.PENDIENTE)


# --- The agency's name ----------------------------------------------------------------------


def test_el_admin_ya_no_cambia_el_nombre_de_un_ente(demo):
    ente = Ente.objects.get(siglas="SH")
    antes = ente.nombre
    admin = como("admin")
    pagina = admin.get(reverse("admin:dictamenes_ente_change", args=[ente.pk]))
    assert pagina.status_code == 200
    assert f'href="{reverse("cuentas:entes")}?ente={ente.pk}"' in pagina.content.decode()
    respuesta = admin.post(
        reverse("admin:dictamenes_ente_change", args=[ente.pk]),
        {"nombre": "Secretaría de Finanzas", "siglas": "SH", "tipo": ente.tipo, "activo": "on"},
    )
    assert respuesta.status_code == 302
    assert _nombre_en_bd("SH") == antes
    assert not EnteNombre.objects.exists()


def test_el_enlace_del_admin_elige_el_ente_y_lo_mal_escrito_da_400(demo):
    from estandares.entradas import ERROR_ENTERO

    ente = Ente.objects.get(siglas="SH")
    admin = como("admin")
    elegido = admin.get(reverse("cuentas:entes"), {"ente": str(ente.pk)})
    assert elegido.status_code == 200
    assert f'<option value="{ente.pk}" selected>' in elegido.content.decode()
    malo = admin.get(reverse("cuentas:entes"), {"ente": "1e309"})
    assert malo.status_code == 400
    assert str(ERROR_ENTERO) in malo.content.decode()


def test_un_ente_nuevo_del_admin_pasa_por_ente_crear(demo):
    """Creating an agency needs no approval (its requirente group has no one until a role is
    granted), but it goes through the door that makes the group and audits it."""
    respuesta = como("admin").post(
        reverse("admin:dictamenes_ente_add"),
        {"nombre": "Instituto de Prueba", "siglas": "IPRU", "tipo": "entidad", "activo": "on"},
    )
    assert respuesta.status_code == 302
    ente = Ente.objects.get(siglas="IPRU")
    grupo = Group.objects.get(name__endswith="IPRU")
    assert grupo.groupobjectpermission_set.filter(object_pk=str(ente.pk)).count() == 2
    evento = EventoAuditoria.objects.get(tipo="ente_creado", datos__siglas="IPRU")
    assert (evento.usuario.username, evento.datos["nombre"]) == ("admin", "Instituto de Prueba")


def test_pedir_y_aprobar_el_nombre_de_un_ente(demo):
    ente = Ente.objects.get(siglas="SH")
    antes = ente.nombre
    admin = como("admin")
    respuesta = _pedir_nombre(admin, ente, "  Secretaría   de Finanzas ")
    assert respuesta.status_code == 302
    assert _nombre_en_bd("SH") == antes  # nothing yet
    cambio = _pendiente(CambioPendiente.Tipo.ENTE)
    assert cambio.datos["filas"] == [
        {"campo": "Nombre", "antes": antes, "despues": "Secretaría de Finanzas", "cambia": True},
        {
            "campo": "Datos abiertos de ejercicios pasados",
            "antes": antes,
            "despues": antes,
            "cambia": False,
        },
    ]
    assert _lado_a_lado(admin, antes, "Secretaría de Finanzas")

    # Who asked may not approve it.
    propio = _resolver(admin, cambio)
    assert propio.status_code == 403
    assert str(control_dual.ERROR_APRUEBA_SU_PROPIO_CAMBIO) in propio.content.decode()
    assert _nombre_en_bd("SH") == antes

    assert _resolver(como("admin2"), cambio).status_code == 302
    assert _nombre_en_bd("SH") == "Secretaría de Finanzas"
    ayer = timezone.localdate() - datetime.timedelta(days=1)
    assert list(EnteNombre.objects.values_list("ente__siglas", "nombre", "vigente_hasta")) == [
        ("SH", antes, ayer)
    ]
    evento = EventoAuditoria.objects.get(tipo="ente_renombrado")
    assert (evento.usuario.username, evento.datos["de"], evento.datos["a"], evento.motivo) == (
        "admin",
        antes,
        "Secretaría de Finanzas",
        MOTIVO,
    )
    # The current pages show the current name.
    assert "Secretaría de Finanzas" in admin.get(reverse("cuentas:entes")).content.decode()


@pytest.mark.parametrize(
    ("nombre", "mensaje"),
    [
        ("Secretaría de Hacienda", entes_servicio.ERROR_ENTE_MISMO_NOMBRE),
        ("dirección general del registro civil", entes_servicio.ERROR_ENTE_NOMBRE_DUPLICADO),
    ],
)
def test_un_nombre_que_no_procede_se_rechaza_al_pedirlo(demo, nombre, mensaje):
    ente = Ente.objects.get(siglas="SH")
    respuesta = _pedir_nombre(como("admin"), ente, nombre)
    assert respuesta.status_code == 400
    texto = respuesta.content.decode()
    assert str(mensaje).split("«")[0] in texto
    assert not CambioPendiente.objects.filter(tipo=CambioPendiente.Tipo.ENTE).exists()


@pytest.mark.parametrize(
    "datos",
    [
        {"ente": "999999", "nombre": "Otro", "motivo": MOTIVO},
        {"ente": "x'; DROP TABLE", "nombre": "Otro", "motivo": MOTIVO},
        {"ente": "", "nombre": "", "motivo": ""},
    ],
)
def test_lo_mal_escrito_da_400_y_no_pide_nada(demo, datos):
    respuesta = como("admin").post(reverse("cuentas:entes"), datos)
    assert respuesta.status_code == 400
    assert not CambioPendiente.objects.exists()


def test_un_segundo_pedido_del_mismo_ente_espera_al_primero(demo):
    ente = Ente.objects.get(siglas="SH")
    admin = como("admin")
    assert _pedir_nombre(admin, ente, "Secretaría de Finanzas").status_code == 302
    otro = _pedir_nombre(como("admin2"), ente, "Secretaría de Hacienda y Finanzas")
    assert otro.status_code == 400
    assert "Ya hay un cambio pendiente de «Nombre del ente SH»" in otro.content.decode()
    assert CambioPendiente.objects.filter(tipo=CambioPendiente.Tipo.ENTE).count() == 1


def test_renombrado_mientras_esperaba_es_un_conflicto(demo):
    ente = Ente.objects.get(siglas="SH")
    assert _pedir_nombre(como("admin"), ente, "Secretaría de Finanzas").status_code == 302
    Ente.objects.filter(pk=ente.pk).update(nombre="Otro nombre")
    respuesta = _resolver(como("admin2"), _pendiente(CambioPendiente.Tipo.ENTE))
    assert respuesta.status_code == 409
    assert _nombre_en_bd("SH") == "Otro nombre"


def _filas_por_ente(client, ejercicio) -> dict:
    respuesta = client.get(reverse("datos_conjunto", args=["indicador-anual-por-ente-y-tipo"]))
    assert respuesta.status_code == 200
    filas = csv.DictReader(io.StringIO(respuesta.content.decode("utf-8-sig")))
    return {f["ente_siglas"]: f["ente"] for f in filas if f["ejercicio"] == str(ejercicio)}


def test_el_csv_de_un_ejercicio_pasado_conserva_el_nombre_de_entonces(demo, client):
    sh = Ente.objects.get(siglas="SH")
    antes = sh.nombre
    hoy = timezone.localdate()
    pasado, actual = hoy.year - 1, hoy.year
    for anio in (pasado, actual):
        solicitud_conocida(sh, anio=anio, mes=1, estado="dictaminada", dias=3).save()
    assert _filas_por_ente(client, pasado)["SH"] == antes

    assert _pedir_nombre(como("admin"), sh, "Secretaría de Finanzas").status_code == 302
    assert _resolver(como("admin2"), _pendiente(CambioPendiente.Tipo.ENTE)).status_code == 302

    assert _filas_por_ente(client, pasado)["SH"] == antes
    assert _filas_por_ente(client, actual)["SH"] == "Secretaría de Finanzas"


def test_una_correccion_tambien_corrige_los_ejercicios_pasados(demo, client):
    """A name with an e-mail typed into it is corrected, not renamed: the wrong one is not
    kept, and past years are published with the corrected one."""
    sh = Ente.objects.get(siglas="SH")
    pasado = timezone.localdate().year - 1
    solicitud_conocida(sh, anio=pasado, mes=1, estado="dictaminada", dias=3).save()
    Ente.objects.filter(pk=sh.pk).update(nombre="Secretaría de Hacienda tic@sh.example")
    respuesta = como("admin").post(
        reverse("cuentas:entes"),
        {
            "ente": sh.pk,
            "nombre": "Secretaría de Hacienda",
            "correccion": "on",
            "motivo": MOTIVO,
        },
    )
    assert respuesta.status_code == 302
    cambio = _pendiente(CambioPendiente.Tipo.ENTE)
    assert cambio.datos["filas"][1] == {
        "campo": "Datos abiertos de ejercicios pasados",
        "antes": "Secretaría de Hacienda tic@sh.example",
        "despues": "Secretaría de Hacienda",
        "cambia": True,
    }
    assert _resolver(como("admin2"), cambio).status_code == 302
    assert not EnteNombre.objects.exists()
    assert _filas_por_ente(client, pasado)["SH"] == "Secretaría de Hacienda"
    assert EventoAuditoria.objects.get(tipo="ente_renombrado").datos["correccion"] is True


def _cuerpo(respuesta) -> str:
    assert respuesta.status_code == 200
    contenido = b"".join(respuesta.streaming_content) if respuesta.streaming else respuesta.content
    return contenido.decode("utf-8-sig")


def test_el_registro_de_dictamenes_nombra_al_ente_como_se_llamaba_al_emitirse(demo, client):
    """The register (CSV, JSON and its page's rows) prints each dictamen's agency as it was
    called the day the dictamen was issued, as its PDF does."""
    sh = Ente.objects.get(siglas="SH")
    antes = sh.nombre
    hace_un_anio = timezone.now() - datetime.timedelta(days=365)
    viejo = solicitud_conocida(sh, anio=hace_un_anio.year, mes=1, estado="dictaminada", dias=3)
    viejo.save()
    viejo_dictamen = dictamen_registrado(viejo, emitido_en=hace_un_anio)

    assert _pedir_nombre(como("admin"), sh, "Secretaría de Finanzas").status_code == 302
    assert _resolver(como("admin2"), _pendiente(CambioPendiente.Tipo.ENTE)).status_code == 302
    nuevo = solicitud_conocida(sh, anio=timezone.localdate().year, mes=1, estado="dictaminada")
    nuevo.save()
    nuevo_dictamen = dictamen_registrado(nuevo)

    filas = csv.DictReader(io.StringIO(_cuerpo(client.get(reverse("datos_csv")))))
    por_folio = {f["folio"]: f["ente"] for f in filas}
    assert por_folio[viejo_dictamen.folio] == antes
    assert por_folio[nuevo_dictamen.folio] == "Secretaría de Finanzas"
    registro = json.loads(_cuerpo(client.get(reverse("datos_json"))))["dictamenes"]
    assert {f["folio"]: f["ente"] for f in registro} == por_folio


def test_un_mes_de_ocds_publicado_por_primera_vez_despues_nombra_al_ente_de_entonces(demo, client):
    """OCDS keeps each release as first published; a month nobody asked for before the
    renaming is worked out after it, and still names the agency as it was then."""
    antes = _nombre_en_bd("SH")
    _historica("HIS-2024-0001", "SH", _momento(2024, 11, 5), atendida_en=_momento(2024, 12, 3))
    sh = Ente.objects.get(siglas="SH")
    assert _pedir_nombre(como("admin"), sh, "Secretaría de Finanzas").status_code == 302
    assert _resolver(como("admin2"), _pendiente(CambioPendiente.Tipo.ENTE)).status_code == 302
    cache.clear()
    paquete = _json(client, reverse("ocds_entregas", args=["2024-11"]))
    compradores = {
        p["name"] for r in paquete["releases"] for p in r["parties"] if "buyer" in p["roles"]
    }
    assert compradores == {antes}


# --- The cargo ------------------------------------------------------------------------------


def _pedir_cargo(cliente, persona, cargo):
    return cliente.post(
        reverse("cuentas:rol_persona", args=[persona.pk]),
        {"accion": "cargo", "cargo-cargo": cargo, "cargo-motivo": MOTIVO},
    )


def _cargo_en_bd(username) -> str:
    return Perfil.objects.values_list("cargo", flat=True).get(usuario__username=username)


def test_el_admin_ya_no_cambia_el_cargo(demo):
    perfil = Perfil.objects.get(usuario__username="firmante")
    antes = perfil.cargo
    admin = como("admin")
    respuesta = admin.post(
        reverse("admin:dictamenes_perfil_change", args=[perfil.pk]),
        {"cargo": "Secretario", "es_jefe": ""},
    )
    assert respuesta.status_code == 302
    assert _cargo_en_bd("firmante") == antes


def test_el_cargo_espera_la_aprobacion_y_lo_imprime_el_siguiente_dictamen(demo):
    firmante = usuario("firmante")
    antes = _cargo_en_bd("firmante")
    admin = como("admin")
    assert _pedir_cargo(admin, firmante, "Subsecretario de Innovación").status_code == 302
    cambio = _pendiente(CambioPendiente.Tipo.CARGO)
    assert cambio.persona == firmante
    assert cambio.datos["filas"] == [
        {"campo": "Cargo", "antes": antes, "despues": "Subsecretario de Innovación", "cambia": True}
    ]
    # A change about someone is shown under their name, the cargo in force beside the new one.
    pagina = admin.get(reverse("cuentas:cambios")).content.decode()
    assert (
        f'data-etiqueta="Vigente">{antes}</td><td class="cambio-valores__texto" '
        'data-etiqueta="Con el cambio">Subsecretario de Innovación</td>'
    ) in pagina

    # Signed while the change waits: the cargo in force.
    primero = firmar(decidir(revisada()))
    assert primero.firmante_cargo == antes

    assert _resolver(admin, cambio).status_code == 403
    assert _resolver(como("admin2"), cambio).status_code == 302
    assert _cargo_en_bd("firmante") == "Subsecretario de Innovación"

    segundo = firmar(decidir(revisada()))
    assert segundo.firmante_cargo == "Subsecretario de Innovación"
    primero.refresh_from_db()
    assert primero.firmante_cargo == antes
    evento = EventoAuditoria.objects.get(tipo="cargo_cambiado")
    assert (evento.datos["de"], evento.datos["a"]) == (antes, "Subsecretario de Innovación")


def test_nadie_aprueba_el_cambio_de_su_propio_cargo(demo):
    admin2 = usuario("admin2")
    assert _pedir_cargo(como("admin"), admin2, "Coordinador de Sistemas").status_code == 302
    respuesta = _resolver(como("admin2"), _pendiente(CambioPendiente.Tipo.CARGO))
    assert respuesta.status_code == 403
    assert str(control_dual.ERROR_APRUEBA_SU_CUENTA) in respuesta.content.decode()
    assert _cargo_en_bd("admin2") != "Coordinador de Sistemas"


def test_el_mismo_cargo_no_se_pide(demo):
    firmante = usuario("firmante")
    respuesta = _pedir_cargo(como("admin"), firmante, _cargo_en_bd("firmante"))
    assert respuesta.status_code == 400
    assert str(cargos_servicio.ERROR_CARGO_MISMO).split("«")[0] in respuesta.content.decode()
    assert not CambioPendiente.objects.exists()


def test_solo_un_administrador_pide_o_aplica(demo):
    ente = Ente.objects.get(siglas="SH")
    with pytest.raises(Exception) as error:
        configuracion.configuracion_pedir(
            tipo=CambioPendiente.Tipo.ENTE,
            accion="renombrar",
            pedido={"ente": ente.pk, "nombre": "X"},
            por=usuario("mesa"),
            motivo=MOTIVO,
        )
    assert error.type.__name__ == "PermissionDenied"
    with pytest.raises(Exception) as error:
        entes_servicio.ente_renombrar(ente=ente, nombre="X", por=usuario("mesa"))
    assert error.type.__name__ == "PermissionDenied"
    assert _nombre_en_bd("SH") == ente.nombre


# --- Every writer -----------------------------------------------------------------------------

CODIGO = ("config", "cuentas", "dictamenes", "demo", "estandares", "flujos", "publico")
ESCRITURAS = {
    # An existing agency's name, an existing profile's cargo: only their doors assign them.
    r"\bente\.nombre\s*=(?!=)": {"dictamenes/organizacion/services/entes.py"},
    r"\.cargo\s*=(?!=)": {"dictamenes/personas/services/cargos.py"},
    # New rows: only the doors that create them (full_clean, the group, the audit).
    r"(?<!class )(?<![\w.])Ente\(": {"dictamenes/personas/services/personas.py"},
    r"(?<!class )(?<![\w.])Perfil\(": {"dictamenes/personas/services/personas.py"},
    # No bulk write past the doors.
    r"(Ente|Perfil)\.objects\.[^\n]*\.(update|bulk_create|bulk_update|create)\(": set(),
}


@pytest.mark.parametrize("patron", list(ESCRITURAS))
def test_solo_sus_puertas_escriben_el_nombre_de_un_ente_y_el_cargo(patron):
    """A new path that writes either (a command, an import, a loader) fails here until it goes
    through the door. Read from the source itself: the admin's forms are guarded above."""
    import re
    from pathlib import Path

    raiz = Path(__file__).resolve().parents[2]
    regla = re.compile(patron)
    encontrados = {
        str(archivo.relative_to(raiz))
        for paquete in CODIGO
        # estandares has a Perfil of its own (a technical profile), not a person's.
        if not (paquete == "estandares" and "Perfil" in patron)
        for archivo in (raiz / paquete).rglob("*.py")
        if "migrations" not in archivo.parts and regla.search(archivo.read_text(encoding="utf-8"))
    }
    assert encontrados == ESCRITURAS[patron]
