'use strict';
// Burns CPU: busy for `duty` of every 100 ms (default 1.0) on the main thread
// and, with `threads` > 1, on that many threads in all (a batch job's workers).
const { Worker, isMainThread, workerData } = require('node:worker_threads');
function burn(duty) {
  let x = 0;
  function slice() {
    const end = Date.now() + 100 * duty;
    while (Date.now() < end) x = (x * 1103515245 + 12345) % 2147483647;
    setTimeout(slice, Math.max(0, 100 * (1 - duty)));
  }
  slice();
}
if (isMainThread) {
  const { args, lifetime } = require('./common');
  const a = args();
  lifetime(a);
  const duty = Math.min(1, Math.max(0.05, Number(a.duty || 1)));
  for (let i = 1; i < Number(a.threads || 1); i++) new Worker(__filename, { workerData: { duty } });
  burn(duty);
} else {
  burn(workerData.duty);
}
