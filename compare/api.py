"""The library surface: what `import policydiff` offers a notebook, and what the command line calls."""

from __future__ import annotations

__all__: list[str] = []
