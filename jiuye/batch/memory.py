"""Keep freed memory for reuse (glibc): the batch path allocates and frees thousands of
million-row temporaries; by default each one above the mmap threshold is a fresh mapping whose
pages the kernel faults in and zeroes again (about 1 ms per 8 MB array, a third of a whole
`match`). Raising the mmap and trim thresholds lets malloc reuse the freed blocks instead. The peak
RSS is unchanged (the blocks are reused, not added); other C libraries are left alone."""

from __future__ import annotations

import ctypes
import ctypes.util

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_done = False


def reuse_freed_memory() -> bool:
    """Once per process; True when glibc's mallopt accepted the settings."""
    global _done
    if _done:
        return True
    _done = True
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    ok = mallopt(_M_MMAP_THRESHOLD, 32 << 20)          # glibc's largest (64-bit): 32 MiB
    return bool(mallopt(_M_TRIM_THRESHOLD, 1 << 30) and ok)
