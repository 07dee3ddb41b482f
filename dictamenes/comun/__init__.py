"""The machinery every capability uses, and nothing of the domain's rules: the audit door
(`auditoria.evento_registrar`, the one way a state change is recorded, in its transaction), the
shared cache and its keys (`cache`), the small queries every page runs, compiled once (`consultas`),
the API's pagination (`paginacion`) and each row's address in a list (`direcciones`), stored files
checked by their SHA-256 and the uploads' validation (`archivos`), the public verification links
(`enlaces`), dates as people read them (`fechas`), CSV/XLSX tables (`tablas`), the per-process
Prometheus metrics (`metricas`), the request's id for the log lines (`observacion`) and what a
page says of a service's refusal (`vistas`). What only one room uses lives in that room (issue
79): the console's «every field stated» forms in `consola.forms`, the letterhead's image limit
in `organizacion.imagenes`, the rehearsal of a change in `operacion.services.ensayo` and the one
run at a time of the periodic commands in `operacion.exclusion`. It may import only the models
and the base modules of `dictamenes` (`roles`, `exceptions`, `montos`, `flow_port`) and
`estandares`."""
