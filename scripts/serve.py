"""`make run`: the web server and a background worker together; Ctrl-C (or SIGTERM) stops both.

Usage: python scripts/serve.py HOST:PORT  (run from the project folder, with the project's interpreter)
If either process stops, the other is stopped too, and the exit status is the first one's.
"""

import signal
import subprocess
import sys
import time


def main(address):
    manage = [sys.executable, "manage.py"]
    processes = [
        subprocess.Popen([*manage, "runserver", address]),
        # No autoreload: runserver reloads the web code; restart `make run` after changing a task.
        subprocess.Popen([*manage, "run_worker", "--no-reload", "--interval", "1"]),
    ]

    def stop(signum=signal.SIGTERM, _frame=None):
        for process in processes:
            if process.poll() is None:
                process.send_signal(signum)

    def interrupted(signum, frame):
        # Ctrl-C in a terminal reaches both children too: give them a moment to stop on their own first.
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and any(p.poll() is None for p in processes):
            time.sleep(0.1)
        stop(signal.SIGINT)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, interrupted)
    while all(process.poll() is None for process in processes):
        time.sleep(0.5)
    status = next((p.returncode for p in processes if p.returncode), 0)
    stop()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
