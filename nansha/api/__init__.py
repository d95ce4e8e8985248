"""The partner REST API (/api/v1/): access and throttles, base serializers and viewsets, GeoJSON, errors, and the
resources of each app (resources/); routed in urls.py with the OpenAPI schema and docs.
"""
