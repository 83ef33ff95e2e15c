#!/bin/sh
# Entry point of the issue-sync image, started by tini. When
# ISSUE_SYNC_ENV_FILE names an existing file, its NAME=value lines are
# exported over the container's environment; the compose demo profile uses
# this to point the apps at the tracker simulator. Then the command replaces
# this shell, so signals from tini reach node directly.
set -eu

settings=${ISSUE_SYNC_ENV_FILE:-}
if [ -n "$settings" ] && [ -f "$settings" ]; then
  echo "entrypoint: loading settings from $settings" >&2
  set -a
  # shellcheck disable=SC1090 # the path is chosen at run time
  . "$settings"
  set +a
fi

exec "$@"
