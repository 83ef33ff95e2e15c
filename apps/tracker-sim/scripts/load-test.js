// Measures how many requests per second the built simulator serves.
// Usage: node scripts/load-test.js [issues]   (after `pnpm build`)
// It starts dist/main.js in a child process on 127.0.0.1, sends a bounded
// number of requests per endpoint over keep-alive connections, prints one
// line per endpoint and stops the child.
const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const { createInterface } = require('node:readline');

const { generateIssues } = require('../dist/index.js');

const ISSUE_COUNT = Number(process.argv[2] ?? 30000);
const SEED = 1;
const CONCURRENCY = 50;

function startSimulator() {
  const child = spawn(
    process.execPath,
    [
      path.join(__dirname, '..', 'dist', 'main.js'),
      '--generate',
      String(ISSUE_COUNT),
      '--seed',
      String(SEED),
      '--github-points-per-hour',
      '1000000000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });

  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`simulator exited with ${code}`)),
    );
    lines.once('line', (line) => resolve({ child, url: JSON.parse(line).url }));
  });
}

function runLoad(url, total, makeRequest) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let started = 0;
  let finished = 0;
  let failures = 0;
  const startedAt = performance.now();

  return new Promise((resolve) => {
    const onDone = (ok) => {
      finished += 1;
      failures += ok ? 0 : 1;
      if (finished === total) {
        agent.destroy();
        const seconds = (performance.now() - startedAt) / 1000;
        resolve({ seconds, failures });
      } else {
        fire();
      }
    };
    const fire = () => {
      if (started >= total) {
        return;
      }
      started += 1;
      const { method, path: requestPath, body } = makeRequest(started);
      const headers = body
        ? {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          }
        : {};
      const req = http.request(
        `${url}${requestPath}`,
        { method, agent, headers },
        (res) => {
          res.resume();
          res.on('end', () => onDone(res.statusCode === 200));
        },
      );
      req.on('error', () => onDone(false));
      req.end(body);
    };
    for (let i = 0; i < CONCURRENCY; i += 1) {
      fire();
    }
  });
}

async function main() {
  const issues = generateIssues(ISSUE_COUNT, SEED);
  const jira = issues.filter((issue) => issue.source === 'jira');
  const launchpad = issues.filter((issue) => issue.source === 'launchpad');
  const github = issues.filter((issue) => issue.project === 'sim-org/repo-0');
  const singleQuery = JSON.stringify({
    query:
      'query($owner: String!, $name: String!, $number: Int!) { repository(owner: $owner, name: $name) { issue(number: $number) { title state stateReason labels(first: 20) { nodes { name } } } } }',
    variables: {
      owner: 'sim-org',
      name: 'repo-0',
      number: Number(github[0].key),
    },
  });
  const aliases = github
    .slice(0, 50)
    .map(
      (issue, index) =>
        `i${index}: issueOrPullRequest(number: ${issue.key}) { __typename ... on Issue { title state stateReason labels(first: 20) { nodes { name } } } ... on PullRequest { title state } }`,
    )
    .join('\n');
  const batchQuery = JSON.stringify({
    query: `{ repository(owner: "sim-org", name: "repo-0") { ${aliases} } }`,
  });
  const jiraSearch = JSON.stringify({
    jql: `key in (${jira
      .slice(0, 50)
      .map((issue) => `${issue.project}-${issue.key}`)
      .join(', ')})`,
    fields: ['summary', 'status', 'labels', 'resolution'],
    maxResults: 50,
  });

  const scenarios = [
    [
      'GET Jira issue',
      20000,
      (n) => {
        const issue = jira[n % jira.length];
        return {
          method: 'GET',
          path: `/jira/rest/api/3/issue/${issue.project}-${issue.key}?fields=summary,status,labels`,
        };
      },
    ],
    [
      'GET Launchpad bug_tasks',
      20000,
      (n) => ({
        method: 'GET',
        path: `/launchpad/devel/bugs/${launchpad[n % launchpad.length].key}/bug_tasks`,
      }),
    ],
    [
      'POST GitHub GraphQL, 1 issue',
      20000,
      () => ({ method: 'POST', path: '/github/graphql', body: singleQuery }),
    ],
    [
      'POST GitHub GraphQL, 50 aliases',
      3000,
      () => ({ method: 'POST', path: '/github/graphql', body: batchQuery }),
    ],
    [
      'POST Jira search/jql, 50 keys',
      3000,
      () => ({
        method: 'POST',
        path: '/jira/rest/api/3/search/jql',
        body: jiraSearch,
      }),
    ],
  ];

  const { child, url } = await startSimulator();
  try {
    for (const [name, total, makeRequest] of scenarios) {
      const { seconds, failures } = await runLoad(url, total, makeRequest);
      const rate = Math.round(total / seconds);
      process.stdout.write(
        `${name}: ${total} requests in ${seconds.toFixed(2)} s, ${rate} requests/s, ${failures} failed\n`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error) => {
  process.stderr.write(`load test failed: ${error.message}\n`);
  process.exitCode = 1;
});
