"""Hostile input, end to end through HTTP (issue 9), one module per kind of input: files
(test_subidas), free text (test_textos), and specifications and e.firmas of the wrong kind
(test_especificaciones_y_efirma). What they send is in datos.py; the world they act on, in
mundo.py, is built by conftest.py once per module inside a transaction rolled back at the end,
and each test runs in its own savepoint on top. Every input sent and checked is counted in
tests/seguridad/conftest.py (CIFRAS), printed at the end of the run.
"""
