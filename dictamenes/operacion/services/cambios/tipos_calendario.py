"""The declared días inhábiles as a kind of configuration change (issue 59): a day added or
removed is one change, described in full (the date, its weekday, its description), checked
when asked by rehearsing organizacion.services.calendario, and applied through it on
approval as the one who asked. See operacion.services.cambios.tipos for the contract."""

import datetime

from django.utils.translation import gettext as _

from dictamenes.models import DiaInhabil
from dictamenes.operacion.services.ensayo import ensayar
from dictamenes.organizacion.services import calendario as calendario_servicio
from dictamenes.roles import Rol

DIAS_SEMANA = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


def fecha_texto(fecha: datetime.date) -> str:
    return f"{DIAS_SEMANA[fecha.weekday()]} {fecha:%d/%m/%Y}"


class DiasInhabiles:
    """pedido: {"fecha": "AAAA-MM-DD", "descripcion": text (to add)}; accion: agregar|quitar."""

    # Everyone whose deadlines move hears of it once it takes effect.
    roles = (Rol.MESA_CONTROL, Rol.REVISOR_TECNICO, Rol.REVISOR_ESTRATEGICO, Rol.FIRMANTE)

    @staticmethod
    def _llamar(accion, pedido, *, por, motivo: str = ""):
        fecha = datetime.date.fromisoformat(pedido["fecha"])
        if accion == "agregar":
            return calendario_servicio.dia_inhabil_agregar(
                fecha=fecha, descripcion=pedido["descripcion"], por=por, motivo=motivo
            )
        return calendario_servicio.dia_inhabil_quitar(fecha=fecha, por=por, motivo=motivo)

    def preparar(self, *, accion, pedido, por, archivo=None) -> dict:
        pedido = {"fecha": str(pedido["fecha"]), "descripcion": pedido.get("descripcion", "")}
        ensayar(lambda: self._llamar(accion, pedido, por=por))
        fecha = datetime.date.fromisoformat(pedido["fecha"])
        vigente = self.estado(accion=accion, pedido=pedido)["descripcion"]
        if accion == "agregar":
            titulo = _("Declarar inhábil el %(f)s") % {"f": fecha_texto(fecha)}
            despues = pedido["descripcion"]
        else:
            titulo = _("Retirar el día inhábil del %(f)s") % {"f": fecha_texto(fecha)}
            despues = _("día hábil (sin declarar)")
        antes = vigente or _("día hábil (sin declarar)")
        return {
            "titulo": titulo,
            "pedido": pedido,
            "antes": self.estado(accion=accion, pedido=pedido),
            "filas": [
                {
                    "campo": fecha_texto(fecha).capitalize(),
                    "antes": antes,
                    "despues": despues,
                    "cambia": antes != despues,
                }
            ],
        }

    def estado(self, *, accion, pedido, por=None) -> dict:
        dia = DiaInhabil.objects.filter(fecha=pedido["fecha"]).first()
        return {"descripcion": dia.descripcion if dia else ""}

    def aplicar(self, *, accion, pedido, por, motivo) -> None:
        self._llamar(accion, pedido, por=por, motivo=motivo)
