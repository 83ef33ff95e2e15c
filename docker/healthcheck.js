// Health check of the issue-sync image: sends GET to the running app's
// readiness endpoint on this container and exits 0 on a 2xx response, else 1.
//
//   node docker/healthcheck.js [URL | worker | scheduler | dashboard | tracker-sim]
//
// Without an argument it finds the app in PID 1's command line, where tini's
// arguments end in `node apps/<app>/dist/main.js`. Ports come from the same
// variables the apps read. One-shot commands (the CLI, the migrations) and an
// app whose health server is turned off (port 0) have nothing to check, so
// the check passes for them.
'use strict';

const fs = require('node:fs');

const TIMEOUT_MS = 4000;
const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]']);

function readPort(env, name, fallback) {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') {
    return fallback;
  }

  return Number(raw);
}

function formatHost(host) {
  const bare = host?.trim() ?? '';
  if (WILDCARD_HOSTS.has(bare)) {
    return '127.0.0.1';
  }

  return bare.includes(':') && !bare.startsWith('[') ? `[${bare}]` : bare;
}

function optionValue(args, name) {
  const index = args.indexOf(name);
  if (index !== -1 && index + 1 < args.length) {
    return args[index + 1];
  }
  const inline = args.find((arg) => arg.startsWith(`${name}=`));

  return inline?.slice(name.length + 1);
}

/** Finds the app name in a command line such as `node apps/worker/dist/main.js`. */
function detectApp(args) {
  for (const arg of args) {
    const match = /(?:^|\/)apps\/([a-z0-9-]+)\/dist\/main\.js$/.exec(arg);
    if (match) {
      return match[1];
    }
  }

  return undefined;
}

function portTarget(env, variable, fallback, host, paths) {
  const port = readPort(env, variable, fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return {
      error: `${variable}=${env[variable]} is not a port number from 0 to 65535`,
    };
  }
  if (port === 0) {
    return { skip: `${variable} is 0, so the health server is turned off` };
  }

  return { urls: paths.map((path) => `http://${host}:${port}${path}`) };
}

function dashboardTarget(env) {
  const basePath = (env.DASHBOARD_BASE_PATH ?? '').trim().replace(/\/+$/, '');
  // The readiness route may sit at the root or under the base path; the
  // second URL is tried only when the first returns 404.
  const paths =
    basePath === '' ? ['/readyz'] : ['/readyz', `${basePath}/readyz`];

  return portTarget(
    env,
    'DASHBOARD_PORT',
    3000,
    formatHost(env.DASHBOARD_HOST),
    paths,
  );
}

function simulatorTarget(args) {
  const port = Number(optionValue(args, '--port') ?? '4000');
  const host = formatHost(optionValue(args, '--host') ?? '127.0.0.1');

  return { urls: [`http://${host}:${port}/_sim/stats`] };
}

/**
 * Chooses what to check: `{ urls }` to request in order, `{ skip }` when
 * there is nothing to check, or `{ error }` for a setting that cannot work.
 */
function resolveTarget(argument, env, commandLine) {
  if (argument !== undefined && /^https?:\/\//.test(argument)) {
    return { urls: [argument] };
  }
  const app = argument ?? detectApp(commandLine);
  switch (app) {
    case 'worker':
      return portTarget(env, 'WORKER_HEALTH_PORT', 3001, '127.0.0.1', [
        '/readyz',
      ]);
    case 'scheduler':
      return portTarget(env, 'SCHEDULER_HEALTH_PORT', 3002, '127.0.0.1', [
        '/readyz',
      ]);
    case 'dashboard':
      return dashboardTarget(env);
    case 'tracker-sim':
      return simulatorTarget(commandLine);
    case undefined:
      return { skip: 'no long-running issue-sync app in this container' };
    default:
      return { skip: `${app} is a one-shot command` };
  }
}

/** Requests the URLs in order and returns `{ ok, message }`. */
async function checkUrls(urls, timeoutMs = TIMEOUT_MS) {
  for (const [index, url] of urls.entries()) {
    let response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const reason = error.cause?.code ?? error.name ?? 'Error';
      return { ok: false, message: `GET ${url} failed: ${reason}` };
    }
    await response.body?.cancel();
    if (response.ok) {
      return { ok: true, message: `GET ${url} returned ${response.status}` };
    }
    if (response.status !== 404 || index === urls.length - 1) {
      return { ok: false, message: `GET ${url} returned ${response.status}` };
    }
  }

  return { ok: false, message: 'no URL to check' };
}

function readCommandLine() {
  try {
    return fs.readFileSync('/proc/1/cmdline', 'utf8').split('\0');
  } catch {
    // Outside Linux there is no /proc; the caller then names the app.
    return [];
  }
}

async function main() {
  const target = resolveTarget(process.argv[2], process.env, readCommandLine());
  if (target.error !== undefined) {
    console.error(`health check: ${target.error}`);
    return 1;
  }
  if (target.skip !== undefined) {
    console.log(`health check passed: ${target.skip}`);
    return 0;
  }
  const result = await checkUrls(target.urls);
  if (result.ok) {
    console.log(`health check: ${result.message}`);
  } else {
    console.error(`health check: ${result.message}`);
  }

  return result.ok ? 0 : 1;
}

if (require.main === module) {
  main().then((code) => {
    process.exitCode = code;
  });
}

module.exports = { checkUrls, detectApp, resolveTarget };
