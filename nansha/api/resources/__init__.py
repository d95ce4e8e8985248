"""The API's resources, one subpackage per app (industry, parks, policies): serializers and viewsets.

Built on the base in nansha.api (access, serializers, viewsets, GeoJSON); routed by nansha.api.urls
and reused by the OGC endpoint (nansha.ogc).
"""
