"""Who a pending change would leave holding Revisor técnico with no active area (issue 60,
item 4), named on its approval screen before it is approved. A reviewer does not follow an
area that retires: retiring one (Areas «retirar») or loading a state's profile that does not
name it (PerfilEstado) leaves its reviewers with the role and nothing to review; reactivating
an account (ACCESO) brings back a reviewer whose areas retired meanwhile. Each kind of change
says which areas it retires (`retira`) and, if it gives some reviewers an area of its own
(a profile's `revisores`, issue 61), who (`da_area`); the rule is
organizacion.selectors.revisores.sin_area.

Read, not written: it lives beside the kinds of change it asks (operacion.services), which
the selectors below may not import."""

from dictamenes.models import CambioPendiente
from dictamenes.operacion.services.cambios.tipos import TIPOS
from dictamenes.organizacion.selectors.revisores import Revisor, revisores_tecnicos, sin_area


def _retira(cambio: CambioPendiente) -> set[int]:
    retira = getattr(TIPOS.get(cambio.tipo), "retira", None)
    if retira is None:
        return set()
    return retira(accion=cambio.datos["accion"], pedido=cambio.datos["pedido"])


def _da_area(cambio: CambioPendiente) -> set[int]:
    """Who the change itself gives an area (a state's profile names its reviewers)."""
    da_area = getattr(TIPOS.get(cambio.tipo), "da_area", None)
    if da_area is None:
        return set()
    return da_area(accion=cambio.datos["accion"], pedido=cambio.datos["pedido"])


def _reactiva(cambio: CambioPendiente) -> int | None:
    if cambio.tipo == CambioPendiente.Tipo.ACCESO and cambio.datos["activo"][1]:
        return cambio.persona_id
    return None


def revisores_que_dejaria(*, cambios) -> dict[int, list[Revisor]]:
    """For each pending change that would leave someone so, by its id: the reviewers who can
    review today and could not once it is applied, by surname. The people holding the role are
    read once for all the changes (two queries), plus one for a state's profile (only one waits
    at a time)."""
    resultado: dict[int, list[Revisor]] = {}
    revisores = None
    for cambio in cambios:
        retiradas, reactivada = _retira(cambio), _reactiva(cambio)
        if not retiradas and reactivada is None:
            continue
        if revisores is None:
            revisores = revisores_tecnicos(con_cuentas_desactivadas=True)
        reciben = _da_area(cambio) if retiradas else set()
        quedarian = [
            r
            for r in revisores
            if (r.usuario.is_active or r.usuario.pk == reactivada)
            and r.usuario.pk not in reciben
            and sin_area(areas=r.areas, retiradas=retiradas)
            # Who is stranded already is named on the home page, not blamed on this change.
            and not (r.usuario.is_active and sin_area(areas=r.areas))
        ]
        if quedarian:
            resultado[cambio.pk] = quedarian
    return resultado
