"""A figure confirmed outside the guest: QEMU's own instruction count between two marks.

What a reader must know: a benchmark's figure is printed by the guest, so a student's
kernel (which can trap rdtsc) or formatter (lab 1's format.c prints every line) can
forge it. A witnessed test boots in QEMU's record mode (`-icount shift=0,rr=record`),
whose QMP command query-replay reports how many guest instructions have run; the
grader stops the guest at two functions of the trusted benchmark with gdb-stub
breakpoints (kept by QEMU, invisible to the guest) and reads that count at each. The
instructions per round between the marks, less the benchmark's own user-level cost
(`overhead`, measured on the reference), must not be below the printed figure by more
than `tolerance`: a figure may be honest or pessimistic, never flattering.
"""

import json
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.challenge import Challenge

CONNECT_SECONDS = 10  # for QEMU to create its sockets


@dataclass(frozen=True)
class Witness:
    figure: str        # the figure line it confirms
    begin: str         # the function called just before the timed rounds
    end: str           # ... and just after them
    rounds: int | Callable[[Challenge], int]  # rounds between the marks (of the seed)
    overhead: int      # the benchmark's own instructions per round not in the figure
    tolerance: int     # how far below the count the figure may be
    elf: str = "build/user/utest.elf"  # where the marks are, relative to the tree


def symbols(elf_path, names):
    """{name: address} of global functions in an ELF64 file (its .symtab)."""
    data = Path(elf_path).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError(f"{elf_path}: not an ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    found = {}
    for sh in sections:
        if sh[1] != 2:  # SHT_SYMTAB
            continue
        strtab = sections[sh[6]]
        for off in range(sh[4], sh[4] + sh[5], 24):
            st_name, st_info, _, _, st_value, _ = struct.unpack_from("<IBBHQQ", data, off)
            start = strtab[4] + st_name
            name = data[start:data.index(b"\0", start)].decode(errors="replace")
            if name in names and st_info >> 4 == 1:  # STB_GLOBAL
                if name in found:
                    raise ValueError(f"{elf_path}: two symbols named {name}")
                found[name] = st_value
    missing = sorted(set(names) - set(found))
    if missing:
        raise ValueError(f"{elf_path}: no symbol {', '.join(missing)}")
    return found


class _Gdb:
    """The few gdb remote-protocol packets the witness needs."""

    def __init__(self, path):
        self.sock = _connect(path)
        self.buffer = b""

    def send(self, packet):
        checksum = sum(packet.encode()) % 256
        self.sock.sendall(f"${packet}#{checksum:02x}".encode())

    def reply(self):
        while True:
            start = self.buffer.find(b"$")
            hash_at = self.buffer.find(b"#", start + 1) if start >= 0 else -1
            if start >= 0 and hash_at >= 0 and len(self.buffer) >= hash_at + 3:
                packet = self.buffer[start + 1:hash_at].decode(errors="replace")
                self.buffer = self.buffer[hash_at + 3:]
                self.sock.sendall(b"+")
                return packet
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("QEMU closed the gdb connection")
            self.buffer += chunk

    def ask(self, packet):
        self.send(packet)
        return self.reply()


class _Qmp:
    def __init__(self, path):
        self.file = _connect(path).makefile("rw")
        json.loads(self.file.readline())  # the greeting
        self.ask("qmp_capabilities")

    def ask(self, command):
        self.file.write(json.dumps({"execute": command}) + "\n")
        self.file.flush()
        while True:
            answer = json.loads(self.file.readline())
            if "return" in answer:
                return answer["return"]
            if "error" in answer:
                raise RuntimeError(f"QMP {command}: {answer['error'].get('desc')}")


def _connect(path):
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            sock = socket.socket(socket.AF_UNIX)
            sock.connect(str(path))
            sock.settimeout(None)
            return sock
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            if time.monotonic() > deadline:
                raise TimeoutError(f"QEMU made no socket {path}") from None
            time.sleep(0.02)


def qemu_args(folder, paused=True):
    """QEMU's extra options for a witnessed boot; sockets and the record in folder.
    paused: the guest starts stopped (-S) until the witness has set its first
    breakpoint."""
    folder = Path(folder)
    return {
        "icount": f"shift=0,rr=record,rrfile={folder / 'record.bin'}",
        "extra": ["-rtc", "clock=vm", *(["-S"] if paused else []),
                  "-gdb", f"unix:{folder / 'gdb.sock'},server=on,wait=off",
                  "-qmp", f"unix:{folder / 'qmp.sock'},server=on,wait=off"],
    }


class Watch(threading.Thread):
    """Drives one witnessed boot: count is the instructions per round, or error says
    why there is none. The guest always runs on, whatever fails here."""

    def __init__(self, witness, addresses, folder, seed):
        super().__init__(daemon=True)
        self.witness, self.addresses = witness, addresses
        rounds = witness.rounds
        self.rounds = rounds(Challenge(seed)) if callable(rounds) else rounds
        self.folder = Path(folder)
        self.count, self.error = None, None

    def run(self):
        gdb = None
        try:
            gdb = _Gdb(self.folder / "gdb.sock")
            qmp = _Qmp(self.folder / "qmp.sock")
            gdb.ask("?")
            counts = []
            for name in (self.witness.begin, self.witness.end):
                address = f"{self.addresses[name]:x}"
                if gdb.ask(f"Z0,{address},1") != "OK":
                    raise RuntimeError("QEMU refused a breakpoint")
                gdb.send("c")
                stop = gdb.reply()
                if not stop.startswith("T"):
                    raise RuntimeError(f"the guest ended before {name} ({stop})")
                counts.append(qmp.ask("query-replay")["icount"])
                gdb.ask(f"z0,{address},1")
            self.count = (counts[1] - counts[0]) / self.rounds
        except Exception as err:  # any failure is the verdict's, not the run's
            self.error = str(err) or type(err).__name__
        finally:
            if gdb is not None:
                try:
                    gdb.send("D")  # detach: the guest runs to its end on its own
                    gdb.sock.close()
                except OSError:
                    pass


def verdict(witness, figure, count, error):
    """None when the figure is confirmed, else the failure reason."""
    if count is None:
        return f"figure {witness.figure} not confirmed: {error or 'no count'}"
    floor = count - witness.overhead - witness.tolerance
    if figure < floor:
        return (f"figure {witness.figure}={figure} but QEMU counted {count:.0f} "
                f"instructions per round (at least {floor:.0f} expected)")
    return None
