#!/usr/bin/env python3
"""A hostile client for gitwar: replays the attacks of the "hostile clients" issue in a loop and
checks that each is refused clearly (a status or a Git error the client can read), never answered
with a server fault or silence.

    bench/hostile.py URL SECONDS [--from 127.0.0.2]

URL is the server's base, e.g. http://127.0.0.1:18080/git. Connections come from the --from address
(any 127.x address reaches a server on 127.0.0.1), so a server's per-client bound tells this client
from honest ones on 127.0.0.1. Prints one line per attack kind with its counts and exits non-zero if
any attack got an answer that is not a clear refusal.

Attacks, each against its own repository names under hostile/:
  haves      a v0 upload-pack request whose gzip body holds millions of have lines (item 3)
  deltas     a push of a big zero blob and deltas that expand it to GiB (item 4)
  trickle    a push body sent at a few bytes a second (item 5)
  stall      downloads of a pack whose responses are never read (item 5)
  repacks    pushes of just over 100 objects in a row, each able to start a repack (item 10)
"""
import gzip
import hashlib
import io
import socket
import struct
import sys
import time
import urllib.parse
import zlib

ZERO = "0" * 40


def pkt(payload):
    data = payload.encode() if isinstance(payload, str) else payload
    return b"%04x" % (len(data) + 4) + data


def raw_request(host, port, source, method, path, headers, body=b"", read_timeout=60):
    """One request on a new connection; returns (status, head+body bytes) or (None, reason)."""
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(read_timeout)
    try:
        s.connect((host, port))
        head = "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n" % (method, path, host)
        for k, v in headers.items():
            head += "%s: %s\r\n" % (k, v)
        head += "Content-Length: %d\r\n\r\n" % len(body)
        s.sendall(head.encode() + body)
        chunks = []
        while True:
            c = s.recv(65536)
            if not c:
                break
            chunks.append(c)
        answer = b"".join(chunks)
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.") else None
        return status, answer
    except OSError as e:
        return None, repr(e).encode()
    finally:
        s.close()


def obj_header(kind, size):
    b = (kind << 4) | (size & 0x0F)
    size >>= 4
    out = bytearray()
    while size:
        out.append(b | 0x80)
        b = size & 0x7F
        size >>= 7
    out.append(b)
    return bytes(out)


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def copy_op(offset, size):
    """A delta copy instruction of `size` (< 2^24) bytes from `offset` (< 2^32) of the base."""
    op = 0x80
    args = bytearray()
    for i in range(4):
        byte = (offset >> (8 * i)) & 0xFF
        if byte:
            op |= 1 << i
            args.append(byte)
    for i in range(3):
        byte = (size >> (8 * i)) & 0xFF
        if byte:
            op |= 1 << (4 + i)
            args.append(byte)
    return bytes([op]) + bytes(args)


def delta_bomb_pack(base_size=64 << 20, copies=64, deltas=4):
    """A pack: a blob of zeros, then `deltas` ofs-deltas on it, each copying the whole base `copies`
    times. A few KiB of pack that asks for deltas * copies * base_size bytes of results."""
    base = zlib.compress(b"\0" * base_size, 9)
    blob = obj_header(3, base_size) + base
    objects = [blob]
    chunk = min(base_size, 0xFFFFFF)
    ops = b"".join(copy_op(o, min(chunk, base_size - o)) for _ in range(copies)
                   for o in range(0, base_size, chunk))
    delta = varint(base_size) + varint(base_size * copies) + ops
    offset = 12 + len(blob)
    for i in range(deltas):
        here = offset
        d = zlib.compress(delta)
        rel = here - 12  # distance back to the blob at offset 12
        enc = bytearray([rel & 0x7F])
        rel >>= 7
        while rel:
            rel -= 1
            enc.insert(0, 0x80 | (rel & 0x7F))
            rel >>= 7
        entry = obj_header(6, len(delta)) + bytes(enc) + d
        objects.append(entry)
        offset += len(entry)
    pack = b"PACK" + struct.pack(">II", 2, len(objects)) + b"".join(objects)
    return pack + hashlib.sha1(pack).digest()


