'use strict';
// Keeps starting idle worker threads: `per-sec` a second up to `max`.
const { Worker, isMainThread } = require('node:worker_threads');
if (isMainThread) {
  const { args, lifetime } = require('./common');
  const a = args();
  lifetime(a);
  const perSec = Number(a['per-sec'] || 2);
  const max = Number(a.max || 200);
  const workers = [];
  setInterval(() => {
    for (let i = 0; i < perSec && workers.length < max; i++) workers.push(new Worker(__filename));
  }, 1000);
} else {
  setInterval(() => undefined, 60_000);
}
