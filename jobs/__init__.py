"""Background jobs: long work (spreadsheet imports and exports) a staff user starts and a worker runs.

The Job record (who, what, progress, outcome, result file), its live state outside the job's own
transaction, the worker command (`run_worker`: django-tasks' database worker, after recovering jobs a
dead worker left running) and the "my jobs" pages. It imports nothing of nansha and no record app:
nansha.staff builds the import and export tasks on it.
"""
