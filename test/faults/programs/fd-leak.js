'use strict';
// Opens `per-sec` file descriptors a second without closing them, up to `target`.
const fs = require('node:fs');
const { args, lifetime } = require('./common');
const a = args();
lifetime(a);
const perSec = Number(a['per-sec'] || 20);
const target = Number(a.target || 100000);
const fds = [];
setInterval(() => {
  for (let i = 0; i < perSec && fds.length < target; i++) {
    try {
      fds.push(fs.openSync('/dev/null', 'r'));
    } catch (e) {
      process.stderr.write(`fd-leak: ${e.code}\n`);
      return;
    }
  }
}, 1000);
