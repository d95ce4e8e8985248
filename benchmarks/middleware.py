from django.db import connection


def count_queries(get_response):
    """Adds X-Query-Count: the SQL queries the request ran (benchmarks only)."""

    def middleware(request):
        queries = []

        def record(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = get_response(request)
        response["X-Query-Count"] = str(len(queries))
        return response

    return middleware
