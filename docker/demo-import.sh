#!/bin/sh
# Registers the demo issues in the compose demo profile, then requests a sync
# of every issue. demo/issues.txt starts its Jira URLs with
# JIRA_BASE_URL_PLACEHOLDER, because a Jira issue URL depends on
# JIRA_BASE_URL; the placeholder is replaced with the JIRA_BASE_URL of the
# demo settings before `issue-sync import` reads the list.
set -eu

list=$(mktemp)
sed "s#JIRA_BASE_URL_PLACEHOLDER#${JIRA_BASE_URL:?JIRA_BASE_URL is not set}#g" \
  demo/issues.txt >"$list"
node apps/cli/dist/main.js import "$list"
exec node apps/cli/dist/main.js sync --all
