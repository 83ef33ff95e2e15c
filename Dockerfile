# syntax=docker/dockerfile:1

# One runtime image holds every app (scheduler, worker, dashboard, cli,
# tracker-sim) and the migrations; each compose service picks its app with
# `command`. The apps share almost all of their production dependencies
# (BullMQ, Prisma, the tracker adapters), so per-app images built with
# `pnpm deploy --prod` or `turbo prune` would each carry nearly the same
# node_modules and need a build of their own, while one image is built,
# scanned and pulled once and keeps every app at the same version.

# Node 20.19 or later: the build emits CommonJS that `require`s ESM-only
# packages, which older Node 20 releases cannot load.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
# Corepack is not used, so the image does not depend on it shipping with Node.
RUN npm install --global pnpm@10.34.9 \
    && npm cache clean --force
ENV PNPM_STORE_DIR=/pnpm/store \
    npm_config_update_notifier=false
WORKDIR /app

# Everything needed to build: the full workspace with dev dependencies.
FROM base AS build
ENV CI=true \
    TURBO_TELEMETRY_DISABLED=1
# `pnpm fetch` reads only the lockfile, so this layer stays cached until the
# dependencies change, whatever happens to the sources.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=issue-sync-pnpm-store,target=/pnpm/store \
    pnpm fetch --store-dir="$PNPM_STORE_DIR"
COPY . .
RUN --mount=type=cache,id=issue-sync-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline --store-dir="$PNPM_STORE_DIR"
# The db package's build runs `prisma generate` and points
# PRISMA_SCHEMA_ENGINE_BINARY at an existing file itself.
RUN pnpm build

# Production dependencies only. `pnpm prune` does not handle workspaces, so
# the node_modules folders are removed and installed again with --prod from
# the store filled above.
FROM build AS prod
RUN --mount=type=cache,id=issue-sync-pnpm-store,target=/pnpm/store \
    rm -rf node_modules apps/*/node_modules packages/*/node_modules \
        tooling/*/node_modules \
    && pnpm install --frozen-lockfile --offline --prod \
        --store-dir="$PNPM_STORE_DIR"
RUN sh docker/collect-runtime.sh /out

FROM base AS runtime
RUN apt-get update \
    && apt-get install --yes --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    LOG_FORMAT=json
COPY --from=prod /out /app
# Docker gives a new named volume mounted here this folder's owner, so the
# node user can write the compose demo profile's settings into it.
RUN mkdir -p /run/issue-sync/demo \
    && chown node:node /run/issue-sync/demo
# The node user (uid 1000) comes with the Node image. It owns nothing under
# /app, so the apps cannot change their own code.
USER node
EXPOSE 3000 3001 3002
# tini runs as PID 1, forwards SIGTERM to node and reaps zombies; the entry
# point script execs the command, so node is tini's direct child.
ENTRYPOINT ["/usr/bin/tini", "--", "/app/docker/entrypoint.sh"]
CMD ["node", "apps/cli/dist/main.js", "--help"]
# Without an argument the check finds the running app from PID 1's command
# line and reads its health port from the environment.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "/app/docker/healthcheck.js"]
