"""Imported once by the process a study's local workers are forked from (multiprocessing's fork server), so
that each worker starts with what every pair needs already loaded (`study.load_shared`).

What cannot be loaded here is loaded by each worker before its first pair, as it would be without this module:
the fork server must start whatever happens, or no worker would.
"""

import contextlib

from policydiff.compare.study import load_shared

with contextlib.suppress(Exception):
    load_shared()
