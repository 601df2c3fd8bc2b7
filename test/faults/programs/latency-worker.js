'use strict';
// A latency-sensitive worker: every `period-ms` (default 10) it wakes and
// computes for `work-ms` (default 2), like a service answering small requests.
// Alone on a CPU it never waits long for it; beside a busy neighbour on the
// same CPU it waits in the run queue at every wake-up.
const { args, lifetime } = require('./common');
const a = args();
lifetime(a);
const period = Math.max(1, Number(a['period-ms'] || 10));
const work = Math.min(period, Math.max(0.1, Number(a['work-ms'] || 2)));
let x = 0;
function request() {
  const end = performance.now() + work;
  while (performance.now() < end) x = (x * 1103515245 + 12345) % 2147483647;
  setTimeout(request, Math.max(0, period - work));
}
request();
