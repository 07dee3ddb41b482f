"""What each kind of configuration change is (issue 48), for the dual-control engine
(operacion.services.configuracion): how it is checked when asked (a rehearsal of the door that
will apply it, `ensayo`), the state it was asked against, every value it sets in words,
and how it is applied on approval through that same door, as the one who asked.

A kind is a class with:
- `preparar(accion, pedido, por, archivo)` → {"titulo", "pedido", "antes", "filas"}, raising
  the door's ValidationError (in Spanish) when the change could not be applied;
- `estado(accion, pedido, por)` → the state now, compared with "antes" on approval;
- `aplicar(accion, pedido, por, motivo)` → calls the door;
- `roles`: who, besides the administrators, is told when it takes effect."""

import datetime
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import DecimalField
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dictamenes.capacidad.services import registro as capacidad_registro
from dictamenes.models import (
    Area,
    CambioPendiente,
    CentroLey,
    ConfiguracionVias,
    MetodoPrecio,
    MotivoRechazo,
    PlazoEtapa,
)
from dictamenes.models.vias import CriterioFraccion
from dictamenes.montos import pesos
from dictamenes.operacion.services import vias as vias_servicio
from dictamenes.operacion.services.cambios import tipos_entes as cambios_tipos_entes
from dictamenes.operacion.services.cambios.comun import (
    INTERNOS,
    _dias,
    _ensayar,
    _fila,
    _texto,
    valor_de_textos,
)
from dictamenes.operacion.services.cambios.tipos_calendario import DiasInhabiles
from dictamenes.operacion.services.cambios.tipos_perfil import PerfilEstado
from dictamenes.operacion.services.cambios.tipos_sustitucion import Sustitucion
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.services import areas as areas_servicio
from dictamenes.organizacion.services import textos as textos_servicio
from dictamenes.roles import Rol
from dictamenes.tramite.selectors.plazos import plazos_dias
from dictamenes.tramite.selectors.vias import (
    claves_nombradas,
    familias_texto,
    nombres_de_categorias,
    ventana_texto,
    vias_vigentes,
)
from dictamenes.tramite.services import motivos as motivos_servicio
from dictamenes.tramite.services.plazos import plazo_fijar
from estandares import formato
from estandares import services as estandares_servicio
from estandares.models import Categoria, Publicacion

Tipo = CambioPendiente.Tipo


def vias_claves_nombradas(*versiones) -> set[str]:
    """The category claves versions name (selectors.vias.claves_nombradas), those given a
    method of their own (issue 76) included."""
    claves = claves_nombradas(*versiones)
    for v in versiones:
        metodos = (
            v["precio_metodos_categoria"] if isinstance(v, dict) else v.precio_metodos_categoria
        )
        claves |= set(metodos or {})
    return claves


def metodos_texto(metodos: dict, nombres: dict) -> str:
    """«Category: method; …» by the categories' names (PostgreSQL's jsonb keeps no order of its
    own), or that every category follows the general method."""
    if not metodos:
        return _("ninguna: todas siguen el método general")
    etiquetas = dict(MetodoPrecio.choices)
    return "; ".join(
        f"{nombres.get(clave, clave)}: {etiquetas.get(metodo, metodo)}"
        for clave, metodo in sorted(metodos.items(), key=lambda cm: nombres.get(cm[0], cm[0]))
    )