class Hostile:
    def __init__(self, url, source):
        u = urllib.parse.urlparse(url)
        self.host, self.port, self.base, self.source = u.hostname, u.port, u.path.rstrip("/"), source
        self.counts = {}
        self.bad = []

    def outcome(self, kind, refused, detail):
        ok, total = self.counts.get(kind, (0, 0))
        self.counts[kind] = (ok + (1 if refused else 0), total + 1)
        if not refused:
            self.bad.append("%s: %s" % (kind, detail[:300]))

    def haves(self):
        tip = self.tip_of("hostile/target")
        lines = [pkt("want %s multi_ack_detailed side-band-64k ofs-delta\n" % tip), b"0000"]
        have = pkt("have %s\n" % ("1" * 40))
        body = gzip.compress(b"".join(lines) + have * 2_000_000 + pkt("done\n"), 9)
        status, answer = raw_request(self.host, self.port, self.source, "POST",
                                     self.base + "/hostile/target.git/git-upload-pack",
                                     {"Content-Type": "application/x-git-upload-pack-request",
                                      "Content-Encoding": "gzip"}, body)
        refused = status is not None and (400 <= status < 500 or (status == 200 and b"ERR " in answer))
        self.outcome("haves", refused, "status %s: %r" % (status, answer[-200:]))

    def deltas(self, n):
        pack = delta_bomb_pack()
        cmd = pkt("%s %s refs/heads/main\0report-status side-band-64k\n" % (ZERO, "2" * 40)) + b"0000"
        status, answer = raw_request(self.host, self.port, self.source, "POST",
                                     self.base + "/hostile/bomb-%d.git/git-receive-pack" % n,
                                     {"Content-Type": "application/x-git-receive-pack-request"}, cmd + pack,
                                     read_timeout=120)
        refused = status is not None and ((status == 200 and b"unpack ok" not in answer and b"unpack " in answer)
                                          or 400 <= status < 500)
        self.outcome("deltas", refused, "status %s: %r" % (status, answer[-300:]))

    def trickle(self):
        s = socket.socket()
        s.bind((self.source, 0))
        s.settimeout(5)
        answer = b""
        try:
            s.connect((self.host, self.port))
            s.sendall(("POST %s/hostile/trickle.git/git-receive-pack HTTP/1.1\r\nHost: %s\r\n"
                       "Content-Type: application/x-git-receive-pack-request\r\nContent-Length: 1000000\r\n\r\n"
                       % (self.base, self.host)).encode())
            deadline = time.time() + 120
            while time.time() < deadline and not answer:
                try:
                    s.sendall(b"0")
                except OSError:
                    pass
                try:
                    answer = s.recv(4096)
                    break
                except socket.timeout:
                    continue
        except OSError as e:
            answer = repr(e).encode()
        finally:
            s.close()
        self.outcome("trickle", answer.startswith(b"HTTP/1.1 408") or answer.startswith(b"HTTP/1.1 429"),
                     repr(answer[:200]))

    def stall(self, n, write_timeout):
        packs = self.get("/hostile/target.git/objects/info/packs")
        name = next((l[2:] for l in packs.splitlines() if l.startswith("P ")), None)
        if not name:
            self.outcome("stall", False, "no listed pack in hostile/target")
            return
        sockets = []
        for _ in range(n):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.bind((self.source, 0))
            s.settimeout(30)
            try:
                s.connect((self.host, self.port))
                s.sendall(("GET %s/hostile/target.git/objects/pack/%s HTTP/1.1\r\nHost: %s\r\n\r\n"
                           % (self.base, name, self.host)).encode())
                sockets.append(s)
            except OSError:
                s.close()
        # the client's part: read nothing for longer than the server's write timeout
        time.sleep(write_timeout + 5)
        for s in sockets:
            closed = False
            try:
                deadline = time.time() + 60
                while time.time() < deadline:
                    if not s.recv(1 << 20):  # drains what the server sent before it gave up
                        closed = True
                        break
            except OSError:
                closed = True
            finally:
                s.close()
            self.outcome("stall", closed, "a stalled download stayed open")

    def repacks(self, work):
        """Pushes of 105 new files, each starting a repack if nothing bounded them (item 10)."""
        import subprocess
        script = ("cd %s && for f in $(seq 1 105); do echo $RANDOM-$f-$(date +%%s%%N) > f$f.txt; done "
                  "&& git add -A && git commit -q -m more && git push -q origin HEAD:main" % work)
        r = subprocess.run(["bash", "-c", script], capture_output=True)
        self.outcome("repacks", r.returncode == 0, r.stderr.decode(errors="replace"))

    def seed(self, work):
        """hostile/target: a repository with a listed pack of several MiB; a clone of it to push from."""
        import subprocess
        url = "http://%s:%d%s/hostile/target.git" % (self.host, self.port, self.base)
        script = ("set -e; rm -rf %(w)s; git init -q -b main %(w)s; cd %(w)s; "
                  "for f in $(seq 1 120); do echo $f > s$f.txt; done; head -c 6000000 /dev/urandom > big.bin; "
                  "git add -A; git commit -q -m seed; git remote add origin %(u)s; git push -q origin main"
                  % {"w": work, "u": url})
        subprocess.run(["bash", "-c", script], check=True)

    def get(self, path):
        status, answer = raw_request(self.host, self.port, self.source, "GET", self.base + path, {})
        return answer.split(b"\r\n\r\n", 1)[1].decode("latin-1") if status == 200 else ""

    def tip_of(self, repo):
        refs = self.get("/%s.git/info/refs" % repo)
        return refs.split("\t", 1)[0] if refs else "1" * 40


def main():
    import os
    import tempfile
    url, seconds = sys.argv[1], int(sys.argv[2])
    source = sys.argv[sys.argv.index("--from") + 1] if "--from" in sys.argv else "127.0.0.2"
    write_timeout = int(os.environ.get("WRITE_TIMEOUT", "60"))
    h = Hostile(url, source)
    work = os.path.join(tempfile.mkdtemp(prefix="hostile-"), "target")
    h.seed(work)
    deadline = time.time() + seconds
    n = 0
    while time.time() < deadline:
        n += 1
        h.haves()
        h.deltas(n)
        h.trickle()
        h.repacks(work)
        h.stall(4, write_timeout)
    for kind, (ok, total) in sorted(h.counts.items()):
        print("hostile: %s refused-or-bounded=%d of %d" % (kind, ok, total))
    for b in h.bad[:20]:
        print("hostile: NOT REFUSED " + b, file=sys.stderr)
    sys.exit(1 if h.bad else 0)


if __name__ == "__main__":
    main()
