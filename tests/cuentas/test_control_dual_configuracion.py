"""Issue 48, item 1 and item 6: four eyes on the rules. One administrator alone can no longer
change a threshold, a text, a deadline, an area, a standards edition, the reasons catalogue or
the names of who acts in the procedure with effect: each is a pending change that another
administrator approves, stating every value it sets; approving what changed meanwhile is a
conflict. The break-glass account is recognised by the account, not by its username."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from dictamenes.consola.forms.vias import ViasForm
from dictamenes.models import (
    Area,
    CambioPendiente,
    EventoAuditoria,
    MotivoRechazo,
    PlazoEtapa,
)
from dictamenes.operacion.services import configuracion
from dictamenes.operacion.services import vias as vias_servicio
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.services import textos as textos_servicio
from dictamenes.personas.services import control_dual
from dictamenes.tramite.selectors.plazos import plazo_dias
from dictamenes.tramite.selectors.vias import categorias_vigentes, vias_vigentes
from estandares import services as estandares_servicio
from estandares.models import Publicacion
from tests.conftest import entrar
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db


def como(nombre) -> Client:
    cliente = Client()
    entrar(cliente, nombre)
    return cliente


def _vias(**cambios) -> dict:
    """The tracks' page as the version in force fills it, with `cambios`."""
    vigentes = vias_vigentes()
    datos = {c: getattr(vigentes, c) for c in vias_servicio.CAMPOS if c != "rapida_activa"}
    # The families as the page writes them, one per line (issue 59).
    datos["fraccion_familias"] = ViasForm.familias_texto(vigentes.fraccion_familias)
    # One select per category (issue 76).
    datos |= ViasForm.metodos_enviados(datos.pop("precio_metodos_categoria"), categorias_vigentes())
    datos = {
        **datos,
        "motivo": "Oficio SGD/48/2026",
        "casillas_enviadas": "rapida_activa,categorias_completas",
        "rapida_activa": "on",
        **cambios,
    }
    return {k: v for k, v in datos.items() if v is not None}


