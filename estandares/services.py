"""Writes to the standards catalogue: import, draft a new version, publish."""

import datetime
from decimal import Decimal, InvalidOperation

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from estandares import exceptions, formato, signals
from estandares.models import Categoria, Perfil, Publicacion, Requisito
from estandares.progreso import FALLIDO, HECHO, SIN_AVANCE, Avance


@transaction.atomic
def publicacion_publicar(
    *, publicacion: Publicacion, vigente_desde: datetime.date | None = None, usuario=None
) -> Publicacion:
    """Publish a draft from a date. The edition in force until then is kept, marked derogada
    from that date on. Announced (edicion_publicada) in the same transaction, for the audit."""
    publicacion = Publicacion.objects.select_for_update().get(pk=publicacion.pk)
    if not publicacion.es_borrador:
        raise ValidationError(exceptions.ERROR_NO_ES_BORRADOR, code="no_es_borrador")
    vigente_desde = vigente_desde or publicacion.vigente_desde
    if vigente_desde is None:
        raise ValidationError(exceptions.ERROR_SIN_FECHA, code="sin_fecha")
    _validar_completa(publicacion)

    anteriores = Publicacion.objects.select_for_update().filter(estado=Publicacion.Estado.VIGENTE)
    for anterior in anteriores:
        if anterior.vigente_desde >= vigente_desde:
            raise ValidationError(
                exceptions.ERROR_FECHA_ANTERIOR,
                code="fecha_anterior",
                params={"fecha": anterior.vigente_desde.isoformat(), "version": anterior.version},
            )
    for anterior in anteriores:
        anterior.estado = Publicacion.Estado.DEROGADA
        anterior.vigente_hasta = vigente_desde - datetime.timedelta(days=1)
        anterior.save(update_fields=["estado", "vigente_hasta"])

    publicacion.estado = Publicacion.Estado.VIGENTE
    publicacion.vigente_desde = vigente_desde
    publicacion.publicada_en = timezone.now()
    publicacion.save(update_fields=["estado", "vigente_desde", "publicada_en"])
    signals.edicion_publicada.send(
        sender=Publicacion,
        publicacion=publicacion,
        usuario=usuario,
        derogadas=[a.version for a in anteriores],
    )
    return publicacion


def _validar_completa(publicacion: Publicacion) -> None:
    categorias = list(publicacion.categorias.prefetch_related("perfiles__requisitos"))
    if not categorias:
        raise ValidationError(exceptions.ERROR_EDICION_VACIA, code="vacia")
    for categoria in categorias:
        perfiles = list(categoria.perfiles.all())
        if not perfiles:
            raise ValidationError(
                exceptions.ERROR_CATEGORIA_SIN_PERFILES,
                code="categoria_sin_perfiles",
                params={"categoria": categoria.nombre},
            )
        for perfil in perfiles:
            if not perfil.requisitos.all():
                raise ValidationError(
                    exceptions.ERROR_PERFIL_SIN_REQUISITOS,
                    code="perfil_sin_requisitos",
                    params={"perfil": str(perfil)},
                )


@transaction.atomic
def publicacion_nueva_version(
    *, base: Publicacion, version: str, titulo: str | None = None
) -> Publicacion:
    """Draft a new edition as a full copy of `base`, ready to be edited and published."""
    if Publicacion.objects.filter(version=version).exists():
        raise ValidationError(
            exceptions.ERROR_VERSION_EXISTE, code="version_existe", params={"version": version}
        )
    nueva = Publicacion(
        titulo=titulo or base.titulo,
        version=version,
        fecha_boletin=None,
        vigente_desde=None,
        notas=base.notas,
    )
    nueva.full_clean()
    nueva.save()
    for categoria in base.categorias.prefetch_related("perfiles__requisitos"):
        perfiles = list(categoria.perfiles.all())
        categoria.pk = None
        categoria.publicacion = nueva
        categoria.save()
        for perfil in perfiles:
            requisitos = list(perfil.requisitos.all())
            perfil.pk = None
            perfil.categoria = categoria
            perfil.save()
            for requisito in requisitos:
                requisito.pk = None
                requisito.perfil = perfil
            Requisito.objects.bulk_create(requisitos)
    return nueva


# --- Import ---------------------------------------------------------------------------------


