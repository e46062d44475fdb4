"""Response headers with the server's own time and query count for the request.

X-Bench-Queries counts every statement; X-Bench-Data-Queries only those that read or write rows (not the
savepoints and releases of transaction control), as tests/openrosa/test_costs.py counts them."""

import time

from django.db import connection

CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        queries = data = 0

        def count(execute, sql, params, many, context):
            nonlocal queries, data
            queries += 1
            data += not sql.lstrip().upper().startswith(CONTROL)
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = self.get_response(request)
        elapsed = (time.perf_counter() - started) * 1000
        response["X-Bench-Ms"] = f"{elapsed:.2f}"
        response["X-Bench-Queries"] = str(queries)
        response["X-Bench-Data-Queries"] = str(data)
        return response
