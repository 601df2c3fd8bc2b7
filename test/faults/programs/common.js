'use strict';
// Shared by the fault programs: argument parsing and a bounded lifetime, so
// nothing is left running if a test forgets to stop it.
function args() {
  const out = {};
  for (const a of process.argv.slice(2)) {
    const m = /^--([\w-]+)=(.*)$/.exec(a);
    if (m) out[m[1]] = m[2];
  }
  return out;
}
function lifetime(a) {
  const seconds = Number(a['max-seconds'] || 900);
  setTimeout(() => process.exit(0), seconds * 1000).unref();
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}
module.exports = { args, lifetime };
