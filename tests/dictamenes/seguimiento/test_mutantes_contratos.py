"""The contract rules of dictamenes/models/contratos.py at their exact values (issue 92, item
3: the mutation run): what the contract form says while an amount is typed, and when a
contract waits for the strategic reviewer. The dictamen approved $20,000.00; the office's
tolerance is 10 %, so $22,000.00 is the most the running total may reach without waiting."""

from decimal import Decimal

import pytest

from dictamenes.models.contratos import (
    Contrato,
    TopeDeContratos,
    excede_lo_aprobado,
    pasa_la_tolerancia,
)

APROBADO = Decimal("20000.00")
CENTAVO = Decimal("0.01")


@pytest.mark.parametrize(
    ("total", "espera"),
    [
        (Decimal("21999.99"), False),
        (Decimal("22000.00"), False),  # exactly the tolerance: within
        (Decimal("22000.01"), True),
    ],
)
def test_la_tolerancia_del_diez_por_ciento_al_centavo(total, espera):
    assert pasa_la_tolerancia(total=total, aprobado=APROBADO, tolerancia_pct=10) is espera


def test_sin_tolerancia_un_centavo_sobre_lo_aprobado_ya_espera():
    assert not pasa_la_tolerancia(total=APROBADO, aprobado=APROBADO, tolerancia_pct=0)
    assert pasa_la_tolerancia(total=APROBADO + CENTAVO, aprobado=APROBADO, tolerancia_pct=0)


def test_la_tolerancia_es_un_porcentaje_de_lo_aprobado_no_una_cantidad():
    # 1 % of $20,000.00 is $200.00: $20,200.00 is within, $20,201.00 is not.
    assert not pasa_la_tolerancia(total=Decimal("20200.00"), aprobado=APROBADO, tolerancia_pct=1)
    assert pasa_la_tolerancia(total=Decimal("20201.00"), aprobado=APROBADO, tolerancia_pct=1)


def test_el_total_igual_a_lo_aprobado_no_excede_y_un_centavo_mas_si():
    assert not excede_lo_aprobado(
        contratado=Decimal("15000.00"), monto=Decimal("5000.00"), aprobado=APROBADO
    )
    assert excede_lo_aprobado(
        contratado=Decimal("15000.00"), monto=Decimal("5000.01"), aprobado=APROBADO
    )


def test_lo_que_resta_por_contratar_y_cero_una_vez_pasado():
    assert TopeDeContratos(APROBADO, Decimal("15000.00")).restante == Decimal("5000.00")
    assert TopeDeContratos(APROBADO, APROBADO).restante == 0
    assert TopeDeContratos(APROBADO, Decimal("25000.00")).restante == 0


def test_el_formulario_dice_el_total_que_haria_un_monto_y_si_espera():
    tope = TopeDeContratos(APROBADO, Decimal("15000.00"), tolerancia_pct=10)
    assert tope.con(Decimal("5000.00")) == {
        "monto": Decimal("5000.00"),
        "total": Decimal("20000.00"),
        "excede": False,
        "espera": False,
        "tolerancia_pct": 10,
    }
    assert tope.con(Decimal("7000.00")) == {
        "monto": Decimal("7000.00"),
        "total": Decimal("22000.00"),
        "excede": True,
        "espera": False,
        "tolerancia_pct": 10,
    }
    assert tope.con(Decimal("7000.01"))["espera"] is True
    assert tope.excede(Decimal("5000.01")) and not tope.excede(Decimal("5000.00"))


def test_sin_tolerancia_dicha_el_formulario_no_dice_que_espera():
    tope = TopeDeContratos(APROBADO, Decimal("15000.00"))
    assert tope.con(Decimal("9000.00"))["espera"] is False
    assert tope.con(Decimal("9000.00"))["excede"] is True


@pytest.mark.parametrize("monto", [None, Decimal("0"), Decimal("-1.00")])
def test_sin_monto_o_con_uno_que_no_es_positivo_el_formulario_no_dice_nada(monto):
    assert TopeDeContratos(APROBADO, Decimal("15000.00"), tolerancia_pct=10).con(monto) is None


def test_un_centavo_ya_es_un_monto():
    assert TopeDeContratos(APROBADO, Decimal("0"), tolerancia_pct=10).con(CENTAVO)["total"] == (
        CENTAVO
    )


def test_un_contrato_se_nombra_por_su_numero_y_su_proveedor():
    assert str(Contrato(numero="SH-001", proveedor="Cómputo del Noroeste")) == (
        "SH-001 · Cómputo del Noroeste"
    )
