"""Kernels for the tests that run notebooks with nbclient, without a TCP port race.

With TCP, jupyter_client picks free ports and the kernel binds them a moment later; a kernel
started at the same time by the other xdist worker can take one in between, and the kernel dies
with "Address already in use" (seen once in a CI run of ~200 kernels). On POSIX the kernels use
IPC sockets in a private folder instead: no ports, no race. Elsewhere TCP, as before.
"""
from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile

_folder = None              # one per test process, removed when it ends
_numbers = itertools.count()


def client_options() -> dict:
    """Keyword arguments for ``nbclient.NotebookClient``: IPC transport where it exists."""
    global _folder
    if os.name != "posix":
        return {}
    from traitlets.config import Config

    if _folder is None:     # a short path: socket file names have a length limit
        _folder = tempfile.mkdtemp(prefix="course-kernels-")
        atexit.register(shutil.rmtree, _folder, True)
    ip = os.path.join(_folder, f"k{next(_numbers)}")
    return {"config": Config({"KernelManager": {"transport": "ipc", "ip": ip}})}
