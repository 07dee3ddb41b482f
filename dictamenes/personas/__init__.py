"""The people: accounts, agencies and their requirentes, roles of the procedure,
and the dual control of changes to them (one administrator asks, another approves:
`services.control_dual`, with the pending change itself in `services.cambios_pendientes`),
and sign-in identities. Taking someone out of a role releases their tasks, so it sits above
`tramite`. The pages are in `cuentas` (sign-in and identity). It may import `tramite` and
everything below it."""
