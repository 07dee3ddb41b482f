"""Issue 50, item 1: the areas' capacity as data. Administrators record absences and lend a
person to a review area for whole weeks, each through its audited door. A loan that grants
the Revisor técnico role or the area waits for a second administrator, and its end takes away
what it granted and only that."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from dictamenes.capacidad.services import registro
from dictamenes.models import (
    Area,
    Ausencia,
    Aviso,
    CambioPendiente,
    CorridaPeriodica,
    EventoAuditoria,
    Refuerzo,
)
from dictamenes.models.capacidad import ERROR_FECHAS
from dictamenes.operacion.services import configuracion
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.personas.services import control_dual
from dictamenes.roles import Rol
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db

DIC_14 = datetime.date(2026, 12, 14)  # a Monday
DIC_27 = datetime.date(2026, 12, 27)  # the Sunday two weeks later
REVISAR = "dictamenes.revisar_area"


def computo() -> Area:
    return Area.objects.get(clave="computo")


def revisa(username: str, clave: str) -> bool:
    """Whether the person may take the area's technical reviews (read afresh: no caches)."""
    return usuario(username).has_perm(REVISAR, Area.objects.get(clave=clave))


def eventos(tipo: str) -> list[EventoAuditoria]:
    return list(EventoAuditoria.objects.filter(tipo=tipo).order_by("numero"))


def vacaciones(persona="revisor.computo", desde=DIC_14, hasta=DIC_27, por="admin"):
    return registro.ausencia_registrar(
        persona=usuario(persona),
        desde=desde,
        hasta=hasta,
        motivo=Ausencia.Motivo.VACACIONES,
        nota="Oficio SGD/90/2026",
        por=usuario(por),
    )


def prestar(persona, *, desde=DIC_14, hasta=DIC_27, por="admin", area=None):
    return registro.refuerzo_pedir(
        persona=usuario(persona),
        area=area or computo(),
        desde=desde,
        hasta=hasta,
        motivo="Carga del cierre en cómputo",
        por=usuario(por),
    )


def mensaje(exc: ValidationError, campo: str) -> list[str]:
    return exc.value.message_dict[campo]


def test_una_ausencia_queda_registrada_y_en_la_auditoria(demo):
    ausencia = vacaciones()
    assert (ausencia.persona.username, ausencia.desde, ausencia.hasta) == (
        "revisor.computo",
        DIC_14,
        DIC_27,
    )
    (evento,) = eventos("ausencia_registrada")
    assert evento.usuario.username == "admin"
    assert evento.descripcion == (
        "Vacaciones de Óscar Núñez Valdez (revisor.computo) del 14/12/2026 al 27/12/2026"
    )
    assert evento.datos["ausencia"] == ausencia.pk and evento.motivo == "Oficio SGD/90/2026"


def test_fechas_al_reves_o_que_se_traslapan_dan_el_error_y_no_guardan_nada(demo):
    with pytest.raises(ValidationError) as exc:
        vacaciones(desde=DIC_27, hasta=DIC_14)
    assert mensaje(exc, "hasta") == [str(ERROR_FECHAS)]
    vacaciones()
    with pytest.raises(ValidationError) as exc:
        vacaciones(desde=DIC_27, hasta=DIC_27 + datetime.timedelta(days=3))
    assert mensaje(exc, "desde") == [
        "Óscar Núñez Valdez (revisor.computo) ya tiene una ausencia del 14/12/2026 al "
        "27/12/2026 (vacaciones) que se traslapa con esas fechas: cancélela primero o elija "
        "otras."
    ]
    # Another person's absence on the same days is theirs.
    vacaciones(persona="revisor.redes")
    assert Ausencia.objects.count() == 2
    assert len(eventos("ausencia_registrada")) == 2


def test_solo_una_persona_administradora_registra_y_solo_personal_del_tramite(demo):
    with pytest.raises(PermissionDenied):
        vacaciones(por="estrategico")
    with pytest.raises(PermissionDenied):
        prestar("revisor.computo", por="revisor.redes")
    ausencia = vacaciones()
    with pytest.raises(PermissionDenied):
        registro.ausencia_cancelar(
            ausencia=ausencia, por=usuario("mesa"), motivo="No se tomará la ausencia"
        )
    for fuera in ("auditor", "requirente.sh"):
        with pytest.raises(ValidationError) as exc:
            vacaciones(persona=fuera)
        assert "no tiene un rol del trámite" in mensaje(exc, "persona")[0]
    assert Ausencia.objects.count() == 1 and not Refuerzo.objects.exists()


