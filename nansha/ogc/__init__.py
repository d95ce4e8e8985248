"""OGC API – Features (/ogc/): landing page, conformance, collections and items over the API's viewsets."""
