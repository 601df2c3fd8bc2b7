'use strict';
// Writes `kb-per-write` KB and fsyncs, `writes-per-sec` times a second, to a
// temp file it truncates now and then and deletes on exit.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { args, lifetime } = require('./common');
const a = args();
lifetime(a);
const file = path.join(a.dir || os.tmpdir(), `procsight-io-${process.pid}.dat`);
const fd = fs.openSync(file, 'w');
const chunk = Buffer.alloc(Number(a['kb-per-write'] || 256) * 1024, 7);
const perSec = Number(a['writes-per-sec'] || 20);
let written = 0;
process.on('exit', () => {
  try {
    fs.closeSync(fd);
    fs.unlinkSync(file);
  } catch (e) {
    process.stderr.write(`io-writer cleanup: ${e.message}\n`);
  }
});
setInterval(() => {
  fs.writeSync(fd, chunk);
  fs.fsyncSync(fd);
  written += chunk.length;
  if (written > 256 * 1048576) {
    fs.ftruncateSync(fd, 0);
    written = 0;
  }
}, Math.max(1, Math.round(1000 / perSec)));
