"""The dictamen itself: issuing and signing it (e.firma, PAdES, timestamps), its
PDF and the other documents (`documentos/`), its verification by anyone, cancellation and
rectification, the NOM-151 conservation and the archival timestamps that keep it verifiable
for decades, and the stored PDFs read back checked. Issuing a dictamen opens its conditions,
so it may import `seguimiento`, and below it `tramite`, `planeacion`, `avisos`,
`organizacion` and `comun`."""
