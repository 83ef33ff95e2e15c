import { startSimulator, type Simulator } from '../simulator';
import { send } from '../testing/http-client';
import type { SimIssue } from '../types';

// The fields of a devel bug entry, in the order Launchpad sends them.
const BUG_FIELDS = [
  'users_unaffected_collection_link',
  'latest_patch_uploaded',
  'users_affected_count_with_dupes',
  'security_related',
  'private',
  'bug_watches_collection_link',
  'date_made_private',
  'linked_branches_collection_link',
  'subscriptions_collection_link',
  'number_of_duplicates',
  'id',
  'users_unaffected_count',
  'title',
  'other_users_affected_count_with_dupes',
  'name',
  'http_etag',
  'messages_collection_link',
  'self_link',
  'information_type',
  'who_made_private_link',
  'attachments_collection_link',
  'resource_type_link',
  'activity_collection_link',
  'date_last_updated',
  'description',
  'duplicates_collection_link',
  'tags',
  'message_count',
  'heat',
  'bug_tasks_collection_link',
  'duplicate_of_link',
  'users_affected_with_dupes_collection_link',
  'cves_collection_link',
  'web_link',
  'users_affected_count',
  'owner_link',
  'date_created',
  'date_last_message',
  'users_affected_collection_link',
  'linked_merge_proposals_collection_link',
  'lock_status',
  'lock_reason',
  'vulnerabilities_collection_link',
];

const TASK_FIELDS = [
  'date_closed',
  'date_assigned',
  'title',
  'bug_link',
  'bug_watch_link',
  'milestone_link',
  'date_left_closed',
  'date_fix_committed',
  'date_fix_released',
  'date_in_progress',
  'resource_type_link',
  'status',
  'bug_target_name',
  'importance',
  'assignee_link',
  'date_triaged',
  'self_link',
  'target_link',
  'bug_target_display_name',
  'related_tasks_collection_link',
  'date_confirmed',
  'date_left_new',
  'web_link',
  'owner_link',
  'date_created',
  'date_incomplete',
  'is_complete',
  'date_deferred',
  'importance_explanation',
  'status_explanation',
  'http_etag',
];

const COMPLETE_STATUSES = [
  'Fix Released',
  'Opinion',
  'Invalid',
  "Won't Fix",
  'Expired',
  'Does Not Exist',
];
const OPEN_STATUSES = [
  'New',
  'Incomplete',
  'Confirmed',
  'Triaged',
  'In Progress',
  'Deferred',
  'Fix Committed',
  'Unknown',
];

const ISSUES: SimIssue[] = [
  {
    source: 'launchpad',
    project: 'ubuntu',
    key: '2',
    title: 'Kernel panic on resume',
    status: 'Fix Released',
    labels: ['amd64', 'resume'],
  },
  {
    source: 'launchpad',
    project: 'ubuntu',
    key: '1458945',
    title: 'Use graduated oslo.policy',
    tasks: [
      { target: 'sahara', status: 'Fix Released', importance: 'Medium' },
      { target: 'barbican', status: 'Triaged', importance: 'Medium' },
      { target: 'linux-meta (Ubuntu)', status: 'Confirmed' },
    ],
  },
  {
    source: 'launchpad',
    project: 'ubuntu',
    key: '77',
    title: 'Secret',
    status: 'New',
    private: true,
  },
  ...[...COMPLETE_STATUSES, ...OPEN_STATUSES].map(
    (status, index): SimIssue => ({
      source: 'launchpad',
      project: 'sim-project',
      key: String(500 + index),
      title: `Status ${status}`,
      status,
    }),
  ),
];

