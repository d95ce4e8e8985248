"""Running the site: the health check, the 503 middleware, the public-data cache, static file storage and
backup/restore.

Imported by settings, urls, commands and the pages that cache responses; it imports no other part of nansha.
"""