class Vias:
    roles = (Rol.MESA_CONTROL, Rol.REVISOR_ESTRATEGICO)

    @staticmethod
    def _datos(pedido: dict) -> dict:
        """The door's arguments from the stored JSON: decimals back from their text. A change
        asked before the families of categories existed (issue 59, migration 0040) names
        none, as no version had any then; one asked before the price settings (issues 62 and
        76) or the signs' thresholds (issue 80) leaves them as the version in force has them."""
        vigentes = vias_vigentes()
        desde_precios = (
            vias_servicio.CAMPOS_PRECIO
            + vias_servicio.CAMPOS_LEY
            + vias_servicio.CAMPOS_CONTRATO
            + vias_servicio.CAMPOS_SENALES
        )
        pedido = {
            "fraccion_familias": [],
            **{campo: getattr(vigentes, campo) for campo in desde_precios},
            **pedido,
        }
        return {
            campo: (
                Decimal(valor)
                if isinstance(ConfiguracionVias._meta.get_field(campo), DecimalField)
                and valor is not None
                else valor
            )
            for campo, valor in pedido.items()
        }

    @staticmethod
    def _valor(campo: str, valor, nombres: dict) -> str:
        if campo in ("umbral_monto", "cotizaciones_umbral"):
            return pesos(Decimal(valor))
        if campo == "precio_metodo":
            return str(MetodoPrecio(valor).label)
        if campo == "precio_metodos_categoria":
            return metodos_texto(valor, nombres)
        if campo == "ley_centro":
            return str(CentroLey(valor).label)
        if campo in vias_servicio.CAMPOS_PORCENTAJE or campo == "senal_dominante_pct":
            return f"{valor} %"
        if campo == "senal_cobertura_pct":
            return f"{Decimal(valor):.2f} %"
        if campo in ("senal_cierre_dias", "senal_entrega_dias"):
            return _dias(valor)
        if campo == "senal_dominante_contratos":
            return ngettext("%(n)d contrato", "%(n)d contratos", valor) % {"n": valor}
        if campo == "contrato_absurdo_veces":
            return _("%(n)d veces lo aprobado") % {"n": valor}
        if campo == "cotizacion_antiguedad_dias":
            return ngettext("%(n)d día natural", "%(n)d días naturales", valor) % {"n": valor}
        if campo == "categorias_completas":
            return ", ".join(nombres.get(c, c) for c in valor) if valor else _("ninguna")
        if campo in vias_servicio.CAMPOS_DIAS:
            return _dias(valor)
        if campo == "fraccion_activa":
            return _("se buscan") if valor else _("no se buscan")
        if campo == "fraccion_criterio":
            return str(CriterioFraccion(valor).label)
        if campo == "fraccion_ventana_dias":
            return ventana_texto(valor)
        if campo == "fraccion_familias":
            return familias_texto(valor, nombres)
        return _texto(valor)

    def preparar(self, *, accion, pedido, por, archivo=None) -> dict:
        nueva = _ensayar(lambda: vias_servicio.vias_guardar(datos=self._datos(pedido), por=por))
        vigente = vias_vigentes()
        antes, despues = vias_servicio.valores(vigente), vias_servicio.valores(nueva)
        nombres = nombres_de_categorias(claves=vias_claves_nombradas(antes, despues))
        return {
            "titulo": _("Vías de revisión (versión %(v)s)") % {"v": vigente.version + 1},
            "pedido": despues,
            "antes": self.estado(por=por, accion=accion, pedido=despues),
            "filas": [
                _fila(
                    vias_servicio.etiqueta(c),
                    self._valor(c, antes[c], nombres),
                    self._valor(c, despues[c], nombres),
                )
                for c in vias_servicio.CAMPOS
            ],
        }

    def estado(self, *, accion, pedido, por=None) -> dict:
        return {"version": vias_vigentes().version}

    def aplicar(self, *, accion, pedido, por, motivo) -> None:
        vias_servicio.vias_guardar(datos=self._datos(pedido), por=por, motivo=motivo)


