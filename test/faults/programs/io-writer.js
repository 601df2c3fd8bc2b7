'use strict';
// Storage-bound writer: writes `kb-per-write` KB and fdatasyncs in a loop
// for `duty` of every 100 ms (default 1.0: always waiting on the device),
// truncating its temp file every 64 MB and deleting it on exit.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { args, lifetime } = require('./common');
const a = args();
lifetime(a);
const file = path.join(a.dir || os.tmpdir(), `procsight-io-${process.pid}.dat`);
const fd = fs.openSync(file, 'w');
const chunk = Buffer.alloc(Number(a['kb-per-write'] || 256) * 1024, 7);
const duty = Math.min(1, Math.max(0.05, Number(a.duty || 1)));
let written = 0;
process.on('exit', () => {
  try {
    fs.closeSync(fd);
    fs.unlinkSync(file);
  } catch (e) {
    process.stderr.write(`io-writer cleanup: ${e.message}\n`);
  }
});
function burst() {
  const end = Date.now() + 100 * duty;
  while (Date.now() < end) {
    fs.writeSync(fd, chunk);
    fs.fdatasyncSync(fd);
    written += chunk.length;
    if (written >= 64 * 1048576) {
      fs.ftruncateSync(fd, 0);
      written = 0;
    }
  }
  setTimeout(burst, Math.max(0, 100 * (1 - duty)));
}
burst();
