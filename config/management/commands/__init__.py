"""manual_construir: the manuals' site, built where /manual/ reads it."""
