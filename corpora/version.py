"""The installed package's version, for exports, caches and the fetcher's User-Agent."""

from __future__ import annotations


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policydiff")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0+unknown"
