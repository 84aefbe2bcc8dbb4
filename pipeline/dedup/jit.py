"""How dedup's kernels are compiled: numba, once per machine.

numba compiles a kernel lazily, on its first call in a process, and caches the machine
code in ``__pycache__``, so that later processes (the run's workers) load it in
milliseconds. ``nogil`` lets a thread pool run kernels side by side; ``boundscheck`` is off
because every kernel sizes its output itself.
"""

from __future__ import annotations

import numba

kernel = numba.njit(cache=True, nogil=True, boundscheck=False)