class _Importador:
    """Walk the parsed file, create rows, and collect every error with its line."""

    def __init__(self, version: str | None, avance: Avance = SIN_AVANCE):
        self.version, self.avance = version, avance
        self.errores: list[str] = []
        # (mapping, field) pairs already reported, so the model does not repeat them.
        self._reportados: set[tuple[int, str | None]] = set()
        # The review areas are the dictamenes app's, reached through the relation, not imported.
        areas = Categoria._meta.get_field("area").related_model
        # A retired area receives no categories (dictamenes.organizacion.services.areas).
        self.areas = {a.clave: a for a in areas.objects.filter(activa=True)}

    def error(self, mapa, campo, mensaje) -> None:
        self._reportados.add((id(mapa), campo))
        linea = mapa.linea_de(campo) if isinstance(mapa, formato.Mapa) else "?"
        if campo:
            self.errores.append(f"línea {linea}, campo «{campo}»: {mensaje}")
        else:
            self.errores.append(f"línea {linea}: {mensaje}")

    def _campos(self, mapa, permitidos, donde) -> bool:
        if not isinstance(mapa, formato.Mapa):
            self.errores.append(f"{donde}: se esperaba un mapa de campos")
            return False
        for campo in mapa:
            if campo not in permitidos:
                self.error(mapa, campo, f"campo no reconocido en {donde}")
        return True

    def _guardar(self, objeto, mapa) -> bool:
        try:
            objeto.full_clean()
        except ValidationError as exc:
            for campo, mensajes in exc.message_dict.items():
                campo_yaml = None if campo == "__all__" else campo
                if (id(mapa), campo_yaml) in self._reportados:
                    continue
                for mensaje in mensajes:
                    self.error(mapa, campo_yaml, mensaje)
            return False
        objeto.save()
        return True

    def _texto(self, mapa, campo, requerido=True) -> str:
        valor = mapa.get(campo)
        if valor is None:
            if requerido:
                self.error(mapa, campo, "falta este campo")
            return ""
        if not isinstance(valor, str | int | float) or isinstance(valor, bool):
            self.error(mapa, campo, "debe ser un texto")
            return ""
        return str(valor).strip()

    def _fecha(self, mapa, campo):
        valor = mapa.get(campo)
        if valor is None or isinstance(valor, datetime.date):
            return valor
        try:
            return datetime.date.fromisoformat(str(valor))
        except ValueError:
            self.error(mapa, campo, "debe ser una fecha AAAA-MM-DD")
            return None

    def _decimal(self, mapa, campo):
        valor = mapa.get(campo)
        if valor is None:
            return None
        if isinstance(valor, bool):
            self.error(mapa, campo, "debe ser un número")
            return None
        try:
            return Decimal(str(valor))
        except InvalidOperation:
            self.error(mapa, campo, "debe ser un número")
            return None

    def _lista(self, mapa, campo, donde):
        valor = mapa.get(campo)
        if valor is None:
            return []
        if not isinstance(valor, list):
            self.error(mapa, campo, f"debe ser una lista de {donde}")
            return []
        return valor

    def importar(self, datos) -> Publicacion | None:
        if not self._campos(datos, ("publicacion", "categorias"), "el archivo"):
            return None
        datos_pub = datos.get("publicacion")
        if not self._campos(datos_pub, formato.CAMPOS_PUBLICACION, "«publicacion»"):
            return None
        version = self.version or self._texto(datos_pub, "version")
        if version and Publicacion.objects.filter(version=version).exists():
            self.error(datos_pub, "version", f"ya existe una edición con la versión {version}")
            return None
        publicacion = Publicacion(
            titulo=self._texto(datos_pub, "titulo"),
            version=version,
            fecha_boletin=self._fecha(datos_pub, "fecha_boletin"),
            vigente_desde=self._fecha(datos_pub, "vigente_desde"),
            notas=self._texto(datos_pub, "notas", requerido=False),
        )
        if not self._guardar(publicacion, datos_pub):
            return None
        categorias = self._lista(datos, "categorias", "categorías")
        if not categorias:
            self.error(datos, "categorias", "la edición no tiene categorías")
        for orden, datos_cat in enumerate(categorias, start=1):
            self._categoria(publicacion, datos_cat, orden)
        return publicacion

    def _categoria(self, publicacion, datos, orden) -> None:
        if not self._campos(datos, formato.CAMPOS_CATEGORIA, "una categoría"):
            return
        clave_area = self._texto(datos, "area")
        area = self.areas.get(clave_area)
        if clave_area and area is None:
            self.error(
                datos,
                "area",
                f"el área «{clave_area}» no existe o está retirada; use una de: "
                f"{', '.join(sorted(self.areas))}",
            )
            return
        categoria = Categoria(
            publicacion=publicacion,
            clave=self._texto(datos, "clave"),
            nombre=self._texto(datos, "nombre"),
            area=area,
            descripcion=self._texto(datos, "descripcion", requerido=False),
            orden=orden,
        )
        if area is None or not self._guardar(categoria, datos):
            return
        perfiles = self._lista(datos, "perfiles", "perfiles")
        if not perfiles:
            self.error(datos, "perfiles", "la categoría no tiene perfiles")
        claves = set()
        for orden_perfil, datos_perfil in enumerate(perfiles, start=1):
            self._perfil(categoria, datos_perfil, orden_perfil, claves)

    def _perfil(self, categoria, datos, orden, claves) -> None:
        if not self._campos(datos, formato.CAMPOS_PERFIL, "un perfil"):
            return
        perfil = Perfil(
            categoria=categoria,
            clave=self._texto(datos, "clave"),
            nombre=self._texto(datos, "nombre"),
            descripcion=self._texto(datos, "descripcion", requerido=False),
            orden=orden,
        )
        if perfil.clave in claves:
            self.error(datos, "clave", f"el perfil «{perfil.clave}» está repetido")
            return
        claves.add(perfil.clave)
        if not self._guardar(perfil, datos):
            return
        requisitos = self._lista(datos, "requisitos", "requisitos")
        if not requisitos:
            self.error(datos, "requisitos", "el perfil no tiene requisitos")
        vistos = set()
        for orden_req, datos_req in enumerate(requisitos, start=1):
            antes = len(self.errores)
            self._requisito(perfil, datos_req, orden_req, vistos)
            self.avance.avanzar(HECHO if len(self.errores) == antes else FALLIDO)

    def _requisito(self, perfil, datos, orden, vistos) -> None:
        if not self._campos(datos, formato.CAMPOS_REQUISITO, "un requisito"):
            return
        obligatorio = datos.get("obligatorio", True)
        if not isinstance(obligatorio, bool):
            self.error(datos, "obligatorio", "debe ser true o false")
            return
        opciones = datos.get("opciones", [])
        if not isinstance(opciones, list):
            self.error(datos, "opciones", "debe ser una lista")
            return
        requisito = Requisito(
            perfil=perfil,
            clave=self._texto(datos, "clave"),
            nombre=self._texto(datos, "nombre"),
            tipo=self._texto(datos, "tipo"),
            obligatorio=obligatorio,
            unidad=self._texto(datos, "unidad", requerido=False),
            minimo=self._decimal(datos, "minimo"),
            maximo=self._decimal(datos, "maximo"),
            opciones=[str(o) for o in opciones],
            fundamento=self._texto(datos, "fundamento"),
            ayuda=self._texto(datos, "ayuda", requerido=False),
            orden=orden,
        )
        if requisito.clave in vistos:
            self.error(datos, "clave", f"el requisito «{requisito.clave}» está repetido")
            return
        vistos.add(requisito.clave)
        self._guardar(requisito, datos)


def _requisitos_en(datos) -> int | None:
    """How many requirements the file lists (the progress's total), if its shape allows."""
    try:
        return sum(
            len(perfil.get("requisitos") or [])
            for categoria in datos.get("categorias") or []
            for perfil in categoria.get("perfiles") or []
        )
    except (AttributeError, TypeError):
        return None


def publicacion_importar(
    *, texto: str, version: str | None = None, avance: Avance = SIN_AVANCE
) -> Publicacion:
    """Load an edition from YAML as a draft: all of it, or nothing and every error found."""
    try:
        datos = formato.leer(texto)
    except yaml.YAMLError as exc:
        marca = getattr(exc, "problem_mark", None)
        linea = marca.line + 1 if marca else "?"
        problema = getattr(exc, "problem", None) or str(exc)
        raise exceptions.ImportacionError(
            [f"línea {linea}: el archivo no es YAML válido ({problema})"]
        ) from exc
    importador = _Importador(version, avance)
    avance.fase("requisitos", total=_requisitos_en(datos))
    # Raising inside the block rolls back every row written before the first error.
    with transaction.atomic():
        publicacion = importador.importar(datos)
        if importador.errores:
            raise exceptions.ImportacionError(importador.errores)
    return publicacion
