#!/usr/bin/env bash
# Run the suite once per database named in SEEMIX_TEST_DATABASES (default: "sqlite postgres").
# PostgreSQL runs when SEEMIX_TEST_POSTGRES_URL is set; otherwise it is skipped with a notice.
set -euo pipefail
databases=${SEEMIX_TEST_DATABASES:-sqlite postgres}
export SEEMIX_TASKS_BACKEND=immediate
export EMAIL_URL=locmem://
export PYTHONHASHSEED=0
# One pytest worker per core (pytest-xdist); SEEMIX_TEST_WORKERS=0 runs in one process.
workers=${SEEMIX_TEST_WORKERS:-auto}
parallel=(-n "$workers")
[ "$workers" = "0" ] && parallel=()
status=0
for db in $databases; do
  case "$db" in
    sqlite)
      echo "=== seemix tests on SQLite"
      env -u DATABASE_URL pytest "${parallel[@]}" "$@" || status=$?
      ;;
    postgres)
      if [ -z "${SEEMIX_TEST_POSTGRES_URL:-}" ]; then
        echo "=== NOTICE: PostgreSQL tests SKIPPED: set SEEMIX_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres) to run them"
        continue
      fi
      echo "=== seemix tests on PostgreSQL (${SEEMIX_TEST_POSTGRES_URL%%\?*})"
      DATABASE_URL="$SEEMIX_TEST_POSTGRES_URL" pytest "${parallel[@]}" "$@" || status=$?
      ;;
    *)
      echo "unknown database in SEEMIX_TEST_DATABASES: $db (use sqlite, postgres)" >&2
      exit 2
      ;;
  esac
done
exit $status
