"""A state's profile, loaded from a file (issue 35): its review areas and the categories each
one reviews, its institution texts and letterhead, its folio patterns and its stages'
deadlines; since issue 61 also the article of each unit's name, the signers' post, which area
each existing reviewer takes, and the time zone the deployment should set. Every change goes
through the door that audits it (organizacion.services.areas, textos, plazos,
personas.services.cargos, personas.services.personas.rol_aplicar), as the administrator
`por`, in one transaction: a bad file leaves nothing loaded, and a file already loaded
changes nothing. No password travels in it: the demo reviewers get the demo's public one
from the settings when the demo is allowed (DICTAMENES_CONTRASENA_DEMO).

The file (TOML) is described in docs/adopcion/index.md («Adoptarlo en otro estado»)."""

import hashlib
import tomllib
import zoneinfo
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Area, Perfil, PlazoEtapa
from dictamenes.models.articulos import ARTICULOS
from dictamenes.operacion.services import vias as vias_servicio
from dictamenes.organizacion.selectors.revisores import revisores_sin_area
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.services import areas as areas_servicio
from dictamenes.organizacion.services.textos import (
    CAMPOS,
    PATRONES,
    imagen_validar,
    patron_validar,
    textos_guardar,
)
from dictamenes.personas.services import personas
from dictamenes.personas.services.cargos import cargo_normalizar, perfil_cargo_cambiar
from dictamenes.roles import Rol
from dictamenes.tramite.selectors.vias import vias_vigentes
from dictamenes.tramite.services.plazos import plazo_fijar
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.models import Categoria

MOTIVO = "Perfil del estado cargado desde {archivo}"

INSTITUCION = (
    "nombre",
    "nombre_articulo",
    "unidad_resuelve",
    "unidad_resuelve_articulo",
    "unidad_firma",
    "unidad_firma_articulo",
    "cargo_firma",
    "lugar",
    "membrete",
    "fundamentos",
    "folio_solicitud",
    "folio_dictamen",
)


# Each name's article key in [institucion] (optional, «la» when absent) and its texts field.
ARTICULOS_DEL_PERFIL = {
    "nombre_articulo": "institucion_articulo",
    "unidad_resuelve_articulo": "unidad_resuelve_articulo",
    "unidad_firma_articulo": "unidad_firma_articulo",
}


class PerfilInvalido(ValueError):
    """The file cannot be loaded; the message says why, in Spanish."""


def _exigir(tabla: dict, clave: str, ruta: str, tipo, nombre_tipo: str):
    if clave not in tabla:
        raise PerfilInvalido(f"Falta la clave «{ruta}{clave}» en el perfil.")
    valor = tabla[clave]
    if isinstance(valor, bool) and tipo is not bool or not isinstance(valor, tipo):
        raise PerfilInvalido(f"La clave «{ruta}{clave}» debe ser {nombre_tipo}.")
    return valor


def _lista_de_textos(tabla: dict, clave: str, ruta: str) -> list[str]:
    valor = _exigir(tabla, clave, ruta, list, "una lista de textos")
    if not valor or not all(isinstance(v, str) and v.strip() for v in valor):
        raise PerfilInvalido(f"La clave «{ruta}{clave}» debe ser una lista de textos no vacíos.")
    return [v.strip() for v in valor]


