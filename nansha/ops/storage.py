from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; the ES modules' imports are rewritten to the hashed names too."""

    support_js_module_import_aggregation = True