class Textos:
    roles = (Rol.REVISOR_ESTRATEGICO, Rol.FIRMANTE)
    CARPETA = "institucion/pendientes"

    def preparar(self, *, accion, pedido, por, archivo=None) -> dict:
        vigentes = textos_vigentes()
        pedido = dict(pedido)
        if archivo is not None:
            try:
                contenido, extension = textos_servicio.imagen_validar(archivo)
            except ValidationError as exc:
                raise ValidationError({"membrete_imagen": exc}) from exc
            digesto = hashlib.sha256(contenido).hexdigest()
            pedido["imagen"] = default_storage.save(
                f"{self.CARPETA}/{digesto}.{extension}", ContentFile(contenido)
            )
            pedido["imagen_sha256"] = digesto
            pedido["quitar_imagen"] = False
        nueva = _ensayar(lambda: self._guardar(pedido, por=por, ensayo=True))
        antes, despues = textos_servicio.valores(vigentes), textos_servicio.valores(nueva)
        if pedido.get("imagen"):
            despues["membrete_imagen_sha256"] = pedido["imagen_sha256"]
            if antes == despues:
                raise ValidationError(textos_servicio.ERROR_SIN_CAMBIOS, code="sin_cambios")
        return {
            "titulo": _("Textos de la institución (versión %(v)s)") % {"v": vigentes.version + 1},
            "pedido": pedido,
            "antes": self.estado(por=por, accion=accion, pedido=pedido),
            "filas": [
                {
                    **_fila(
                        textos_servicio.etiqueta(c),
                        self._valor(c, antes[c]),
                        self._valor(c, despues[c]),
                    ),
                    # The letterhead is shown as the images themselves (issue 59).
                    **(
                        {"imagen_antes": bool(antes[c]), "imagen_despues": bool(despues[c])}
                        if c == "membrete_imagen_sha256"
                        else {}
                    ),
                }
                for c in textos_servicio.CAMPOS
            ],
        }

    _valor = staticmethod(valor_de_textos)

    @staticmethod
    def _guardar(pedido: dict, *, por, motivo: str = "", ensayo: bool = False):
        datos = {
            c: pedido[c]
            for c in textos_servicio.CAMPOS
            if c != "membrete_imagen_sha256" and c in pedido
        }
        if pedido.get("imagen") and not ensayo:
            with default_storage.open(pedido["imagen"], "rb") as imagen:
                return textos_servicio.textos_guardar(
                    usuario=por, datos=datos, imagen=imagen, motivo=motivo
                )
        try:
            return textos_servicio.textos_guardar(
                usuario=por,
                datos=datos,
                quitar_imagen=bool(pedido.get("quitar_imagen")),
                motivo=motivo,
            )
        except ValidationError as exc:
            # Rehearsing a new image alone: the texts are the same, the image is the change.
            if ensayo and pedido.get("imagen") and getattr(exc, "code", "") == "sin_cambios":
                return textos_vigentes()
            raise

    def estado(self, *, accion, pedido, por=None) -> dict:
        return {"version": textos_vigentes().version}

    def aplicar(self, *, accion, pedido, por, motivo) -> None:
        self._guardar(pedido, por=por, motivo=motivo)


class Plazos:
    roles = INTERNOS

    def preparar(self, *, accion, pedido, por, archivo=None) -> dict:
        antes = self.estado(por=por, accion=accion, pedido=pedido)
        pedido = {etapa: pedido[etapa] for etapa in PlazoEtapa.Etapa.values}
        cambian = _ensayar(lambda: self._fijar(pedido, por=por))
        if not cambian:
            raise ValidationError(
                _("No cambió nada: los plazos son los vigentes."), code="sin_cambios"
            )
        return {
            "titulo": _("Plazos de las etapas"),
            "pedido": pedido,
            "antes": antes,
            "filas": [
                _fila(str(PlazoEtapa.Etapa(e).label), _dias(antes[e]), _dias(pedido[e]))
                for e in PlazoEtapa.Etapa.values
            ],
        }

    @staticmethod
    def _fijar(pedido: dict, *, por, motivo: str = "") -> list[str]:
        return [
            etapa
            for etapa, dias in pedido.items()
            if plazo_fijar(etapa=etapa, dias=dias, por=por, motivo=motivo)
        ]

    def estado(self, *, accion, pedido, por=None) -> dict:
        return plazos_dias(etapas=PlazoEtapa.Etapa.values)

    def aplicar(self, *, accion, pedido, por, motivo) -> None:
        self._fijar(pedido, por=por, motivo=motivo)


