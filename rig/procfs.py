"""Facts about a running server from Linux /proc: its process tree, memory and open sockets."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import threading


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(x) for x in f.read().split()]
    return kids


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def status_kb(pid: int, field_name: str) -> int:
    """A "VmRSS"/"VmHWM"-style field of /proc/<pid>/status in kB (0 if the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _hex_addr(text: str) -> str:
    """An address from /proc/net/tcp{,6} (hex, kernel byte order) as text."""
    raw = bytes.fromhex(text)
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(raw[::-1]))
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    return str(ipaddress.IPv6Address(words))


def _is_loopback(addr: str) -> bool:
    ip = ipaddress.ip_address(addr)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified


def external_peers(pid: int) -> list[str]:
    """Non-loopback remote ends of the TCP sockets the process tree holds right now."""
    inodes = set()
    for p in process_tree(pid):
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{p}/fd"):
                with contextlib.suppress(OSError):
                    target = os.readlink(f"/proc/{p}/fd/{fd}")
                    if target.startswith("socket:["):
                        inodes.add(target[8:-1])
    peers = []
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/net/{table}") as f:
            for line in list(f)[1:]:
                cols = line.split()
                if cols[9] not in inodes:
                    continue
                host, port = cols[2].split(":")
                addr = _hex_addr(host)
                if not _is_loopback(addr):
                    peers.append(f"{addr}:{int(port, 16)}")
    return peers


class MemorySampler:
    """Samples the resident memory of a process tree in a background thread; keeps the peak.

    peak_mb is the largest sampled sum of VmRSS (MB = 10^6 bytes); hwm_mb() sums the kernel's own
    high-water marks (VmHWM), which also catch peaks between samples.
    """

    def __init__(self, pid: int, every_s: float = 0.2):
        self.pid, self.every_s = pid, every_s
        self.peak_mb = 0.0
        self.window_peak_mb = 0.0  # peak since the last new_window(): e.g. per page visited
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            now = mb_of(self.pid, "VmRSS")
            self.peak_mb, self.window_peak_mb = max(self.peak_mb, now), max(self.window_peak_mb, now)
            self._stop.wait(self.every_s)

    def new_window(self) -> None:
        self.window_peak_mb = mb_of(self.pid, "VmRSS")

    def hwm_mb(self) -> float:
        return mb_of(self.pid, "VmHWM")

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.peak_mb = max(self.peak_mb, mb_of(self.pid, "VmRSS"))


def mb_of(pid: int, field_name: str = "VmRSS") -> float:
    """A /proc memory field summed over the process tree, in MB (10^6 bytes)."""
    return sum(status_kb(p, field_name) for p in process_tree(pid)) * 1024 / 1e6