def test_cancelar_una_ausencia_pide_motivo_y_queda_en_la_auditoria(demo):
    ausencia = vacaciones()
    with pytest.raises(ValidationError):
        registro.ausencia_cancelar(ausencia=ausencia, por=usuario("admin2"), motivo="  ")
    registro.ausencia_cancelar(
        ausencia=ausencia, por=usuario("admin2"), motivo="Pospuso sus vacaciones"
    )
    assert not Ausencia.objects.exists()
    (evento,) = eventos("ausencia_cancelada")
    assert (evento.usuario.username, evento.motivo, evento.datos["hasta"]) == (
        "admin2",
        "Pospuso sus vacaciones",
        "2026-12-27",
    )


def test_el_refuerzo_de_quien_ya_revisa_el_area_se_registra_sin_aprobacion(demo):
    # Any day of the weeks: the loan runs from the Monday to the Sunday.
    refuerzo = prestar(
        "revisor.computo",
        desde=DIC_14 + datetime.timedelta(days=2),
        hasta=DIC_27 - datetime.timedelta(days=1),
    )
    assert isinstance(refuerzo, Refuerzo)
    assert (refuerzo.desde, refuerzo.hasta) == (DIC_14, DIC_27)
    assert (refuerzo.otorga_rol, refuerzo.otorga_area) == (False, False)
    assert not CambioPendiente.objects.filter(tipo=CambioPendiente.Tipo.REFUERZO).exists()
    (evento,) = eventos("refuerzo_registrado")
    assert evento.datos["refuerzo"] == refuerzo.pk
    # Its end takes nothing from someone who had it all along.
    assert registro.refuerzos_concluir(hoy=DIC_27 + datetime.timedelta(days=1)) == [refuerzo]
    assert revisa("revisor.computo", "computo")
    assert roles_de(usuario=usuario("revisor.computo")) == [Rol.REVISOR_TECNICO]


def test_un_refuerzo_que_otorga_el_area_espera_a_otra_persona_y_al_concluir_la_retira(demo):
    cambio = prestar("revisor.redes")
    assert isinstance(cambio, CambioPendiente)
    assert (cambio.tipo, cambio.persona.username) == ("refuerzo", "revisor.redes")
    assert not Refuerzo.objects.exists() and not revisa("revisor.redes", "computo")
    # Who asked does not approve it, nor the person lent.
    with pytest.raises(PermissionDenied, match="propio cambio"):
        configuracion.cambio_aprobar(cambio=cambio, por=usuario("admin"))
    assert not revisa("revisor.redes", "computo")

    configuracion.cambio_aprobar(cambio=cambio, por=usuario("admin2"))
    refuerzo = Refuerzo.objects.get()
    assert (refuerzo.otorga_rol, refuerzo.otorga_area) == (False, True)
    # The person lent hears it took effect.
    aviso = Aviso.objects.filter(asunto__startswith="Cambio aprobado: Prestar").get()
    assert "revisor.redes@demo.invalid" in aviso.destinatarios
    assert revisa("revisor.redes", "computo") and revisa("revisor.redes", "redes")
    assert [e.tipo for e in EventoAuditoria.objects.order_by("-numero")[:3]][::-1] == [
        "refuerzo_registrado",
        "rol_otorgado",
        "cambio_aprobado",
    ]

    # Not before its last Sunday has passed.
    assert registro.refuerzos_concluir(hoy=DIC_27) == []
    assert revisa("revisor.redes", "computo")
    assert registro.refuerzos_concluir(hoy=DIC_27 + datetime.timedelta(days=1)) == [refuerzo]
    refuerzo.refresh_from_db()
    assert refuerzo.concluido_en is not None
    # The area it granted is gone; the role and the area the person had, kept.
    assert not revisa("revisor.redes", "computo")
    assert revisa("revisor.redes", "redes")
    assert roles_de(usuario=usuario("revisor.redes")) == [Rol.REVISOR_TECNICO]
    (evento,) = eventos("refuerzo_concluido")
    assert (evento.datos["quita_area"], evento.datos["quita_rol"]) == (True, False)
    # A second run finds nothing to end.
    assert registro.refuerzos_concluir(hoy=DIC_27 + datetime.timedelta(days=2)) == []


