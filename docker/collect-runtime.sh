#!/bin/sh
# Copies what the runtime image needs from the built workspace into the folder
# given as $1: the manifests, the production node_modules, each app's and
# package's dist/, the migrations, these container scripts and, when the
# repository has it, the demo data. Sources, tests and build tools stay
# behind. tar keeps pnpm's node_modules symlinks as they are.
set -eu

dest=$1
mkdir -p "$dest"

set -- package.json pnpm-workspace.yaml node_modules prisma docker
if [ -d demo ]; then
  set -- "$@" demo
fi
for dir in apps/* packages/*; do
  for entry in package.json dist node_modules; do
    if [ -e "$dir/$entry" ]; then
      set -- "$@" "$dir/$entry"
    fi
  done
done

tar -cf - "$@" | tar -xf - -C "$dest"
