"""pytest plugin loaded with ``-p`` (before Django's settings are read): the test environment.

Only defaults are set, so a variable given on the command line (DATABASE_URL for PostgreSQL) wins.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("SEEMIX_TASKS_BACKEND", "immediate")
os.environ.setdefault("EMAIL_URL", "locmem://")
os.environ.setdefault("DEBUG", "0")
