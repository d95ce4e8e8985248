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

    def stop(*_args):
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)

    signal.signal(signal.SIGTERM, stop)
    status = 0
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:  # the terminal sends SIGINT to both children too
        pass
    finally:
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
