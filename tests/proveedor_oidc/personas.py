"""The people of the test identity provider: one list, shared by the provider (which seeds
them and builds their claims) and by the client tests (which log in as them and check what
the project made of their claims)."""

from __future__ import annotations

from dataclasses import dataclass

CONTRASENA_PROVEEDOR = "clave-proveedor-2026"
# Authentication context and methods the provider asserts (OIDC Core 2, RFC 8176).
ACR_MFA = "urn:sonora:mfa"
AMR_CON_MFA = ("pwd", "otp")
AMR_SIN_MFA = ("pwd",)


@dataclass(frozen=True)
class Persona:
    usuario: str
    correo: str
    curp: str
    nombre: str
    primer_apellido: str
    segundo_apellido: str
    mfa: bool

    @property
    def nombre_completo(self) -> str:
        return f"{self.nombre} {self.primer_apellido} {self.segundo_apellido}"

    @property
    def apellidos(self) -> str:
        return f"{self.primer_apellido} {self.segundo_apellido}"

    @property
    def amr(self) -> list[str]:
        return list(AMR_CON_MFA if self.mfa else AMR_SIN_MFA)

    @property
    def acr(self) -> str | None:
        return ACR_MFA if self.mfa else None


FIRMANTE = Persona(
    usuario="firmante.idp",
    correo="firmante@sonora.gob.mx",
    curp="GOMA800101HSRMRR05",
    nombre="Arturo",
    primer_apellido="Gómez",
    segundo_apellido="Mora",
    mfa=True,
)
REVISOR = Persona(
    usuario="revisor.idp",
    correo="revisor.redes@sonora.gob.mx",
    curp="LOPR850202MSRPRV09",
    nombre="Raquel",
    primer_apellido="López",
    segundo_apellido="Pérez",
    mfa=False,
)
DESCONOCIDA = Persona(
    usuario="desconocida.idp",
    correo="desconocida@sonora.gob.mx",
    curp="PEDE900303MSRRSC01",
    nombre="Estela",
    primer_apellido="Pérez",
    segundo_apellido="Díaz",
    mfa=False,
)
SOLO_CURP = Persona(
    usuario="solo.curp.idp",
    correo="otra.direccion@gmail.com",
    curp="RAMS750404HSRMNL08",
    nombre="Samuel",
    primer_apellido="Ramírez",
    segundo_apellido="Molina",
    mfa=False,
)

PERSONAS: tuple[Persona, ...] = (FIRMANTE, REVISOR, DESCONOCIDA, SOLO_CURP)
POR_USUARIO: dict[str, Persona] = {p.usuario: p for p in PERSONAS}
