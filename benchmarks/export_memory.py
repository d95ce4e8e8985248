"""Peak memory of one map export, in a fresh process: `python benchmarks/export_memory.py <path?query>`.

Run by benchmarks/run.py with the benchmark's environment (DATABASE_URL, DJANGO_SETTINGS_MODULE). The export is
requested through the whole Django stack (test client, every middleware) and its body read chunk by chunk, as a
server would send it. Prints JSON: the growth of the process's peak resident memory (MB) over the same process
warmed up by a tiny export, and the bytes of the body.
"""

import json
import resource
import sys

import django


def consume(client, path):
    response = client.get(path)
    size = 0
    if response.streaming:
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    response.close()
    return response.status_code, size


def main(path):
    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    base, _sep, _query = path.partition("?")
    consume(client, f"{base}?q=nothing-matches-this")  # imports, translations, connections: warm
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    status, size = consume(client, path)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"status": status, "peak_mb": round((after - before) / 1024, 1), "bytes": size}))


if __name__ == "__main__":
    main(sys.argv[1])
