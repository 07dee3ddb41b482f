"""The forms of the console's pages, one module per page (`roles`, `cambios`, `areas`,
`entes`, `institucion`, `vias`, `capacidad`), and `motivo`: the reason every change asked of a
second administrator carries. They only read the fields: the rules are the doors' of the
capability each page configures, whose errors land next to each field."""
