# A service that reads a file-backed cache through mmap (as a database reads its
# data files): it writes a file of `mb` MB (default 150) in `dir`, maps it
# (random access: no read-ahead), and touches all its pages in a scattered
# order, about `pages-per-ms` pages per millisecond (default 2).
# While its pages stay resident this costs little; when they are reclaimed (a
# neighbour filling the memory cgroup or the host) each touch is a major page
# fault that reads the page back from disk.
# Python, not Node: Node cannot map a file.
import mmap, os, signal, sys, tempfile, time

def args():
    out = {}
    for a in sys.argv[1:]:
        if a.startswith('--') and '=' in a:
            k, v = a[2:].split('=', 1)
            out[k] = v
    return out

a = args()
deadline = time.monotonic() + float(a.get('max-seconds', '900'))
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
size = int(float(a.get('mb', '150')) * 1048576)
batch = max(1, int(float(a.get('pages-per-ms', '2')) * 10))
page = mmap.PAGESIZE
fd, path = tempfile.mkstemp(prefix='procsight-cache-', dir=a.get('dir') or None)
try:
    chunk = os.urandom(1048576)
    for _ in range(size // 1048576):
        os.write(fd, chunk)
    os.fsync(fd)
    m = mmap.mmap(fd, size, prot=mmap.PROT_READ)
    m.madvise(mmap.MADV_RANDOM)
    pages = size // page
    stride = 7919  # a prime: i * stride visits every page once per round, far apart
    i = 0
    total = 0
    while time.monotonic() < deadline:
        for _ in range(batch):
            total += m[((i * stride) % pages) * page]
            i += 1
        time.sleep(0.01)
finally:
    os.close(fd)
    os.unlink(path)
