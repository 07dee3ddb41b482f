"""A real OpenID Connect provider (django-oauth-toolkit) for the test suite.

A standalone Django project of its own (settings in `ajustes`), started on loopback by
`tests.backends.proveedor_oidc`. Nothing of the main project imports it, and importing this
package configures nothing: `personas` is plain data the client tests share.
"""
