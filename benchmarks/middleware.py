import time

from django.db import connection


def count_queries(get_response):
    """Adds X-Query-Count: the SQL queries the request ran, and Server-Timing: `app` (the whole request inside
    Django, ms) and `db` (the time in those queries, ms) (benchmarks only)."""

    def middleware(request):
        queries = []

        def record(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(time.perf_counter() - started)

        started = time.perf_counter()
        with connection.execute_wrapper(record):
            response = get_response(request)
        app = (time.perf_counter() - started) * 1000
        response["X-Query-Count"] = str(len(queries))
        response["Server-Timing"] = f"app;dur={app:.1f}, db;dur={sum(queries) * 1000:.1f}"
        return response

    return middleware
