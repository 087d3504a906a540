"""policydiff: what each province retained, adapted, added or left missing of a central policy, clause by clause.

The library surface for notebooks and scripts lives in `policydiff.compare.api` and is re-exported here on
first use, so `import policydiff.cli` stays light.
"""

from __future__ import annotations

from typing import Any

__all__: list[str] = []


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    from policydiff.compare import api

    try:
        return getattr(api, name)
    except AttributeError:
        raise AttributeError(f"module 'policydiff' has no attribute {name!r}") from None
