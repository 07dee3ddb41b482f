"""The signed document's pieces: PDF (reportlab), QR, e.firma, RFC 3161 timestamps, long-term
validation, PDF/A, NOM-151 and the ZIP file of a request."""
