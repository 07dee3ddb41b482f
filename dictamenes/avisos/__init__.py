"""The outbox: every e-mail the system sends (to requirentes, reviewers, signers and
administrators) is queued here in the transaction of the change it tells about, and sent by
the `enviar_avisos` command. It signs each e-mail with the institution's current name, so it
sits above `organizacion` (whose texts it reads) and below every capability that tells
someone something. It may import `organizacion` and `comun`."""