def test_un_refuerzo_que_otorga_el_rol_lo_retira_al_concluir(demo):
    cambio = prestar("mesa")
    with pytest.raises(PermissionDenied):
        control_dual.exigir_quien_resuelve(cambio=cambio, por=usuario("mesa"))
    configuracion.cambio_aprobar(cambio=cambio, por=usuario("admin2"))
    refuerzo = Refuerzo.objects.get()
    assert (refuerzo.otorga_rol, refuerzo.otorga_area) == (True, True)
    assert roles_de(usuario=usuario("mesa")) == [Rol.MESA_CONTROL, Rol.REVISOR_TECNICO]
    assert revisa("mesa", "computo")
    registro.refuerzos_concluir(hoy=DIC_27 + datetime.timedelta(days=1))
    assert roles_de(usuario=usuario("mesa")) == [Rol.MESA_CONTROL]
    assert not revisa("mesa", "computo")


def test_el_rechazo_no_otorga_nada(demo):
    cambio = prestar("mesa")
    configuracion.cambio_rechazar(
        cambio=cambio, por=usuario("admin2"), motivo="Hay quien cubra el área"
    )
    assert not Refuerzo.objects.exists()
    assert roles_de(usuario=usuario("mesa")) == [Rol.MESA_CONTROL]
    assert not revisa("mesa", "computo")


def test_un_segundo_prestamo_conserva_lo_que_el_primero_otorgo_hasta_su_propio_fin(demo):
    """Lent twice to the same area: the first loan's end must not take the area from the
    second, which needs its own approval (it grants the area past the first one's end)."""
    configuracion.cambio_aprobar(cambio=prestar("revisor.redes"), por=usuario("admin2"))
    enero = datetime.date(2027, 1, 4)
    segundo = prestar("revisor.redes", desde=enero, hasta=enero)
    assert isinstance(segundo, CambioPendiente)
    configuracion.cambio_aprobar(cambio=segundo, por=usuario("admin2"))
    registro.refuerzos_concluir(hoy=DIC_27 + datetime.timedelta(days=1))
    assert revisa("revisor.redes", "computo")
    registro.refuerzos_concluir(hoy=enero + datetime.timedelta(days=7))
    assert not revisa("revisor.redes", "computo") and revisa("revisor.redes", "redes")


def test_un_prestamo_a_la_vez_y_nunca_a_semanas_pasadas(demo):
    prestar("revisor.computo")
    with pytest.raises(ValidationError) as exc:
        prestar("revisor.computo", desde=DIC_27, hasta=DIC_27, area=Area.objects.get(clave="redes"))
    assert mensaje(exc, "desde") == [
        "Óscar Núñez Valdez (revisor.computo) ya está prestada al área «Equipo de cómputo e "
        "impresión» del 14/12/2026 al 27/12/2026: una persona se presta a un área a la vez."
    ]
    with pytest.raises(ValidationError) as exc:
        prestar("revisor.redes", desde=datetime.date(2026, 1, 5), hasta=datetime.date(2026, 1, 5))
    assert "ya pasaron" in mensaje(exc, "desde")[0]
    # Nor a loan that would overlap one that waits for approval.
    prestar("revisor.redes")
    with pytest.raises(ValidationError) as exc:
        prestar("revisor.redes", area=Area.objects.get(clave="redes"), desde=DIC_27, hasta=DIC_27)
    assert mensaje(exc, "desde") == [
        "Ya se pidió prestar a Mónica Félix Quintero (revisor.redes) del 14/12/2026 al "
        "27/12/2026, y espera la aprobación de otra persona administradora en «Cambios por "
        "aprobar»."
    ]
    assert Refuerzo.objects.count() == 1
    assert CambioPendiente.objects.filter(tipo=CambioPendiente.Tipo.REFUERZO).count() == 1


def test_el_comando_diario_concluye_los_refuerzos_vencidos(demo):
    configuracion.cambio_aprobar(cambio=prestar("mesa"), por=usuario("admin2"))
    salida = io.StringIO()
    with time_machine.travel(datetime.datetime(2026, 12, 28, 7, 30, tzinfo=datetime.UTC)):
        call_command("refuerzos_concluir", stdout=salida)
    assert salida.getvalue() == "1 refuerzo(s) concluido(s).\n"
    assert roles_de(usuario=usuario("mesa")) == [Rol.MESA_CONTROL]
    corrida = CorridaPeriodica.objects.get(nombre="refuerzos_concluir")
    assert (corrida.resultado, corrida.mensaje) == ("ok", "1 refuerzo(s) concluido(s).")


def test_nadie_se_presta_a_si_mismo_un_rol_del_tramite(demo):
    admin = usuario("admin")
    admin.groups.add(Group.objects.get(name=str(Rol.MESA_CONTROL.label)))
    with pytest.raises(ValidationError) as exc:
        prestar("admin")
    assert mensaje(exc, "persona") == [str(registro.ERROR_REFUERZO_PROPIO)]
    assert not CambioPendiente.objects.exists()
