"""Static files for production: compressed and cache-busted by whitenoise."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class EstaticosComprimidos(CompressedManifestStaticFilesStorage):
    """viewflow's bundled Roboto stylesheet points at font weights the package does not ship;
    those references are left as they are instead of failing the whole collectstatic."""

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if self.exists(name) or not name.endswith((".woff", ".woff2", ".ttf", ".eot", ".svg")):
                raise
            return name
