"""Technical reviewers who hold the role and no active area (issue 60, item 4): they can take
no review, and the plan does not count them (capacidad.selectors.capacidad reads only the
active areas). Their own home says so (usuarios.paneles_de_inicio); the administrators' home,
the operator's page (operacion.selectors.estado) and, before it is approved, the approval
screen of a change that would leave someone so (operacion.services.cambios.sin_area) name
them from here.

The people holding the role are few (tens): they are read whole, with their active areas, in
two queries whatever their number, and the rule (`sin_area`) is applied to them here."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse

from dictamenes.models import Perfil
from dictamenes.roles import Rol


@dataclass(frozen=True)
class Revisor:
    usuario: object
    areas: frozenset[int]  # the ids of their active areas

    @property
    def nombre(self) -> str:
        return self.usuario.get_full_name() or self.usuario.username

    @property
    def url(self) -> str:
        """Where an administrator gives them an area or takes the role away."""
        return reverse("cuentas:rol_persona", args=[self.usuario.pk])


def sin_area(*, areas, retiradas=frozenset()) -> bool:
    """THE rule: none of the person's active areas is left once `retiradas` (the ids of those
    a change would retire) are gone. A reviewer so holds the role and can review nothing."""
    return not set(areas) - set(retiradas)


def revisores_tecnicos(*, con_cuentas_desactivadas: bool = False) -> list[Revisor]:
    """Everyone holding Revisor técnico (active accounts only, unless asked), each with their
    active areas, by surname: two queries."""
    usuarios = (
        get_user_model()
        .objects.filter(groups__name=str(Rol.REVISOR_TECNICO.label))
        .only("pk", "username", "first_name", "last_name", "is_active")
        .order_by("last_name", "first_name", "username")
        .distinct()
    )
    if not con_cuentas_desactivadas:
        usuarios = usuarios.filter(is_active=True)
    usuarios = list(usuarios)
    areas: dict[int, set[int]] = {u.pk: set() for u in usuarios}
    for usuario_id, area_id in Perfil.areas.through.objects.filter(
        area__activa=True, perfil__usuario_id__in=list(areas)
    ).values_list("perfil__usuario_id", "area_id"):
        areas[usuario_id].add(area_id)
    return [Revisor(u, frozenset(areas[u.pk])) for u in usuarios]


def revisores_sin_area() -> list[Revisor]:
    """Active people who hold Revisor técnico and no active area, by surname."""
    return [r for r in revisores_tecnicos() if sin_area(areas=r.areas)]
