"""The partner REST API (/api/v1/): access and throttles, base serializers and viewsets, filtering, renderers,
GeoJSON, pagination, errors, the OpenAPI document (schema.py), and the resources of each app (resources/);
routed in urls.py with the schema and docs.
"""
