"""Precise matching (/match/ and /api/v1/match/): a project's needs against spaces, policies, hospitals, talent and
funds.
"""
