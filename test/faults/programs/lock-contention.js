'use strict';
// N worker threads fight over one lock (a futex via Atomics.wait/notify on a
// SharedArrayBuffer), each holding it briefly: many voluntary context
// switches, little CPU.
const { Worker, isMainThread, workerData } = require('node:worker_threads');
if (isMainThread) {
  const { args, lifetime } = require('./common');
  const a = args();
  lifetime(a);
  const sab = new SharedArrayBuffer(8);
  const n = Number(a.threads || 16);
  for (let i = 0; i < n; i++) new Worker(__filename, { workerData: { sab } });
} else {
  const lock = new Int32Array(workerData.sab);
  const acquire = () => {
    while (Atomics.compareExchange(lock, 0, 0, 1) !== 0) Atomics.wait(lock, 0, 1, 50);
  };
  const release = () => {
    Atomics.store(lock, 0, 0);
    Atomics.notify(lock, 0, 1);
  };
  const hold = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    acquire();
    Atomics.wait(hold, 0, 0, 1); // hold the lock ~1 ms without burning CPU
    release();
  }
}
