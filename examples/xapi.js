// Results as learning records: turns each result message of the playground's frames into an
// xAPI statement and posts it to the Learning Record Store the course page names. Copy it
// beside your course page and give it, before it loads:
//
//   <script>
//     window.asyncPlaygroundXapi = {
//       endpoint: 'https://lrs.example.org/xapi/',      // the LRS's xAPI endpoint
//       auth: 'Basic ' + btoa('key:secret'),            // its credentials, as it gives them
//       actor: { objectType: 'Agent', name: 'A learner', mbox: 'mailto:learner@example.org' },
//       playground: 'https://example.org/async-playground/', // where the labs come from
//     };
//   </script>
//   <script src="xapi.js"></script>
//
// The mapping (README, "Results as learning records"):
// - actor: the course page's `actor`;
// - verb: `completed` for a finished run, `terminated` for a stopped one, `failed` for one
//   that failed (ADL's verbs);
// - object: the lab as an activity, its id the lab's address with the run's parameters;
// - result: `completion` and `success`, the duration of the longest executor, and as
//   extensions every executor's figures (wall time, the model's, tasks done) and the learner's
//   prediction where they gave one;
// - context: the embed's `id` and the page the learner was on.
// Only messages from the playground's origin, from a frame on this page, are read.
'use strict';

(() => {
  const config = window.asyncPlaygroundXapi;
  if (!config || !config.endpoint || !config.actor) {
    console.warn('xapi.js: window.asyncPlaygroundXapi needs an endpoint and an actor');
    return;
  }
  const playground = new URL(config.playground ?? location.href);
  const EXTENSION = 'https://async-playground.example/xapi/';
  const VERBS = {
    finished: ['http://adlnet.gov/expapi/verbs/completed', 'completed'],
    stopped: ['http://adlnet.gov/expapi/verbs/terminated', 'terminated'],
    failed: ['http://adlnet.gov/expapi/verbs/failed', 'failed'],
  };

  /** ISO 8601 duration of `ms`, as xAPI's `result.duration` wants it. */
  const duration = (ms) => `PT${(Math.max(0, ms) / 1000).toFixed(3)}S`;

  /** The run's status: the worst of its executors'. */
  function statusOf(executors) {
    const all = executors.map((e) => e.status);
    if (all.includes('failed')) return 'failed';
    if (all.includes('stopped')) return 'stopped';
    return 'finished';
  }

  /** The lab's address with the run's parameters: the activity's id. */
  function activityId(message) {
    const url = new URL(playground);
    url.search = '';
    url.searchParams.set('lab', String(message.lab));
    for (const [key, value] of Object.entries(message.params ?? {})) {
      url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** The statement for one result message. */
  function statement(message) {
    const executors = Array.isArray(message.executors) ? message.executors : [];
    const status = statusOf(executors);
    const [verbId, verbName] = VERBS[status];
    const longest = Math.max(0, ...executors.map((e) => Number(e.wall_ms) || 0));
    return {
      actor: config.actor,
      verb: { id: verbId, display: { 'en-US': verbName } },
      object: {
        objectType: 'Activity',
        id: activityId(message),
        definition: {
          type: 'http://adlnet.gov/expapi/activities/simulation',
          name: { 'en-US': `Async Playground: ${message.lab}` },
          extensions: { [`${EXTENSION}params`]: message.params ?? {} },
        },
      },
      result: {
        completion: status === 'finished',
        success: status === 'finished',
        duration: duration(longest),
        extensions: {
          [`${EXTENSION}executors`]: executors.map((e) => ({
            name: e.name,
            status: e.status,
            wall_ms: e.wall_ms,
            expected_ms: e.expected_ms,
            tasks_done: e.tasks_done,
            tasks_total: e.tasks_total,
            ...(typeof e.predicted_ms === 'number' ? { predicted_ms: e.predicted_ms } : {}),
          })),
        },
      },
      context: {
        extensions: {
          [`${EXTENSION}embed-id`]: message.id ?? null,
          [`${EXTENSION}page`]: location.href,
        },
      },
      timestamp: new Date().toISOString(),
    };
  }

  async function send(record) {
    const url = new URL('statements', config.endpoint.endsWith('/') ? config.endpoint : `${config.endpoint}/`);
    const headers = {
      'Content-Type': 'application/json',
      'X-Experience-API-Version': '1.0.3',
    };
    if (config.auth) headers.Authorization = config.auth;
    try {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(record) });
      if (!response.ok) console.warn(`xapi.js: the LRS answered ${response.status}`);
    } catch (error) {
      console.warn(`xapi.js: the LRS could not be reached (${error})`);
    }
  }

  const frames = () => [...document.querySelectorAll('iframe')];
  window.addEventListener('message', (event) => {
    if (event.origin !== playground.origin) return;
    if (!frames().some((frame) => frame.contentWindow === event.source)) return;
    const data = event.data;
    if (typeof data !== 'object' || data === null || data.type !== 'async-playground:result') return;
    send(statement(data));
  });
})();
