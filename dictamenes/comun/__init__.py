"""The machinery every capability uses, and nothing of the domain's rules: the audit door
(`auditoria.evento_registrar`, the one way a state change is recorded, in its transaction), the
advisory locks of the periodic commands (`exclusion`), the shared cache and its keys (`cache`),
the API's pagination (`paginacion`), stored files checked by their SHA-256 and the uploads'
validation (`archivos`), the public verification links (`enlaces`), CSV/XLSX tables (`tablas`),
the per-process Prometheus metrics (`metricas`), the request's id for the log lines
(`observacion`) and what a page says of a service's refusal (`vistas`). It may import only the
models and the base modules of `dictamenes` (`roles`, `exceptions`, `montos`, `flow_port`) and
`estandares`."""