def perfil_leer(ruta: Path) -> dict:
    """The profile in `ruta`, checked whole against the standards published here. Raises
    PerfilInvalido with the first problem found."""
    ruta = Path(ruta)
    try:
        datos = tomllib.loads(ruta.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PerfilInvalido(f"No existe el archivo {ruta}.") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PerfilInvalido(f"El archivo {ruta.name} no es TOML válido: {exc}") from exc

    inst = _exigir(datos, "institucion", "", dict, "una tabla [institucion]")
    perfil = {"archivo": ruta.name}
    for clave in ("nombre", "unidad_resuelve", "unidad_firma", "lugar", *PATRONES):
        texto = _exigir(inst, clave, "institucion.", str, "un texto").strip()
        if not texto:
            raise PerfilInvalido(f"La clave «institucion.{clave}» está vacía.")
        perfil[clave] = texto
    _institucion_opcional(inst, perfil)
    perfil["zona_horaria"] = _zona_horaria(datos)
    perfil["membrete"] = _lista_de_textos(inst, "membrete", "institucion.")
    perfil["fundamentos"] = _lista_de_textos(inst, "fundamentos", "institucion.")
    perfil["condicion_dias_habiles"] = _exigir(
        inst, "condicion_dias_habiles", "institucion.", int, "un número entero"
    )
    for campo in PATRONES:
        try:
            patron_validar(campo=campo, patron=perfil[campo])
        except ValidationError as exc:
            raise PerfilInvalido(f"«institucion.{campo}»: {exc.messages[0]}") from exc
    perfil["membrete_imagen"] = None
    if "membrete_imagen" in inst:
        imagen = ruta.parent / _exigir(inst, "membrete_imagen", "institucion.", str, "un texto")
        if not imagen.is_file():
            raise PerfilInvalido(f"No existe la imagen del membrete {imagen}.")
        # Checked here, before the command keeps a copy for the change that waits: its type,
        # its weight and its pixels (read from the header; a bomb is never decoded).
        try:
            with imagen.open("rb") as archivo:
                imagen_validar(File(archivo))
        except ValidationError as exc:
            raise PerfilInvalido(
                f"«institucion.membrete_imagen» ({imagen.name}): {exc.messages[0]}"
            ) from exc
        perfil["membrete_imagen"] = imagen

    plazos = _exigir(datos, "plazos", "", dict, "una tabla [plazos]")
    for etapa in plazos:
        if etapa not in PlazoEtapa.Etapa.values:
            raise PerfilInvalido(
                f"La etapa «plazos.{etapa}» no existe; las etapas son: "
                + ", ".join(PlazoEtapa.Etapa.values)
                + "."
            )
    perfil["plazos"] = {
        etapa: _exigir(plazos, etapa, "plazos.", int, "un número entero de días hábiles")
        for etapa in PlazoEtapa.Etapa.values
    }

    areas = _exigir(datos, "areas", "", list, "una lista de tablas [[areas]]")
    if not areas:
        raise PerfilInvalido("El perfil debe tener al menos un área en [[areas]].")
    existentes = set(Categoria.objects.values_list("clave", flat=True))
    # A new installation has no standards yet: their import names the areas this profile
    # creates (by their key), so the categories are checked on the next run, after it.
    perfil["sin_normas"] = not existentes
    de_cada_categoria, nombres = {}, set()
    perfil["areas"] = []
    for n, area in enumerate(areas, start=1):
        if not isinstance(area, dict):
            raise PerfilInvalido(f"El área {n} de [[areas]] debe ser una tabla.")
        nombre = " ".join(_exigir(area, "nombre", f"areas[{n}].", str, "un texto").split())
        if not nombre or nombre.lower() in nombres:
            raise PerfilInvalido(f"El nombre del área {n} está vacío o repetido: «{nombre}».")
        nombres.add(nombre.lower())
        categorias = _lista_de_textos(area, "categorias", f"areas[{n}].")
        for clave in categorias:
            if existentes and clave not in existentes:
                raise PerfilInvalido(
                    f"La categoría «{clave}» del área «{nombre}» no existe en las normas "
                    "publicadas."
                )
            if clave in de_cada_categoria:
                raise PerfilInvalido(
                    f"La categoría «{clave}» está en dos áreas: «{de_cada_categoria[clave]}» "
                    f"y «{nombre}»."
                )
            de_cada_categoria[clave] = nombre
        revisor = area.get("revisor_demo")
        if revisor is not None:
            if not isinstance(revisor, dict):
                raise PerfilInvalido(f"«areas[{n}].revisor_demo» debe ser una tabla.")
            for clave in ("usuario", "nombre", "apellidos", "rfc", "cargo"):
                _exigir(revisor, clave, f"areas[{n}].revisor_demo.", str, "un texto")
            # The cargo is printed on what the person signs and on its public page (issue
            # 59): refused here, naming the key, before anything is loaded.
            try:
                SIN_DATOS_PERSONALES(revisor["cargo"])
            except ValidationError as exc:
                raise PerfilInvalido(
                    f"«areas[{n}].revisor_demo.cargo»: {' '.join(exc.messages)}"
                ) from exc
        revisores = (
            _lista_de_textos(area, "revisores", f"areas[{n}].") if "revisores" in area else []
        )
        perfil["areas"].append(
            {
                "nombre": nombre,
                "categorias": categorias,
                "revisor": revisor,
                "revisores": revisores,
            }
        )
    if sin_area := sorted(existentes - set(de_cada_categoria)):
        raise PerfilInvalido(
            "Estas categorías de las normas no están en ninguna área del perfil: "
            + ", ".join(sin_area)
            + "."
        )
    _cuentas_de_revisores(perfil)
    perfil["precios"] = _precios(datos)
    # Only whether it wants demo accounts: their password is the demo's, from the settings, and
    # a [demo] table (its «contrasena» of before issue 61) is not read, so never stored.
    perfil["demo"] = any(a["revisor"] for a in perfil["areas"])
    return perfil


# The law's price tests as the state applies them (issue 76, item 5): the optional [precios]
# table, each key -> the field of the tracks' rules it sets (a new version of them, through
# their door, when the profile is applied).
PRECIOS = {
    "centro": ("ley_centro", str, "«media» o «mediana»"),
    "no_aceptable_pct": ("ley_no_aceptable_pct", int, "un número entero"),
    "no_conveniente_pct": ("ley_no_conveniente_pct", int, "un número entero"),
    "fundamento": ("ley_articulo", str, "un texto"),
}


def _precios(datos: dict) -> dict:
    """The fields of the tracks' rules the profile's [precios] sets ({} without it)."""
    if "precios" not in datos:
        return {}
    tabla = _exigir(datos, "precios", "", dict, "una tabla [precios]")
    if ajenas := sorted(set(tabla) - set(PRECIOS)):
        raise PerfilInvalido(
            f"La clave «precios.{ajenas[0]}» no existe; las claves son: " + ", ".join(PRECIOS) + "."
        )
    return {
        campo: _exigir(tabla, clave, "precios.", tipo, nombre)
        for clave, (campo, tipo, nombre) in PRECIOS.items()
        if clave in tabla
    }


def _precios_aplicar(perfil: dict, *, por, motivo: str) -> list[str]:
    """A new version of the tracks' rules with the profile's price tests, checked by their
    door (vias_guardar) as the page's; nothing when they already say so."""
    pedidos = perfil.get("precios") or {}
    vigentes = vias_vigentes()
    if not pedidos or all(getattr(vigentes, c) == v for c, v in pedidos.items()):
        return []
    datos = {campo: getattr(vigentes, campo) for campo in vias_servicio.CAMPOS} | pedidos
    nueva = vias_servicio.vias_guardar(datos=datos, por=por, motivo=motivo)
    return [f"Pruebas de precio de la ley: vías de revisión, versión {nueva.version}"]


def _institucion_opcional(inst: dict, perfil: dict) -> None:
    """The articles of the names and the signers' post (issue 61), both optional."""
    for clave, campo in ARTICULOS_DEL_PERFIL.items():
        articulo = inst.get(clave, "la")
        if articulo not in ARTICULOS:
            raise PerfilInvalido(
                f"La clave «institucion.{clave}» debe ser uno de: {', '.join(ARTICULOS)}."
            )
        perfil[campo] = articulo
    perfil["cargo_firma"] = ""
    if "cargo_firma" in inst:
        cargo = cargo_normalizar(_exigir(inst, "cargo_firma", "institucion.", str, "un texto"))
        if not cargo:
            raise PerfilInvalido("La clave «institucion.cargo_firma» está vacía.")
        try:
            SIN_DATOS_PERSONALES(cargo)
        except ValidationError as exc:
            raise PerfilInvalido(f"«institucion.cargo_firma»: {' '.join(exc.messages)}") from exc
        perfil["cargo_firma"] = cargo


def _zona_horaria(datos: dict) -> str:
    """The optional IANA zone (a deployment setting, DJANGO_ZONA_HORARIA: the change only says
    so when it differs from the one in force)."""
    if "zona_horaria" not in datos:
        return ""
    zona = _exigir(datos, "zona_horaria", "", str, "un texto").strip()
    if zona not in zoneinfo.available_timezones():
        raise PerfilInvalido(
            f"La zona horaria «{zona}» no existe; use un nombre IANA, como America/Mexico_City."
        )
    return zona


def _cuentas_de_revisores(perfil: dict) -> dict[str, object]:
    """The accounts the areas' `revisores` name, by username; an unknown one is refused."""
    nombres = {u for area in perfil["areas"] for u in area.get("revisores", [])}
    cuentas = {u.username: u for u in get_user_model().objects.filter(username__in=nombres)}
    revisan = set(
        get_user_model()
        .objects.filter(username__in=nombres, groups__name=str(Rol.REVISOR_TECNICO.label))
        .values_list("username", flat=True)
    )
    for n, area in enumerate(perfil["areas"], start=1):
        for username in area.get("revisores", []):
            if username not in cuentas:
                raise PerfilInvalido(
                    f"«areas[{n}].revisores»: no existe la cuenta «{username}» (el área "
                    f"«{area['nombre']}» nombra por su usuario a quienes ya revisan)."
                )
            if username not in revisan:
                raise PerfilInvalido(
                    f"«areas[{n}].revisores»: «{username}» no tiene el rol Revisor técnico; el "
                    "perfil solo da un área a quien ya revisa (el rol se otorga en «Personas y "
                    "roles»)."
                )
    return cuentas


def textos_del_perfil(perfil: dict) -> dict:
    """The institution's texts the profile sets (textos_guardar's `datos`)."""
    return {
        "fundamentos": "\n".join(perfil["fundamentos"]),
        "membrete": "\n".join(perfil["membrete"]),
        "institucion": perfil["nombre"],
        "unidad_resuelve": perfil["unidad_resuelve"],
        "unidad_firma": perfil["unidad_firma"],
        # A profile stored before issue 61 names no article: «la», as every text said then.
        **{campo: perfil.get(campo, "la") for campo in ARTICULOS_DEL_PERFIL.values()},
        "lugar": perfil["lugar"],
        "folio_solicitud": perfil["folio_solicitud"],
        "folio_dictamen": perfil["folio_dictamen"],
        "condicion_dias_habiles": perfil["condicion_dias_habiles"],
    }


def _textos(perfil: dict, *, por, motivo: str) -> bool:
    vigentes = textos_vigentes()
    datos = textos_del_perfil(perfil)
    imagen = perfil["membrete_imagen"]
    digesto = hashlib.sha256(imagen.read_bytes()).hexdigest() if imagen else ""
    iguales = all(getattr(vigentes, c) == datos[c] for c in CAMPOS if c != "membrete_imagen_sha256")
    if iguales and vigentes.membrete_imagen_sha256 == digesto:
        return False
    try:
        if imagen and vigentes.membrete_imagen_sha256 != digesto:
            with imagen.open("rb") as archivo:
                textos_guardar(usuario=por, datos=datos, imagen=File(archivo), motivo=motivo)
        else:
            textos_guardar(usuario=por, datos=datos, quitar_imagen=not imagen, motivo=motivo)
    except ValidationError as exc:
        raise PerfilInvalido("Los textos no se guardaron: " + " ".join(exc.messages)) from exc
    return True


def _revisor_demo(*, area: Area, revisor: dict, por) -> bool:
    if get_user_model().objects.filter(username=revisor["usuario"]).exists():
        return False
    usuario = personas.usuario_crear(
        username=revisor["usuario"],
        # The demo's public password; none usable when the setting is empty.
        password=settings.DICTAMENES_CONTRASENA_DEMO or None,
        nombre=revisor["nombre"],
        apellidos=revisor["apellidos"],
        email=f"{revisor['usuario']}@demo.invalid",
        rfc=revisor["rfc"],
        cargo=revisor["cargo"],
        roles=[Rol.REVISOR_TECNICO],
        areas=[area],
    )
    evento_registrar(
        tipo="revisor_demo_creado",
        descripcion=f"Cuenta de demostración {usuario.username}: revisa «{area.nombre}»",
        usuario=por,
        motivo="Perfil de demostración",
        datos={"persona": usuario.pk, "username": usuario.username, "area": area.clave},
    )
    return True


def areas_que_retira(perfil: dict) -> QuerySet[Area]:
    """The active areas the profile does not name (by name, case aside, as perfil_cargar
    finds them): loading it retires them. Their reviewers keep the role and lose the area
    (issue 60): the approval screen names them before (operacion.services.cambios.sin_area)."""
    nombrada = Q(pk__in=[])
    for area in perfil["areas"]:
        nombrada |= Q(nombre__iexact=area["nombre"])
    return Area.objects.filter(activa=True).exclude(nombrada)


@transaction.atomic
def perfil_cargar(*, perfil: dict, por, permitir_demo: bool | None = None) -> list[str]:
    """Apply the profile read by perfil_leer. Returns what changed, one line each (empty when
    the profile was already loaded). The demo reviewers (`revisor_demo`) are created only when
    `permitir_demo` (by default, where this installation allows the demo, decided when it is
    applied): a real state's reviewers are granted on the roles page (dual control), or named
    by username in each area's `revisores`."""
    if permitir_demo is None:
        permitir_demo = settings.DICTAMENES_PERMITIR_DEMO
    motivo = MOTIVO.format(archivo=perfil["archivo"])
    cambios = []
    con_revisores = [a for a in perfil["areas"] if a["revisor"]]
    if con_revisores and not permitir_demo:
        raise PerfilInvalido(
            "El perfil trae revisores de demostración (revisor_demo) y este entorno no permite "
            "la demostración (DJANGO_PERMITIR_DEMO): otorgue los revisores en la página de "
            "roles, o nómbrelos en «revisores» de cada área."
        )
    varados = {r.usuario.pk for r in revisores_sin_area()}
    try:
        nuevas = {}
        for area in perfil["areas"]:
            existente = Area.objects.filter(nombre__iexact=area["nombre"]).first()
            if existente is not None and not existente.activa:
                raise PerfilInvalido(
                    f"El área «{existente.nombre}» existe y está retirada; elija otro nombre."
                )
            if existente is None:
                existente = areas_servicio.area_agregar(
                    nombre=area["nombre"], por=por, motivo=motivo
                )
                cambios.append(f"Área agregada: {existente.nombre}")
            nuevas[existente.pk] = (existente, area)
        # The areas the profile does not name retire, each into the profile's area that
        # receives most of its categories: their open reviews and categories move there.
        destino_de_categoria = {
            clave: area for area, datos in nuevas.values() for clave in datos["categorias"]
        }
        viejas = areas_que_retira(perfil).order_by("pk")
        for vieja in viejas:
            votos = {}
            for clave in set(vieja.categorias.values_list("clave", flat=True)):
                destino = destino_de_categoria[clave]
                votos[destino.pk] = votos.get(destino.pk, 0) + 1
            primera = next(iter(nuevas))
            destino = nuevas[max(votos, key=votos.get) if votos else primera][0]
            areas_servicio.area_retirar(area=vieja, destino=destino, por=por, motivo=motivo)
            cambios.append(f"Área retirada: {vieja.nombre} (pasa a {destino.nombre})")
        for area, datos in nuevas.values():
            faltan = set(
                Categoria.objects.filter(clave__in=datos["categorias"])
                .exclude(area=area)
                .values_list("clave", flat=True)
            )
            if faltan:
                areas_servicio.categorias_asignar(area=area, claves=faltan, por=por, motivo=motivo)
                cambios.append(f"Categorías asignadas a {area.nombre}: {', '.join(sorted(faltan))}")
        cambios += _revisores(perfil, nuevas=nuevas, por=por, motivo=motivo)
        if _textos(perfil, por=por, motivo=motivo):
            cambios.append(f"Textos de la institución: versión {textos_vigentes().version}")
        cambios += _cargos(perfil, por=por, motivo=motivo)
        cambios += _precios_aplicar(perfil, por=por, motivo=motivo)
        # In the stages' order (a stored profile's table comes back from PostgreSQL's jsonb
        # with its keys reordered, and its lines are compared on approval).
        for etapa in PlazoEtapa.Etapa.values:
            dias = perfil["plazos"][etapa]
            if plazo_fijar(etapa=etapa, dias=dias, por=por, motivo=motivo):
                cambios.append(f"Plazo de {PlazoEtapa.Etapa(etapa).label}: {dias} días hábiles")
        for area, datos in nuevas.values():
            if datos["revisor"] and _revisor_demo(area=area, revisor=datos["revisor"], por=por):
                cambios.append(f"Revisor de demostración: {datos['revisor']['usuario']}")
    except ValidationError as exc:
        raise PerfilInvalido(" ".join(exc.messages)) from exc
    if sin_area := [r for r in revisores_sin_area() if r.usuario.pk not in varados]:
        cambios.append(
            "Quedan con el rol Revisor técnico y sin área: "
            + ", ".join(f"{r.nombre} ({r.usuario.username})" for r in sin_area)
            + ". Nómbrelos en «revisores» de un área del perfil, o deles un área en «Personas "
            "y roles»."
        )
    return cambios


def _revisores(perfil: dict, *, nuevas: dict, por, motivo: str) -> list[str]:
    """Each existing reviewer the profile names takes its area, through the door that grants
    a reviewer more areas (personas.rol_aplicar, audited): the profile's approval is the
    second administrator's."""
    cuentas = _cuentas_de_revisores(perfil)
    area_de = {datos["nombre"]: area for area, datos in nuevas.values()}
    lineas = []
    for datos in perfil["areas"]:
        area = area_de[datos["nombre"]]
        for username in datos.get("revisores", []):
            usuario = cuentas[username]
            suyas = set(
                Perfil.areas.through.objects.filter(perfil__usuario=usuario).values_list(
                    "area_id", flat=True
                )
            )
            if area.pk in suyas:
                continue
            personas.rol_aplicar(
                usuario=usuario,
                rol=Rol.REVISOR_TECNICO,
                por=por,
                motivo=motivo,
                ente=None,
                areas=[area],
            )
            lineas.append(f"Revisor técnico {username}: revisa «{area.nombre}»")
    return lineas


def firmantes_activos() -> QuerySet[Perfil]:
    """The profiles of the active people holding Firmante, by username."""
    return (
        Perfil.objects.filter(
            usuario__groups__name=str(Rol.FIRMANTE.label), usuario__is_active=True
        )
        .select_related("usuario")
        .order_by("usuario__username")
        .distinct()
    )


def _cargos(perfil: dict, *, por, motivo: str) -> list[str]:
    """The signers take the profile's post (`cargo_firma`) through the door that audits a
    post (personas.services.cargos): the next dictamen each signs prints it."""
    cargo = perfil.get("cargo_firma")
    if not cargo:
        return []
    lineas = []
    for firmante in firmantes_activos():
        if firmante.cargo == cargo:
            continue
        anterior = firmante.cargo
        perfil_cargo_cambiar(perfil=firmante, cargo=cargo, por=por, motivo=motivo)
        lineas.append(
            f"Cargo de {firmante.usuario.get_full_name() or firmante.usuario.username} "
            f"({firmante.usuario.username}), quien firma: «{anterior or '—'}» → «{cargo}»"
        )
    return lineas