def aprobar(cliente, cambio):
    return cliente.post(reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"})


def test_un_administrador_solo_no_cambia_el_umbral_y_otro_lo_aprueba(demo):
    admin = como("admin")
    version = vias_vigentes().version
    respuesta = admin.post(reverse("cuentas:vias"), _vias(umbral_monto="$9,999,999,999.00"))
    assert respuesta.status_code == 302
    # Nothing changed: the request waits, stating every value it sets.
    assert vias_vigentes().version == version
    cambio = CambioPendiente.objects.get(tipo="vias", estado="pendiente")
    filas = {f["campo"]: f for f in cambio.datos["filas"]}
    assert filas["Umbral de la vía rápida (MXN)"]["despues"] == "$9,999,999,999.00"
    assert filas["Umbral de la vía rápida (MXN)"]["cambia"]
    assert len(filas) == len(vias_servicio.CAMPOS)
    pagina = admin.get(reverse("cuentas:cambios")).content.decode()
    assert "$9,999,999,999.00" in pagina
    # Who asked may not approve it; the break-glass account neither (below); another does.
    assert aprobar(admin, cambio).status_code == 403
    with pytest.raises(PermissionDenied, match="propio"):  # the service's door, not only the page
        configuracion.cambio_aprobar(cambio=cambio, por=usuario("admin"))
    assert vias_vigentes().version == version
    assert aprobar(como("admin2"), cambio).status_code == 302
    vigentes = vias_vigentes()
    assert vigentes.version == version + 1
    assert vigentes.umbral_monto == Decimal("9999999999.00")
    assert vigentes.creado_por == usuario("admin")
    tipos = list(EventoAuditoria.objects.order_by("-pk").values_list("tipo", flat=True)[:2])
    assert set(tipos) == {"vias_revision", "cambio_aprobado"}


def test_un_formulario_que_deja_fuera_un_campo_no_lo_vacia(demo):
    """The probe's POST left the categories out and emptied them: now it is refused whole."""
    antes = list(vias_vigentes().categorias_completas)
    respuesta = como("admin").post(
        reverse("cuentas:vias"),
        _vias(casillas_enviadas=None, categorias_completas=None, dias_revision_rapida=3),
    )
    assert respuesta.status_code == 400
    assert "El formulario no trajo «Categorías que siempre van a revisión completa»" in (
        respuesta.content.decode()
    )
    assert not CambioPendiente.objects.exists()
    assert vias_vigentes().categorias_completas == antes


def test_aprobar_lo_que_cambio_despues_es_un_conflicto(demo):
    admin, admin2 = como("admin"), como("admin2")
    admin.post(reverse("cuentas:vias"), _vias(dias_revision_rapida=3))
    cambio = CambioPendiente.objects.get(tipo="vias")
    # Meanwhile the tracks changed (the first installation's direct door, say).
    datos = {c: getattr(vias_vigentes(), c) for c in vias_servicio.CAMPOS}
    vias_servicio.vias_guardar(datos={**datos, "meta_dias_rapida": 9}, por=usuario("admin"))
    version = vias_vigentes().version
    respuesta = aprobar(admin2, cambio)
    assert respuesta.status_code == 409
    assert "cambió después de pedirse este cambio" in respuesta.content.decode()
    assert vias_vigentes().version == version
    cambio.refresh_from_db()
    assert cambio.estado == "pendiente"


def test_los_textos_de_la_institucion_esperan_la_aprobacion(demo):
    antes = textos_vigentes()
    datos = {c: getattr(antes, c) for c in ("fundamentos", "membrete", "unidad_resuelve")}
    datos |= {
        c: getattr(antes, c) for c in ("unidad_firma", "lugar", "folio_solicitud", "folio_dictamen")
    }
    datos |= {c: getattr(antes, c) for c in textos_servicio.ARTICULOS}
    respuesta = como("admin").post(
        reverse("cuentas:institucion"),
        {
            **datos,
            "accion": "textos",
            "institucion": "Subsecretaría X",
            "condicion_dias_habiles": antes.condicion_dias_habiles,
            "casillas_enviadas": "quitar_imagen",
            "motivo": "Cambio de nombre",
        },
    )
    assert respuesta.status_code == 302
    assert textos_vigentes().institucion == antes.institucion
    cambio = CambioPendiente.objects.get(tipo="textos")
    assert aprobar(como("admin2"), cambio).status_code == 302
    assert textos_vigentes().institucion == "Subsecretaría X"
    assert textos_vigentes().version == antes.version + 1


def test_los_plazos_de_las_etapas_esperan_la_aprobacion(demo):
    admin = como("admin")
    antes = {e: plazo_dias(etapa=e) for e in PlazoEtapa.Etapa.values}
    datos = {f"plazos-{e}": d for e, d in antes.items()} | {"plazos-admision": 9}
    respuesta = admin.post(
        reverse("cuentas:institucion"),
        {**datos, "accion": "plazos", "plazos-motivo": "Acuerdo 12/2026"},
    )
    assert respuesta.status_code == 302
    assert plazo_dias(etapa="admision") == antes["admision"]
    # The admin's own page for them is read only now.
    fila = PlazoEtapa.objects.filter(etapa="admision").first()
    if fila is not None:
        assert admin.post(
            reverse("admin:dictamenes_plazoetapa_change", args=[fila.pk]),
            {"etapa": "admision", "dias_habiles": 1},
        ).status_code in (302, 403)
        assert plazo_dias(etapa="admision") == antes["admision"]
    cambio = CambioPendiente.objects.get(tipo="plazos")
    assert aprobar(como("admin2"), cambio).status_code == 302
    assert plazo_dias(etapa="admision") == 9


def test_un_area_nueva_espera_la_aprobacion(demo):
    respuesta = como("admin").post(
        reverse("cuentas:areas"),
        {"nueva-nombre": "Datos abiertos", "nueva-motivo": "Oficio 4 de la oficialía"},
    )
    assert respuesta.status_code == 302
    assert not Area.objects.filter(nombre="Datos abiertos").exists()
    cambio = CambioPendiente.objects.get(tipo="area")
    assert aprobar(como("admin2"), cambio).status_code == 302
    assert Area.objects.filter(nombre="Datos abiertos", activa=True).exists()


def test_publicar_una_edicion_espera_y_un_borrador_cambiado_no_se_aprueba(demo):
    vigente = Publicacion.objects.get(estado=Publicacion.Estado.VIGENTE)
    borrador = estandares_servicio.publicacion_nueva_version(base=vigente, version="2027.1")
    admin = como("admin")
    # The admin's «Publicar» no longer publishes: it sends to the page that asks.
    assert admin.get(
        reverse("admin:estandares_publicacion_publicar", args=[borrador.pk])
    ).url == reverse("cuentas:ediciones")
    respuesta = admin.post(
        reverse("cuentas:ediciones"),
        {
            "publicacion": borrador.pk,
            f"b{borrador.pk}-vigente_desde": "2027-01-01",
            f"b{borrador.pk}-motivo": "Boletín oficial",
        },
    )
    assert respuesta.status_code == 302
    borrador.refresh_from_db()
    assert borrador.es_borrador
    cambio = CambioPendiente.objects.get(tipo="edicion")
    # The draft is edited after it was asked for: what was read is not what would publish.
    requisito = borrador.categorias.first().perfiles.first().requisitos.first()
    requisito.obligatorio = not requisito.obligatorio
    requisito.save()
    assert aprobar(como("admin2"), cambio).status_code == 409
    borrador.refresh_from_db()
    assert borrador.es_borrador


def test_el_catalogo_de_motivos_espera_la_aprobacion(demo):
    cuantos = MotivoRechazo.objects.count()
    respuesta = como("admin").post(
        reverse("cuentas:motivos"),
        {
            "nombre": "Sin estudio de mercado",
            "descripcion": "",
            "orden": 50,
            "activo": "on",
            "casillas_enviadas": "activo",
            "motivo": "Acuerdo del comité",
        },
    )
    assert respuesta.status_code == 302
    assert MotivoRechazo.objects.count() == cuantos
    cambio = CambioPendiente.objects.get(tipo="motivo")
    assert aprobar(como("admin2"), cambio).status_code == 302
    nuevo = MotivoRechazo.objects.get(nombre="Sin estudio de mercado", activo=True)
    # Retiring it (the box left unchecked) waits too, and changes that reason, not another.
    respuesta = como("admin").post(
        reverse("cuentas:motivo", args=[nuevo.pk]),
        {
            "nombre": nuevo.nombre,
            "descripcion": "",
            "orden": 50,
            "casillas_enviadas": "activo",
            "motivo": "Ya no se cita",
        },
    )
    assert respuesta.status_code == 302
    nuevo.refresh_from_db()
    assert nuevo.activo
    cambio = CambioPendiente.objects.get(tipo="motivo", estado="pendiente")
    assert aprobar(como("admin2"), cambio).status_code == 302
    nuevo.refresh_from_db()
    assert not nuevo.activo
    assert MotivoRechazo.objects.count() == cuantos + 1


def test_el_nombre_del_firmante_no_se_cambia_solo(demo):
    firmante = usuario("firmante")
    nombre = firmante.first_name
    admin = como("admin")
    # The admin's change form shows it read only: a POST leaves it as it was.
    admin.post(
        reverse("admin:auth_user_change", args=[firmante.pk]),
        {"username": "firmante", "first_name": "Otro", "last_name": "X", "is_active": "on"},
    )
    firmante.refresh_from_db()
    assert firmante.first_name == nombre
    control_dual.cambio_identidad_pedir(
        persona=firmante, por=usuario("admin"), motivo="Acta de nombre", first_name="Otro"
    )
    firmante.refresh_from_db()
    assert firmante.first_name == nombre
    cambio = CambioPendiente.objects.get(tipo="identidad")
    assert "cambiar el nombre de" in configuracion.describir(cambio=cambio)
    assert aprobar(como("admin2"), cambio).status_code == 302
    firmante.refresh_from_db()
    assert firmante.first_name == "Otro"


@override_settings(DICTAMENES_CUENTA_EMERGENCIA="admin2")
def test_la_cuenta_de_emergencia_es_la_cuenta_no_su_usuario(demo):
    """Renaming the break-glass account, and giving its old username to another, moves
    nothing: the account designated stays the break-glass one."""
    emergencia = usuario("admin2")
    como("admin").post(reverse("cuentas:vias"), _vias(dias_revision_rapida=3))
    cambio = CambioPendiente.objects.get(tipo="vias")
    assert aprobar(como("admin2"), cambio).status_code == 403  # designated now
    emergencia.username = "respaldo"
    emergencia.save()
    auditor = usuario("auditor")
    auditor.username = "admin2"
    auditor.save()
    with pytest.raises(Exception) as negado:
        configuracion.cambio_aprobar(cambio=cambio, por=emergencia)
    assert str(control_dual.ERROR_CUENTA_EMERGENCIA) in str(negado.value)


def test_el_perfil_queda_pendiente_con_segundo_administrador_y_tambien_sin_el(demo, settings):
    """Issue 59 changed the second half: a single administrator's profile applied at once;
    now it waits too, and the command says nobody can approve it yet."""
    from tests.dictamenes.operacion.test_perfil_estado import PERFIL

    salida = StringIO()
    call_command("cargar_perfil_estado", str(PERFIL), usuario="admin", stdout=salida)
    assert "Cambio pedido" in salida.getvalue()
    assert CambioPendiente.objects.filter(tipo="perfil", estado="pendiente").count() == 1
    assert not Area.objects.filter(nombre="Bienes Informáticos").exists()
    # The second administrator gone: it still waits, and nothing is applied.
    CambioPendiente.objects.all().delete()
    usuario("admin2").groups.clear()
    admin2 = usuario("admin2")
    admin2.is_superuser = False
    admin2.is_active = False
    admin2.save()
    salida = StringIO()
    call_command("cargar_perfil_estado", str(PERFIL), usuario="admin", stdout=salida)
    assert salida.getvalue().splitlines()[-1] == (
        "Aún no hay otra persona administradora activa que pueda aprobarlo: dé de alta la "
        "segunda (manual de operación, «Instalar en un servidor Debian 12», paso 8: "
        "«Las personas administradoras»; en el sistema, /manual/operacion/debian/)."
    )
    # The step it names is where it says.
    guia = (Path(__file__).resolve().parents[2] / "docs/operacion/debian.md").read_text()
    assert guia.startswith("# Instalar en un servidor Debian 12")
    assert "**8. Las personas administradoras.**" in guia
    assert CambioPendiente.objects.filter(tipo="perfil", estado="pendiente").count() == 1
    assert not Area.objects.filter(nombre="Bienes Informáticos").exists()


def test_la_pagina_de_inicio_de_quien_aprueba_lista_el_cambio_de_configuracion(demo):
    """A change of the configuration is no one's account: the other administrator's home page
    lists it by its title (it once failed with a 500 for every administrator)."""
    como("admin").post(reverse("cuentas:vias"), _vias(dias_revision_rapida=3))
    inicio = como("admin2").get("/")
    assert inicio.status_code == 200
    assert "Vías de revisión: Vías de revisión (versión" in inicio.content.decode()


@override_settings(DICTAMENES_CUENTA_EMERGENCIA="admin2")
def test_designar_otra_cuenta_de_emergencia_en_el_servidor(
    demo, django_capture_on_commit_callbacks
):
    """The server command moves the designation (audited); an unknown username moves nothing."""
    from django.core.management.base import CommandError

    from dictamenes.organizacion.services.emergencia import es_cuenta_emergencia

    assert es_cuenta_emergencia(usuario=usuario("admin2"))
    with pytest.raises(CommandError, match="No existe la cuenta «nadie»"):
        call_command("designar_cuenta_emergencia", "nadie", usuario="admin", motivo="prueba")
    assert es_cuenta_emergencia(usuario=usuario("admin2"))
    salida = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the commit forgets the cached id
        call_command(
            "designar_cuenta_emergencia",
            "auditor",
            usuario="admin",
            motivo="Oficio 12/2026",
            stdout=salida,
        )
    assert "«auditor»" in salida.getvalue()
    assert es_cuenta_emergencia(usuario=usuario("auditor"))
    assert not es_cuenta_emergencia(usuario=usuario("admin2"))
    # Issue 59: the break-glass path names who ran it.
    assert EventoAuditoria.objects.filter(
        tipo="cuenta_emergencia", motivo="Oficio 12/2026", usuario=usuario("admin")
    ).exists()