class Areas:
    """accion: agregar {nombre}; renombrar {area, nombre}; asignar {area, claves};
    retirar {area, destino}."""

    roles = (Rol.MESA_CONTROL, Rol.REVISOR_TECNICO)
    TITULOS = {
        "agregar": _("Agregar el área «%(nombre)s»"),
        "renombrar": _("Renombrar el área «%(area)s»"),
        "asignar": _("Asignar categorías al área «%(area)s»"),
        "retirar": _("Retirar el área «%(area)s»"),
    }

    @staticmethod
    def _areas(pedido: dict) -> dict[int, Area]:
        pks = [pk for pk in (pedido.get("area"), pedido.get("destino")) if pk]
        return Area.objects.in_bulk(pks)

    def _llamar(self, accion, pedido, *, por, motivo: str = ""):
        areas = self._areas(pedido)
        area, destino = areas.get(pedido.get("area")), areas.get(pedido.get("destino"))
        if accion == "agregar":
            return areas_servicio.area_agregar(nombre=pedido["nombre"], por=por, motivo=motivo)
        if accion == "renombrar":
            return areas_servicio.area_renombrar(
                area=area, nombre=pedido["nombre"], por=por, motivo=motivo
            )
        if accion == "asignar":
            return areas_servicio.categorias_asignar(
                area=area, claves=pedido["claves"], por=por, motivo=motivo
            )
        return areas_servicio.area_retirar(area=area, destino=destino, por=por, motivo=motivo)

    def preparar(self, *, accion, pedido, por, archivo=None) -> dict:
        _ensayar(lambda: self._llamar(accion, pedido, por=por))
        areas = self._areas(pedido)
        area, destino = areas.get(pedido.get("area")), areas.get(pedido.get("destino"))
        nombre = area.nombre if area else pedido.get("nombre", "")
        if accion == "agregar":
            filas = [_fila(_("nombre"), "—", pedido["nombre"])]
        elif accion == "renombrar":
            filas = [_fila(_("nombre"), area.nombre, " ".join(pedido["nombre"].split()))]
        elif accion == "asignar":
            nombres = dict(
                Categoria.objects.filter(clave__in=pedido["claves"])
                .order_by("clave", "-publicacion__vigente_desde")
                .values_list("clave", "nombre")
            )
            filas = [
                _fila(
                    _("categorías"),
                    "—",
                    ", ".join(nombres.get(c, c) for c in sorted(pedido["claves"])),
                )
            ]
        else:
            filas = [
                _fila(_("activa"), _("sí"), _("no")),
                _fila(
                    _("sus categorías y revisiones pasan a"),
                    "—",
                    destino.nombre if destino else _("ninguna (no tiene)"),
                ),
            ]
        return {
            "titulo": self.TITULOS[accion] % {"nombre": pedido.get("nombre", ""), "area": nombre},
            "pedido": pedido,
            "antes": self.estado(por=por, accion=accion, pedido=pedido),
            "filas": filas,
        }

    def estado(self, *, accion, pedido, por=None) -> dict:
        estado = {
            str(area.pk): {
                "nombre": area.nombre,
                "activa": area.activa,
                "categorias": sorted(set(area.categorias.values_list("clave", flat=True))),
            }
            for area in self._areas(pedido).values()
        }
        if accion == "asignar":
            estado["categorias"] = dict(
                Categoria.objects.filter(clave__in=pedido["claves"])
                .values_list("clave", "area__clave")
                .distinct()
                .order_by("clave", "area__clave")
            )
        return estado

    def aplicar(self, *, accion, pedido, por, motivo) -> None:
        self._llamar(accion, pedido, por=por, motivo=motivo)

    @staticmethod
    def retira(*, accion, pedido) -> set[int]:
        """The areas it retires (operacion.services.cambios.sin_area): its reviewers stay."""
        return {pedido["area"]} if accion == "retirar" else set()


