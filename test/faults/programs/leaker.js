'use strict';
// Grows its resident memory steadily: retains `mb-per-min` MB of written
// Buffers per minute in small steps (default 3 MB/min), like a cache that never evicts;
// with `max-mb`, it stops growing once it retains that much.
const { args, lifetime } = require('./common');
const a = args();
lifetime(a);
const mbPerMin = Number(a['mb-per-min'] || 3);
// At least a page per step: slow rates (under 1 MB/min) take longer steps instead of rounding up to a page.
const stepMs = Math.max(250, Math.round((4096 * 60000) / (mbPerMin * 1048576)));
const bytesPerStep = Math.max(4096, Math.round((mbPerMin * 1048576 * stepMs) / 60000));
const maxBytes = a['max-mb'] ? Number(a['max-mb']) * 1048576 : Infinity;
const retained = [];
let held = 0;
setInterval(() => {
  if (held >= maxBytes) return;
  held += bytesPerStep;
  const b = Buffer.alloc(bytesPerStep, retained.length % 251); // filled: pages are really touched
  retained.push(b);
}, stepMs);
