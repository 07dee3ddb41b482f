"""Three kinds of change under dual control (issue 59, item 4; issue 77), for the engine in
operacion.services.configuracion: an agency's name (kind ENTE), which the open data and every
page print, a person's cargo (kind CARGO), which the next dictamen they sign prints, and their
jefatura (kind JEFATURA), the power to reassign others' tasks. Each
is checked when asked by rehearsing its door, states its value before → after, and is applied
on approval through that same door, as the one who asked."""

from django.utils.translation import gettext as _

from dictamenes.models import CambioPendiente, Ente, Perfil
from dictamenes.operacion.services.ensayo import ensayar
from dictamenes.organizacion.services import entes as entes_servicio
from dictamenes.personas.services import cargos as cargos_servicio
from dictamenes.personas.services import jefatura as jefatura_servicio
from dictamenes.personas.services.cambios_pendientes import persona_nombre
from dictamenes.roles import Rol


def _fila(campo, antes: str, despues: str) -> dict:
    return {
        "campo": str(campo),
        "antes": antes or "—",
        "despues": despues or "—",
        "cambia": antes != despues,
    }


class NombreDeEnte:
    """accion: renombrar {ente, nombre}. Its current name is what it was asked against: renamed
    meanwhile, approving it is a conflict."""

    roles = (Rol.MESA_CONTROL, Rol.REVISOR_ESTRATEGICO, Rol.FIRMANTE)

    @staticmethod
    def objeto(accion, pedido) -> dict:
        """One pending change per agency (and per new name)."""
        return {"ente": pedido.get("ente")}

    @staticmethod
    def persona(pedido):
        return None

    def _llamar(self, pedido, *, por, motivo: str = ""):
        ente = Ente.objects.get(pk=pedido["ente"])
        return entes_servicio.ente_renombrar(
            ente=ente,
            nombre=pedido["nombre"],
            correccion=bool(pedido.get("correccion")),
            por=por,
            motivo=motivo,
        )

    def preparar(self, *, accion, pedido, por, archivo=None) -> dict:
        ente = Ente.objects.get(pk=pedido["ente"])
        nuevo = ensayar(lambda: self._llamar(pedido, por=por))
        correccion = bool(pedido.get("correccion"))
        pedido = {"ente": ente.pk, "nombre": nuevo.nombre, "correccion": correccion}
        return {
            "titulo": _("Nombre del ente %(siglas)s") % {"siglas": ente.siglas},
            "pedido": pedido,
            "antes": self.estado(accion=accion, pedido=pedido, por=por),
            "filas": [
                _fila(_("Nombre"), ente.nombre, nuevo.nombre),
                # What the approver must know: whether past years are rewritten.
                _fila(
                    _("Datos abiertos de ejercicios pasados"),
                    ente.nombre,
                    nuevo.nombre if correccion else ente.nombre,
                ),
            ],
        }

    def estado(self, *, accion, pedido, por=None) -> dict:
        ente = Ente.objects.filter(pk=pedido["ente"]).first()
        return {"nombre": ente.nombre if ente else None}

    def aplicar(self, *, accion, pedido, por, motivo) -> None:
        self._llamar(pedido, por=por, motivo=motivo)


class CargoDePersona:
    """accion: cambiar {perfil, cargo}. The change is about the person who holds the profile:
    neither they nor who created their account approve it (control_dual.exigir_quien_resuelve)."""

    roles = (Rol.FIRMANTE,)

    @staticmethod
    def objeto(accion, pedido) -> dict:
        return {"perfil": pedido.get("perfil")}

    @staticmethod
    def persona(pedido):
        perfil = Perfil.objects.select_related("usuario").filter(pk=pedido.get("perfil")).first()
        return perfil.usuario if perfil else None

    def _llamar(self, pedido, *, por, motivo: str = ""):
        perfil = Perfil.objects.get(pk=pedido["perfil"])
        return cargos_servicio.perfil_cargo_cambiar(
            perfil=perfil, cargo=pedido["cargo"], por=por, motivo=motivo
        )

    def preparar(self, *, accion, pedido, por, archivo=None) -> dict:
        perfil = Perfil.objects.select_related("usuario").get(pk=pedido["perfil"])
        nuevo = ensayar(lambda: self._llamar(pedido, por=por))
        pedido = {"perfil": perfil.pk, "cargo": nuevo.cargo}
        return {
            "titulo": _("Cargo de %(persona)s") % {"persona": persona_nombre(perfil.usuario)},
            "pedido": pedido,
            "antes": self.estado(accion=accion, pedido=pedido, por=por),
            "filas": [_fila(_("Cargo"), perfil.cargo, nuevo.cargo)],
        }

    def estado(self, *, accion, pedido, por=None) -> dict:
        perfil = Perfil.objects.filter(pk=pedido["perfil"]).first()
        return {"cargo": perfil.cargo if perfil else None}

    def aplicar(self, *, accion, pedido, por, motivo) -> None:
        self._llamar(pedido, por=por, motivo=motivo)


class JefaturaDePersona(CargoDePersona):
    """accion: cambiar {perfil, es_jefe} (issue 77). Like the cargo, the change is about the
    person who holds the profile: neither they nor who created their account approve it."""

    roles = ()

    def _llamar(self, pedido, *, por, motivo: str = ""):
        perfil = Perfil.objects.get(pk=pedido["perfil"])
        return jefatura_servicio.perfil_jefatura_cambiar(
            perfil=perfil, es_jefe=bool(pedido["es_jefe"]), por=por, motivo=motivo
        )

    def preparar(self, *, accion, pedido, por, archivo=None) -> dict:
        perfil = Perfil.objects.select_related("usuario").get(pk=pedido["perfil"])
        nuevo = ensayar(lambda: self._llamar(pedido, por=por))
        pedido = {"perfil": perfil.pk, "es_jefe": nuevo.es_jefe}
        return {
            "titulo": _("Jefatura de %(persona)s") % {"persona": persona_nombre(perfil.usuario)},
            "pedido": pedido,
            "antes": self.estado(accion=accion, pedido=pedido, por=por),
            "filas": [
                _fila(
                    _("Puede reasignar las tareas de otras personas de su rol"),
                    jefatura_servicio.jefatura_texto(perfil.es_jefe),
                    jefatura_servicio.jefatura_texto(nuevo.es_jefe),
                )
            ],
        }

    def estado(self, *, accion, pedido, por=None) -> dict:
        perfil = Perfil.objects.filter(pk=pedido["perfil"]).first()
        return {"es_jefe": perfil.es_jefe if perfil else None}


TIPOS = {
    CambioPendiente.Tipo.ENTE: NombreDeEnte(),
    CambioPendiente.Tipo.CARGO: CargoDePersona(),
    CambioPendiente.Tipo.JEFATURA: JefaturaDePersona(),
}
