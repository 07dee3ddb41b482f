"""A substitute who does not review every area of the titular (issue 59): the kind of change
(CambioPendiente.Tipo.SUSTITUCION) for the dual-control engine (operacion.services.
configuracion), registered in cambios.tipos.TIPOS. Asked by the titular through
suplencias.services.sustitucion_crear, which names the substitute as the person it is
about (so neither they, nor the titular, nor the creator of the substitute's account approve
it); here it is checked and applied on approval."""

from django.core.exceptions import ValidationError

from dictamenes.suplencias import services as suplencias


class Sustitucion:
    roles = ()

    def preparar(self, *, accion, pedido, por, archivo=None) -> dict:
        # Not an administrator's request of the configuration: the titular asks it.
        raise ValidationError(
            suplencias.ERROR_SUSTITUCION_SE_PIDE_EN_SUPLENCIAS, code="se_pide_en_suplencias"
        )

    def estado(self, *, accion, pedido, por=None) -> dict:
        return suplencias.sustitucion_estado(pedido=pedido)

    def aplicar(self, *, accion, pedido, por, motivo) -> None:
        suplencias.sustitucion_aplicar(pedido=pedido, motivo=motivo)
