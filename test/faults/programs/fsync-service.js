'use strict';
// A small fsync-heavy service (a database's commit log): every `period-ms`
// (default 20) it appends `kb` KiB (default 4) and fdatasyncs, waiting on the
// device each time. Its own traffic is small; its latency is the device's.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { args, lifetime } = require('./common');
const a = args();
lifetime(a);
const file = path.join(a.dir || os.tmpdir(), `procsight-fsync-${process.pid}.log`);
const fd = fs.openSync(file, 'w');
const record = Buffer.alloc(Number(a.kb || 4) * 1024, 9);
const period = Math.max(1, Number(a['period-ms'] || 20));
let written = 0;
process.on('exit', () => {
  try {
    fs.closeSync(fd);
    fs.unlinkSync(file);
  } catch (e) {
    process.stderr.write(`fsync-service cleanup: ${e.message}\n`);
  }
});
function commit() {
  fs.writeSync(fd, record);
  fs.fdatasyncSync(fd);
  written += record.length;
  if (written >= 16 * 1048576) {
    fs.ftruncateSync(fd, 0);
    written = 0;
  }
  setTimeout(commit, period);
}
commit();
