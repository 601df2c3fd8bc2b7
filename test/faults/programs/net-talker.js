'use strict';
// Network talker, `kb-per-sec` KB a second. Default: to itself over TCP on
// 127.0.0.1 (a server and a client in one process). With --broadcast=<addr>:
// UDP datagrams to that broadcast address, for a namespace whose veth pair
// keeps both ends inside it (test/faults/spawn.ts, netns), so its interface
// counters move and nothing leaves the namespace.
const dgram = require('node:dgram');
const net = require('node:net');
const { args, lifetime } = require('./common');
const a = args();
lifetime(a);
const chunk = Buffer.alloc(Math.max(1, Math.round((Number(a['kb-per-sec'] || 256) * 1024) / 10)), 1);
function fail(e) {
  process.stderr.write(`net-talker: ${e.message}\n`);
  process.exit(1);
}
if (a.broadcast) {
  const sock = dgram.createSocket('udp4');
  sock.on('error', fail);
  sock.bind(() => {
    sock.setBroadcast(true);
    // 1,000-byte datagrams: no fragmentation at the veth's 1,500-byte MTU.
    setInterval(() => {
      for (let off = 0; off < chunk.length; off += 1000) sock.send(chunk.subarray(off, off + 1000), 9, a.broadcast);
    }, 100);
  });
} else {
  const server = net.createServer((sock) => sock.on('data', () => undefined));
  server.listen(0, '127.0.0.1', () => {
    const client = net.connect(server.address().port, '127.0.0.1', () => setInterval(() => client.write(chunk), 100));
    client.on('error', fail);
  });
}
