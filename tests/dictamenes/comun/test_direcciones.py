"""A named URL reversed once per page (comun.direcciones.molde_de_url) gives each row the
address reverse() gives it."""

from django.urls import reverse

from dictamenes.comun.direcciones import molde_de_url


def test_el_molde_da_la_direccion_que_da_reverse():
    detalle = molde_de_url("solicitudes:detalle", 1)
    tomar = molde_de_url("solicitudes:tomar", 2)
    for pk in (1, 7, 42, 987654321, 10**12):
        assert detalle(pk) == reverse("solicitudes:detalle", args=[pk])
        assert tomar(pk, pk + 3) == reverse("solicitudes:tomar", args=[pk, pk + 3])