describe('Launchpad endpoints', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ issues: ISSUES });
  });

  afterAll(async () => {
    await sim.close();
  });

  describe('GET /bugs/{id}', () => {
    it('returns a bug entry linking to the simulator', async () => {
      const api = sim.launchpadApiUrl;
      const response = await send(`${api}/bugs/2`);
      const bug = response.json as Record<string, unknown>;

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/json');
      expect(Object.keys(bug)).toEqual(BUG_FIELDS);
      expect(bug.id).toBe(2);
      expect(bug.title).toBe('Kernel panic on resume');
      expect(bug.tags).toEqual(['amd64', 'resume']);
      expect(bug.private).toBe(false);
      expect(bug.information_type).toBe('Public');
      expect(bug.self_link).toBe(`${api}/bugs/2`);
      expect(bug.bug_tasks_collection_link).toBe(`${api}/bugs/2/bug_tasks`);
      expect(bug.resource_type_link).toBe(`${api}/#bug`);
      expect(bug.web_link).toBe('https://bugs.launchpad.net/bugs/2');
      expect(bug.lock_status).toBe('Unlocked');
      expect(bug.http_etag).toMatch(/^[0-9a-f]{40}-[0-9a-f]{40}$/);
      expect(response.headers.etag).toBe(`"${String(bug.http_etag)}"`);
      expect('status' in bug).toBe(false);
      expect('is_complete' in bug).toBe(false);
    });

    it('returns 304 for a matching If-None-Match', async () => {
      const first = await send(`${sim.launchpadApiUrl}/bugs/2`);
      const again = await send(`${sim.launchpadApiUrl}/bugs/2`, {
        headers: { 'if-none-match': String(first.headers.etag) },
      });

      expect(again.status).toBe(304);
      expect(again.text).toBe('');
    });

    it('returns the plain-text 404 for a missing bug', async () => {
      const response = await send(`${sim.launchpadApiUrl}/bugs/99999999`);

      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe(
        'text/plain; charset=utf-8',
      );
      expect(response.text).toBe(
        "Object: <lp.systemhomes.MaloneApplication object at 0x7f0000000000>, name: '99999999'",
      );
    });

    it('hides a private bug as a missing one', async () => {
      const privateBug = await send(`${sim.launchpadApiUrl}/bugs/77`);
      const privateTasks = await send(
        `${sim.launchpadApiUrl}/bugs/77/bug_tasks`,
      );

      expect(privateBug.status).toBe(404);
      expect(privateBug.text).toBe(
        "Object: <lp.systemhomes.MaloneApplication object at 0x7f0000000000>, name: '77'",
      );
      expect(privateTasks.status).toBe(404);
      expect(privateTasks.text).toBe(privateBug.text);
    });
  });

  describe('GET /bugs/{id}/bug_tasks', () => {
    it('returns one collection entry per task', async () => {
      const api = sim.launchpadApiUrl;
      const response = await send(`${api}/bugs/1458945/bug_tasks`);
      const body = response.json as {
        start: number;
        total_size: number;
        entries: Array<Record<string, unknown>>;
        resource_type_link: string;
      };

      expect(response.status).toBe(200);
      expect(Object.keys(body)).toEqual([
        'start',
        'total_size',
        'entries',
        'resource_type_link',
      ]);
      expect(body.start).toBe(0);
      expect(body.total_size).toBe(3);
      expect(body.resource_type_link).toBe(`${api}/#bug_task-page-resource`);
      expect(Object.keys(body.entries[0]!)).toEqual(TASK_FIELDS);
      expect(body.entries[0]).toMatchObject({
        title: 'Bug #1458945 in Sahara: "Use graduated oslo.policy"',
        bug_link: `${api}/bugs/1458945`,
        status: 'Fix Released',
        bug_target_name: 'sahara',
        bug_target_display_name: 'Sahara',
        importance: 'Medium',
        self_link: `${api}/sahara/+bug/1458945`,
        target_link: `${api}/sahara`,
        related_tasks_collection_link: `${api}/sahara/+bug/1458945/related_tasks`,
        web_link: 'https://bugs.launchpad.net/sahara/+bug/1458945',
        resource_type_link: `${api}/#bug_task`,
        is_complete: true,
        date_fix_released: '2024-01-02T00:00:00.000000+00:00',
        date_closed: '2024-01-02T00:00:00.000000+00:00',
      });
      expect(body.entries[1]).toMatchObject({
        status: 'Triaged',
        bug_target_name: 'barbican',
        is_complete: false,
        date_closed: null,
        date_fix_released: null,
      });
      expect(body.entries[2]).toMatchObject({
        title:
          'Bug #1458945 in linux-meta (Ubuntu): "Use graduated oslo.policy"',
        status: 'Confirmed',
        importance: 'Undecided',
        bug_target_name: 'linux-meta (Ubuntu)',
        bug_target_display_name: 'linux-meta (Ubuntu)',
        self_link: `${api}/ubuntu/+source/linux-meta/+bug/1458945`,
        target_link: `${api}/ubuntu/+source/linux-meta`,
        web_link:
          'https://bugs.launchpad.net/ubuntu/+source/linux-meta/+bug/1458945',
        is_complete: false,
      });
    });

    const completeness: Array<[string, boolean]> = [
      ...COMPLETE_STATUSES.map((status): [string, boolean] => [status, true]),
      ...OPEN_STATUSES.map((status): [string, boolean] => [status, false]),
    ];

    it.each(completeness)(
      'sets is_complete of %s to %s',
      async (status, complete) => {
        const index = [...COMPLETE_STATUSES, ...OPEN_STATUSES].indexOf(status);
        const response = await send(
          `${sim.launchpadApiUrl}/bugs/${500 + index}/bug_tasks`,
        );
        const [task] = (
          response.json as { entries: Array<Record<string, unknown>> }
        ).entries;

        expect(task!.status).toBe(status);
        expect(task!.is_complete).toBe(complete);
      },
    );

    it('pages with ws.start and ws.size', async () => {
      const api = sim.launchpadApiUrl;
      const response = await send(
        `${api}/bugs/1458945/bug_tasks?ws.start=1&ws.size=1`,
      );
      const body = response.json as Record<string, unknown> & {
        entries: Array<{ bug_target_name: string }>;
      };

      expect(body.start).toBe(1);
      expect(body.total_size).toBe(3);
      expect(body.entries.map((entry) => entry.bug_target_name)).toEqual([
        'barbican',
      ]);
      expect(body.next_collection_link).toBe(
        `${api}/bugs/1458945/bug_tasks?ws.size=1&memo=2&ws.start=2`,
      );
      expect(body.prev_collection_link).toBe(
        `${api}/bugs/1458945/bug_tasks?ws.size=1&memo=0&ws.start=0`,
      );
    });
  });

  describe('GET /{target}/+bug/{id}', () => {
    it('returns the task of a source package', async () => {
      const response = await send(
        `${sim.launchpadApiUrl}/ubuntu/+source/linux-meta/+bug/1458945`,
      );

      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({
        bug_target_name: 'linux-meta (Ubuntu)',
        status: 'Confirmed',
      });
    });

    it('returns 404 for a target without a task', async () => {
      const response = await send(`${sim.launchpadApiUrl}/fuel/+bug/1458945`);

      expect(response.status).toBe(404);
      expect(response.text).toBe(
        "Object: <Product at 0x7f0000000000>, name: '1458945'",
      );
    });
  });

  it('returns the plain-text 404 for an unknown path', async () => {
    const response = await send(`${sim.launchpadApiUrl}/people`);

    expect(response.status).toBe(404);
    expect(response.text).toBe(
      "Object: <lp.systemhomes.WebServiceApplication object at 0x7f0000000000>, name: 'people'",
    );
  });
});
