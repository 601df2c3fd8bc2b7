'use strict';
// Burns CPU on the main thread: busy for `duty` of every 100 ms (default 1.0).
const { args, lifetime } = require('./common');
const a = args();
lifetime(a);
const duty = Math.min(1, Math.max(0.05, Number(a.duty || 1)));
let x = 0;
function slice() {
  const end = Date.now() + 100 * duty;
  while (Date.now() < end) x = (x * 1103515245 + 12345) % 2147483647;
  setTimeout(slice, Math.max(0, 100 * (1 - duty)));
}
slice();
