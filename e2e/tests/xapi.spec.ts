// A course records its learners' runs as xAPI statements: the lesson page loads
// examples/xapi.js with its LRS and the learner, and each result message of the lab becomes
// one statement (completed for a finished run, terminated for a stopped one) posted to the LRS
// (a stand-in on the course site).
import { courseSiteForSpec } from '../course-site';
import { expect, test } from '../fixtures';
import { finishedResult, resultOf, runButton, stopButton } from '../playground';

const courseSite = courseSiteForSpec(test);

test('each run of the lab is one xAPI statement in the course LRS', async ({ page }) => {
  const query =
    'lab=hello&embed=1&id=lesson-4&tasks=2&seconds=0.2&executors=sequential,event-loop&predict=event-loop:0.3';
  await page.goto(courseSite().xapiLessonUrl(query));
  const lab = page.frameLocator('#playground');
  await runButton(lab).click();
  await finishedResult(lab, 'event-loop');
  await expect.poll(() => courseSite().lrsRecords().length).toBe(1);

  const [{ statement, version, authorization }] = courseSite().lrsRecords();
  expect(version).toBe('1.0.3');
  expect(authorization).toBe('Basic bGVhcm5lcjpzZWNyZXQ=');
  expect(statement.actor).toEqual({
    objectType: 'Agent',
    name: 'Ada Learner',
    mbox: 'mailto:ada@example.org',
  });
  expect(statement.verb.id).toBe('http://adlnet.gov/expapi/verbs/completed');
  const activity = new URL(statement.object.id);
  expect(activity.searchParams.get('lab')).toBe('hello');
  expect(activity.searchParams.get('tasks')).toBe('2');
  expect(statement.result).toMatchObject({ completion: true, success: true });
  const extensions = Object.values(statement.result.extensions)[0] as Record<string, unknown>[];
  expect(extensions.map((e) => [e.name, e.status, e.tasks_done])).toEqual([
    ['sequential', 'finished', 2],
    ['event-loop', 'finished', 2],
  ]);
  expect(extensions[1].predicted_ms).toBe(300);
  expect(Object.values(statement.context.extensions)).toContain('lesson-4');

  // A run stopped halfway is a terminated one.
  await page.goto(courseSite().xapiLessonUrl(query.replace('seconds=0.2', 'seconds=5')));
  await runButton(lab).click();
  await expect(resultOf(lab, 'sequential')).toHaveAttribute('data-status', 'running');
  await stopButton(lab).click();
  await expect.poll(() => courseSite().lrsRecords().length).toBe(2);
  expect(courseSite().lrsRecords()[1].statement.verb.id).toBe('http://adlnet.gov/expapi/verbs/terminated');
  expect(courseSite().lrsRecords()[1].statement.result.completion).toBe(false);
});
