"""OGC API – Features (/ogc/): landing page, conformance, collections, queryables and items over the API's
viewsets (views.py), their parameters (parameters.py), CQL2 filters (cql2.py) and HTML pages (html.py).
A page package: imports nansha.api and nansha.records; nothing imports it but the URLs.
"""
