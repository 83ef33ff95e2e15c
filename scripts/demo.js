#!/usr/bin/env node
// `pnpm demo`: runs the whole system against the tracker simulator and the
// sample in demo/, on the local Redis and PostgreSQL. `--once` stops after
// the first sync and prints the status; otherwise everything keeps running
// until Ctrl-C.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const once = process.argv.includes('--once');
const simPort = Number(process.env.DEMO_SIM_PORT ?? 4010);
const sim = `http://127.0.0.1:${simPort}`;
const env = {
  ...process.env,
  DATABASE_URL:
    process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/issue_sync_demo',
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? 'issue-sync-demo',
  GITHUB_API_URL: `${sim}/github`,
  JIRA_BASE_URL: `${sim}/jira`,
  LAUNCHPAD_API_URL: `${sim}/launchpad/devel`,
  GITHUB_TOKEN: 'demo-github-token',
  JIRA_USERNAME: 'demo@example.com',
  JIRA_TOKEN: 'demo-jira-token',
  SYNC_INTERVAL: process.env.SYNC_INTERVAL ?? '5m',
  SYNC_RETRY_ATTEMPTS: '2',
  SYNC_RETRY_BACKOFF_MS: '500',
  WORKER_HEALTH_PORT: '0',
  SCHEDULER_HEALTH_PORT: '0',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};
const children = [];

function app(name, args = []) {
  return path.join(root, 'apps', name, 'dist', 'main.js');
}

function start(name, args = []) {
  const child = spawn(process.execPath, [app(name), ...args], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return child;
}

function run(file, args) {
  const result = spawnSync(process.execPath, [file, ...args], { env, stdio: 'inherit' });
  return result.status ?? 1;
}

async function waitFor(url, seconds) {
  for (let i = 0; i < seconds * 10; i += 1) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

function stopAll() {
  for (const child of children) child.kill('SIGTERM');
}

async function main() {
  if (run(path.join(root, 'packages/db/dist/migrate-cli.js'), []) !== 0) {
    throw new Error('migrations failed; is PostgreSQL running?');
  }
  start('tracker-sim', [
    '--port', String(simPort),
    '--data', path.join(root, 'demo/sim-data.json'),
    '--github-token', env.GITHUB_TOKEN,
    '--jira-username', env.JIRA_USERNAME,
    '--jira-token', env.JIRA_TOKEN,
  ]);
  await waitFor(`${sim}/_sim/stats`, 15);

  const urls = fs
    .readFileSync(path.join(root, 'demo/issues.txt'), 'utf8')
    .replaceAll('JIRA_BASE_URL_PLACEHOLDER', env.JIRA_BASE_URL);
  const list = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'issue-sync-demo-')), 'issues.txt');
  fs.writeFileSync(list, urls);
  run(app('cli'), ['import', list]);

  start('scheduler');
  start('worker');
  if (!once) start('dashboard');
  run(app('cli'), ['sync', '--all', '--wait', '--timeout', '2m']);
  run(app('cli'), ['status']);

  if (once) {
    stopAll();
    return;
  }
  console.log('\nThe demo keeps running; press Ctrl-C to stop it. Dashboard: http://127.0.0.1:3000');
  console.log('To use the command against it, set:');
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'QUEUE_PREFIX', 'JIRA_BASE_URL']) {
    console.log(`  export ${name}=${env[name]}`);
  }
  process.on('SIGINT', stopAll);
  process.on('SIGTERM', stopAll);
}

main().catch((error) => {
  console.error(`demo failed: ${error.message}`);
  stopAll();
  process.exitCode = 1;
});