class Edicion:
    """accion: publicar {publicacion, vigente_desde}. A draft edited after it was asked for is a
    conflict: what is approved is what was read."""

    roles = (Rol.MESA_CONTROL, Rol.REVISOR_TECNICO, Rol.REVISOR_ESTRATEGICO)

    @staticmethod
    def _huella(publicacion: Publicacion) -> str:
        categorias = publicacion.categorias.select_related("area").prefetch_related(
            "perfiles__requisitos"
        )
        return hashlib.sha256(formato.escribir(publicacion, categorias).encode()).hexdigest()

    def _llamar(self, pedido, *, por):
        publicacion = Publicacion.objects.get(pk=pedido["publicacion"])
        return estandares_servicio.publicacion_publicar(
            publicacion=publicacion,
            vigente_desde=datetime.date.fromisoformat(pedido["vigente_desde"]),
            usuario=por,
        )

    def preparar(self, *, accion, pedido, por, archivo=None) -> dict:
        _ensayar(lambda: self._llamar(pedido, por=por))
        publicacion = Publicacion.objects.get(pk=pedido["publicacion"])
        vigente = Publicacion.objects.filter(estado=Publicacion.Estado.VIGENTE).first()
        return {
            "titulo": _("Publicar la edición %(v)s de los estándares") % {"v": publicacion.version},
            "pedido": pedido,
            "antes": self.estado(por=por, accion=accion, pedido=pedido),
            "filas": [
                _fila(
                    _("edición vigente"),
                    vigente.version if vigente else "—",
                    publicacion.version,
                ),
                _fila(_("vigente desde"), "—", pedido["vigente_desde"]),
                _fila(
                    _("categorías"),
                    str(vigente.categorias.count()) if vigente else "—",
                    str(publicacion.categorias.count()),
                ),
            ],
        }

    def estado(self, *, accion, pedido, por=None) -> dict:
        publicacion = Publicacion.objects.get(pk=pedido["publicacion"])
        return {"estado": publicacion.estado, "huella": self._huella(publicacion)}

    def aplicar(self, *, accion, pedido, por, motivo) -> None:
        self._llamar(pedido, por=por)


class Motivo:
    """accion: agregar or cambiar {motivo: pk | None, nombre, descripcion, orden, activo}."""

    roles = (Rol.REVISOR_ESTRATEGICO,)

    @staticmethod
    def _motivo(pedido) -> MotivoRechazo | None:
        return MotivoRechazo.objects.filter(pk=pedido.get("motivo")).first()

    def _llamar(self, pedido, *, por, motivo: str = ""):
        return motivos_servicio.motivo_guardar(
            datos=pedido, por=por, motivo_cambio=motivo, motivo=self._motivo(pedido)
        )

    def preparar(self, *, accion, pedido, por, archivo=None) -> dict:
        nuevo = _ensayar(lambda: self._llamar(pedido, por=por))
        antes = motivos_servicio.valores(self._motivo(pedido))
        despues = motivos_servicio.valores(nuevo)
        return {
            "titulo": (
                _("Agregar el motivo «%(m)s»") if accion == "agregar" else _("Cambiar «%(m)s»")
            )
            % {"m": antes["nombre"] or despues["nombre"]},
            "pedido": {**pedido, **despues},
            "antes": self.estado(por=por, accion=accion, pedido=pedido),
            "filas": [
                _fila(
                    motivos_servicio.etiqueta(c),
                    _texto(antes[c]) if self._motivo(pedido) else "—",
                    _texto(despues[c]),
                )
                for c in motivos_servicio.CAMPOS
            ],
        }

    def estado(self, *, accion, pedido, por=None) -> dict:
        return motivos_servicio.valores(self._motivo(pedido))

    def aplicar(self, *, accion, pedido, por, motivo) -> None:
        self._llamar(pedido, por=por, motivo=motivo)


class Refuerzo:
    """A loan to a review area that grants the Revisor técnico role or the area (issue 50). It
    is asked by capacidad.services.registro.refuerzo_pedir, which names the person it is about
    (so neither they nor their account's creator approve it); here it is checked and applied
    on approval."""

    roles = ()

    def estado(self, *, accion, pedido, por=None) -> dict:
        return capacidad_registro.refuerzo_estado(pedido=pedido)

    def aplicar(self, *, accion, pedido, por, motivo) -> None:
        capacidad_registro.refuerzo_aplicar(pedido=pedido, por=por, motivo=motivo)


TIPOS = {
    Tipo.VIAS: Vias(),
    Tipo.TEXTOS: Textos(),
    Tipo.PLAZOS: Plazos(),
    Tipo.AREA: Areas(),
    Tipo.EDICION: Edicion(),
    Tipo.MOTIVO: Motivo(),
    Tipo.PERFIL: PerfilEstado(),
    Tipo.REFUERZO: Refuerzo(),
    Tipo.DIAS_INHABILES: DiasInhabiles(),
    Tipo.SUSTITUCION: Sustitucion(),
    **cambios_tipos_entes.TIPOS,
}
