"""A state's profile as a kind of configuration change (issue 35, issue 48): the whole profile
is one change. The approver sees every datum it sets next to the one in force (issue 59), and
the lines of what it will do; approving it when it would now do something else is a conflict.
See operacion.services.cambios.tipos for the contract."""

import contextlib
import hashlib
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from dictamenes.models import Area, PlazoEtapa
from dictamenes.operacion.services import perfil_estado
from dictamenes.operacion.services import vias as vias_servicio
from dictamenes.operacion.services.cambios.comun import (
    INTERNOS,
    _dias,
    _ensayar,
    _fila,
    valor_de_textos,
)
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.services import textos as textos_servicio
from dictamenes.tramite.selectors.plazos import plazos_dias
from dictamenes.tramite.selectors.vias import vias_vigentes


class PerfilEstado:
    """A state's profile (cargar_perfil_estado, which only asks it, whatever the number of
    administrators: issue 59): the whole profile is one change, its lines are what it will do,
    and approving it when it would now do something else is a conflict."""

    roles = INTERNOS
    CARPETA = "institucion/pendientes"

    @classmethod
    def guardar_imagen(cls, ruta: Path | None) -> str | None:
        """The letterhead image the profile names, kept until the change is resolved; checked
        first like any letterhead (ValidationError), so nothing over the limits is kept."""
        if ruta is None:
            return None
        with Path(ruta).open("rb") as archivo:
            contenido, _extension = textos_servicio.imagen_validar(File(archivo))
        digesto = hashlib.sha256(contenido).hexdigest()
        return default_storage.save(
            f"{cls.CARPETA}/{digesto}{Path(ruta).suffix.lower()}", ContentFile(contenido)
        )

    @staticmethod
    @contextlib.contextmanager
    def _perfil(pedido: dict):
        perfil = dict(pedido)
        if not pedido.get("membrete_imagen"):
            yield perfil
            return
        sufijo = Path(pedido["membrete_imagen"]).suffix
        with tempfile.TemporaryDirectory() as carpeta:
            ruta = Path(carpeta) / f"membrete{sufijo}"
            with default_storage.open(pedido["membrete_imagen"], "rb") as origen:
                ruta.write_bytes(origen.read())
            perfil["membrete_imagen"] = ruta
            yield perfil

    def _cargar(self, pedido, *, por):
        with self._perfil(pedido) as perfil:
            try:
                # Whether the demo is allowed is this installation's, read when it applies.
                return perfil_estado.perfil_cargar(perfil=perfil, por=por)
            except perfil_estado.PerfilInvalido as exc:
                raise ValidationError(str(exc), code="perfil_invalido") from exc

    def preparar(self, *, accion, pedido, por, archivo=None) -> dict:
        lineas = _ensayar(lambda: self._cargar(pedido, por=por))
        if not lineas:
            raise ValidationError(
                _("El perfil de %(a)s ya estaba cargado: nada cambiaría.")
                % {"a": pedido["archivo"]},
                code="sin_cambios",
            )
        return {
            "titulo": _("Perfil del estado (%(a)s)") % {"a": pedido["archivo"]},
            "pedido": pedido,
            "antes": {"lineas": lineas},
            # What the approver compares (issue 59): every datum the profile sets next to the
            # one in force, texts in full, the letterhead as images; then what it will do.
            "filas": self._filas(pedido),
            # The time zone is the deployment's: said, not done (not in "antes").
            "acciones": [*lineas, *filter(None, [aviso_zona_horaria(pedido)])],
        }

    @staticmethod
    def _filas(pedido: dict) -> list[dict]:
        vigentes = textos_vigentes()
        nuevos = perfil_estado.textos_del_perfil(pedido)
        filas = [
            _fila(
                textos_servicio.etiqueta(c),
                valor_de_textos(c, getattr(vigentes, c)),
                valor_de_textos(c, nuevos[c]),
            )
            for c in textos_servicio.CAMPOS
            if c != "membrete_imagen_sha256"
        ]
        imagen = pedido.get("membrete_imagen")
        filas.append(
            {
                **_fila(
                    textos_servicio.etiqueta("membrete_imagen_sha256"),
                    _("imagen vigente") if vigentes.membrete_imagen else _("sin imagen"),
                    _("imagen del perfil") if imagen else _("sin imagen"),
                ),
                "cambia": bool(imagen) != bool(vigentes.membrete_imagen) or bool(imagen),
                "imagen_antes": bool(vigentes.membrete_imagen),
                "imagen_despues": bool(imagen),
            }
        )
        if pedido.get("cargo_firma"):
            cargos = {f.cargo or "—" for f in perfil_estado.firmantes_activos()}
            filas.append(
                _fila(
                    _("cargo de quien firma"),
                    ", ".join(sorted(cargos)) or _("nadie tiene el rol Firmante"),
                    pedido["cargo_firma"],
                )
            )
        if pedido.get("zona_horaria"):
            filas.append(
                _fila(
                    _("zona horaria (DJANGO_ZONA_HORARIA)"),
                    settings.TIME_ZONE,
                    pedido["zona_horaria"],
                )
            )
        # The law's price tests the profile sets (issue 76, item 5), next to those in force.
        vias = vias_vigentes()
        filas += [
            _fila(vias_servicio.etiqueta(campo), str(getattr(vias, campo)), str(valor))
            for campo, valor in (pedido.get("precios") or {}).items()
        ]
        actuales = plazos_dias(etapas=PlazoEtapa.Etapa.values)
        filas += [
            _fila(
                _("plazo de %(e)s") % {"e": PlazoEtapa.Etapa(etapa).label},
                _dias(actuales[etapa]),
                _dias(pedido["plazos"][etapa]),
            )
            for etapa in PlazoEtapa.Etapa.values
        ]
        activas = {
            a.nombre.lower(): a
            for a in Area.objects.filter(activa=True).prefetch_related("categorias")
        }
        for area in pedido["areas"]:
            actual = activas.pop(area["nombre"].lower(), None)
            filas.append(
                _fila(
                    _("área «%(a)s»: categorías") % {"a": area["nombre"]},
                    ", ".join(sorted({c.clave for c in actual.categorias.all()}))
                    if actual
                    else _("no existe"),
                    ", ".join(sorted(area["categorias"])),
                )
            )
        for actual in activas.values():
            filas.append(
                _fila(
                    _("área «%(a)s»") % {"a": actual.nombre},
                    ", ".join(sorted({c.clave for c in actual.categorias.all()})),
                    _(
                        "se retira; sus revisiones abiertas pasan al área del perfil que recibe "
                        "sus categorías"
                    ),
                )
            )
        return filas

    def estado(self, *, accion, pedido, por=None) -> dict:
        return {"lineas": _ensayar(lambda: self._cargar(pedido, por=por))}

    def aplicar(self, *, accion, pedido, por, motivo) -> None:
        self._cargar(pedido, por=por)

    @staticmethod
    def retira(*, accion, pedido) -> set[int]:
        """The areas it retires (operacion.services.cambios.sin_area): its reviewers stay."""
        return set(perfil_estado.areas_que_retira(pedido).values_list("pk", flat=True))

    @staticmethod
    def da_area(*, accion, pedido) -> set[int]:
        """The people it gives an area of its own (each area's `revisores`), by id: whatever
        it retires, they keep one (operacion.services.cambios.sin_area)."""
        nombres = {u for area in pedido["areas"] for u in area.get("revisores", [])}
        return set(
            get_user_model().objects.filter(username__in=nombres).values_list("pk", flat=True)
        )


def aviso_zona_horaria(perfil: dict) -> str:
    """What the operator must do when the profile's zone is not the installation's: the zone
    is a deployment setting (DJANGO_ZONA_HORARIA), which no change in the database sets."""
    zona = perfil.get("zona_horaria")
    if not zona or zona == settings.TIME_ZONE:
        return ""
    return _(
        "La zona horaria del perfil es %(zona)s y esta instalación usa %(actual)s: la zona es "
        "de la instalación, no de la base de datos. Quien opera el servidor pone "
        "DJANGO_ZONA_HORARIA=%(zona)s en su entorno y la reinicia."
    ) % {"zona": zona, "actual": settings.TIME_ZONE}
