"""What anyone may read without an account: verifying a dictamen, the public register, open data
(DCAT-AP, OCDS) and «¿Cómo es el trámite?». No models."""
