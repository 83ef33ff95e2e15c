import type { IssueSource } from '@issue-sync/tracker-core';
import { formatDuration } from '@issue-sync/config';
import { SafeHtml, escapeHtml, html, renderTime } from './html';
import type {
  FailingSection,
  QueueDepth,
  Section,
  StatusPageData,
  TrackerCounts,
} from './status-page-data';
import type { SweepInfo } from './sweep-info';

const TRACKER_NAMES: Readonly<Record<IssueSource, string>> = {
  GITHUB: 'GitHub',
  JIRA: 'Jira',
  LAUNCHPAD: 'Launchpad',
};

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2328; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
nav a { margin-right: 1rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.4rem 1rem; align-items: baseline; }
dt { font-weight: 600; }
dd { margin: 0; }
dd .failure { display: inline-block; margin: 0; }
table { border-collapse: collapse; margin-top: 0.5rem; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
td.error { max-width: 40rem; white-space: pre-wrap; word-break: break-word; font-family: ui-monospace, monospace; font-size: 0.85rem; }
.muted { color: #656d76; }
.notice { border: 1px solid #d4a72c; background: #fff8c5; padding: 0.5rem 0.75rem; margin: 0.75rem 0; }
.failure { border: 1px solid #cf222e; background: #ffebe9; padding: 0.5rem 0.75rem; margin: 0.75rem 0; }
`;

function renderSection<T>(
  section: Section<T>,
  render: (value: T) => SafeHtml,
): SafeHtml {
  return section.ok
    ? render(section.value)
    : html`<p class="failure">${section.error}</p>`;
}

function renderTrackers(trackers: TrackerCounts[]): SafeHtml {
  const sum = (pick: (tracker: TrackerCounts) => number): number =>
    trackers.reduce((total, tracker) => total + pick(tracker), 0);

  return html`<table id="tracker-counts">
    <thead>
      <tr>
        <th>Tracker</th>
        <th>Synced</th>
        <th>Failed</th>
        <th>Never synced</th>
        <th>Total</th>
      </tr>
    </thead>
    <tbody>
      ${trackers.map(
        (tracker) =>
          html`<tr data-source="${tracker.source}">
            <td>${TRACKER_NAMES[tracker.source]}</td>
            <td class="number" data-status="SYNCED">
              ${tracker.counts.SYNCED}
            </td>
            <td class="number" data-status="SYNC_FAILED">
              ${tracker.counts.SYNC_FAILED}
            </td>
            <td class="number" data-status="NEVER_SYNCED">
              ${tracker.counts.NEVER_SYNCED}
            </td>
            <td class="number" data-status="TOTAL">${tracker.total}</td>
          </tr>`,
      )}
      <tr data-source="ALL">
        <th>All trackers</th>
        <td class="number">${sum((tracker) => tracker.counts.SYNCED)}</td>
        <td class="number">${sum((tracker) => tracker.counts.SYNC_FAILED)}</td>
        <td class="number">${sum((tracker) => tracker.counts.NEVER_SYNCED)}</td>
        <td class="number">${sum((tracker) => tracker.total)}</td>
      </tr>
    </tbody>
  </table>`;
}

function renderSweep(sweep: SweepInfo, now: Date, boardPath: string): SafeHtml {
  const last = sweep.lastCompleted;
  const failed = sweep.lastFailed;
  const failedIsNewer =
    failed !== undefined &&
    (last === undefined || failed.finishedAt > last.finishedAt);
  const summary =
    last?.result === undefined
      ? undefined
      : `read ${last.result.issues} issues, added ${last.result.added} sync jobs, skipped ${last.result.skipped} already queued`;

  return html`<dl id="sweep">
      <dt>Last sweep</dt>
      <dd id="last-sweep">
        ${
          last === undefined
            ? html`<span class="muted"
                >none kept: no sweep has completed since the queue was
                emptied</span
              >`
            : html`${renderTime(last.finishedAt, now)}
              ${summary === undefined ? '' : html`<span>: ${summary}</span>`}`
        }
      </dd>
      <dt>Next sweep</dt>
      <dd id="next-sweep">
        ${
          sweep.nextRunAt === undefined
            ? html`<span class="failure"
                >no sweep schedule is registered: check that the scheduler is
                running</span
              >`
            : html`${renderTime(sweep.nextRunAt, now)}
              ${
                sweep.intervalMs === undefined
                  ? ''
                  : html`<span
                      >(every ${formatDuration(sweep.intervalMs)})</span
                    >`
              }`
        }
      </dd>
    </dl>
    ${
      failedIsNewer && failed !== undefined
        ? html`<p class="failure" id="failed-sweep">
            The newest sweep failed ${renderTime(failed.finishedAt, now)}:
            ${failed.reason} (<a
              href="${boardPath}/queue/sweep/${encodeURIComponent(failed.jobId)}"
              >job ${failed.jobId}</a
            >)
          </p>`
        : ''
    }`;
}

function renderQueues(queues: QueueDepth[]): SafeHtml {
  return html`<table id="queues">
    <thead>
      <tr>
        <th>Queue</th>
        <th>Waiting</th>
        <th>Active</th>
        <th>Delayed</th>
        <th>Failed</th>
      </tr>
    </thead>
    <tbody>
      ${queues.map(
        (queue) =>
          html`<tr data-queue="${queue.name}">
            <td><a href="${queue.boardHref}">${queue.name}</a></td>
            <td class="number">${queue.waiting}</td>
            <td class="number">${queue.active}</td>
            <td class="number">${queue.delayed}</td>
            <td class="number">
              <a href="${queue.boardHref}?status=failed">${queue.failed}</a>
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

// Built without the html template so that formatting of this file never
// adds whitespace, which `white-space: pre-wrap` would show.
function renderErrorCell(text: string): SafeHtml {
  return new SafeHtml(`<td class="error">${escapeHtml(text)}</td>`);
}

function renderFailing(
  failing: FailingSection,
  now: Date,
  statusPagePath: string,
): SafeHtml {
  const navigation = html`<p class="paging">
    ${
      failing.isFirstPage
        ? ''
        : html`<a href="${statusPagePath}" id="first-page">Newest failures</a>`
    }
    ${
      failing.nextHref === undefined
        ? ''
        : html`<a href="${failing.nextHref}" id="next-page">Older failures</a>`
    }
  </p>`;
  if (failing.rows.length === 0) {
    return html`<p id="no-failures" class="muted">
        No issue has sync_status
        SYNC_FAILED${failing.isFirstPage ? '' : ' on this page'}.
      </p>
      ${navigation}`;
  }

  return html`<table id="failing-issues">
      <thead>
        <tr>
          <th>Issue</th>
          <th>Title</th>
          <th>Sync error</th>
          <th>Last attempt</th>
          <th>Last successful sync</th>
          <th>Job</th>
        </tr>
      </thead>
      <tbody>
        ${failing.rows.map(
          (row) =>
            html`<tr data-issue-id="${row.id}">
              <td>
                <a
                  class="issue-link"
                  href="${row.url}"
                  rel="noopener noreferrer"
                  >${TRACKER_NAMES[row.source]} ${row.reference}</a
                >
              </td>
              <td>${row.title}</td>
              ${renderErrorCell(row.syncError)}
              <td>${renderTime(row.lastAttemptedAt, now)}</td>
              <td>${renderTime(row.lastSyncedAt, now)}</td>
              <td>
                <a class="job-link" href="${row.job.href}">${row.job.label}</a>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${navigation}`;
}

/** Renders the sync status page as a complete HTML document. */
export function renderStatusPage(data: StatusPageData): string {
  const { now, paths } = data;
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>issue-sync status</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        <h1>issue-sync status</h1>
        <p class="muted">Read ${renderTime(now, now)}.</p>
        <nav>
          <a href="${paths.statusPage}">Sync status</a>
          <a href="${paths.board}">Job board</a>
          <a href="${paths.metrics}">Metrics</a>
        </nav>
        ${
          data.readOnly
            ? html`<p class="notice" id="read-only">
                Read-only: jobs cannot be retried or removed and issues cannot
                be added, because DASHBOARD_USERNAME and DASHBOARD_PASSWORD are
                not set.
              </p>`
            : ''
        }
        <h2>Issues by tracker</h2>
        ${renderSection(data.trackers, renderTrackers)}
        <h2>Sweeps</h2>
        ${renderSection(data.sweep, (sweep) =>
          renderSweep(sweep, now, paths.board),
        )}
        <h2>Queues</h2>
        ${renderSection(data.queues, renderQueues)}
        <h2>Failing issues</h2>
        <p class="muted">Newest failure first.</p>
        ${renderSection(data.failing, (failing) =>
          renderFailing(failing, now, paths.statusPage),
        )}
      </body>
    </html>`;

  return page.value;
}
