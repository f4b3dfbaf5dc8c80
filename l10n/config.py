"""Project configuration: ``[tool.l10n]`` in pyproject.toml, or a top-level ``l10n.toml``.

Keys (all optional)::

    source = "seeds"                 # folder of English sheets (*.md)
    source-locale = "en"
    locales = ["es"]                 # any locale Babel knows: "fr", "pt_BR", ...
    front-matter-keys = ["title"]    # front-matter keys whose values are translated
    locales-dir = "locales"          # templates/<slug>.pot, <lang>/LC_MESSAGES/<slug>.po
    build-dir = "build"              # <lang>/<slug>.md
    follow-symlinks-outside = false  # sheets may be symlinks to files outside the project

Tables (``[tool.l10n.something]``) are left to the stages that own them.
"""

from __future__ import annotations

import os
import tomllib
from types import MappingProxyType
from pathlib import Path
from typing import Any, Mapping, NamedTuple

from .errors import ConfigError

__all__ = ["Config", "load_config", "CONFIG_FILE", "Acceptance", "ReleaseSettings", "release_settings"]

CONFIG_FILE = "l10n.toml"

_DEFAULTS: dict[str, Any] = {
    "source": "seeds",
    "source-locale": "en",
    "locales": ["es"],
    "front-matter-keys": ["title"],
    "locales-dir": "locales",
    "build-dir": "build",
    "follow-symlinks-outside": False,
}


class Config(NamedTuple):
    """Where things are and what to translate. Paths are relative to ``root``."""

    root: Path
    source: str = "seeds"
    source_locale: str = "en"
    locales: tuple[str, ...] = ("es",)
    front_matter_keys: tuple[str, ...] = ("title",)
    locales_dir: str = "locales"
    build_dir: str = "build"
    file: str = ""  # the file the settings came from, for messages
    sections: Mapping[str, Any] = MappingProxyType({})  # tables for other stages
    follow_symlinks_outside: bool = False

    @property
    def source_dir(self) -> Path:
        return self.root / self.source

    def sources(self) -> list[Path]:
        if not self.source_dir.is_dir():
            raise ConfigError(f"source folder {self.source!r} does not exist", self.file)
        folder = self.source_dir
        # os.scandir, not Path.glob: a tenth of the time for a large collection.
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries if entry.name.endswith(".md") and entry.is_file())
        return [folder / name for name in names]

    def display(self, path: Path) -> str:
        """How messages and PO references name a file: relative to the project, with '/'."""
        text = str(path)
        root = os.path.join(str(self.root), "")
        if text.startswith(root) and ".." not in text:  # the common case: a file made from root
            relative = text[len(root):]
        else:
            try:
                relative = os.path.relpath(path, self.root)
            except ValueError:
                return text
        return relative.replace(os.sep, "/") if os.sep != "/" else relative


    def require_locale(self, locale: str) -> None:
        """Refuse to start a locale the configuration does not list, and say what to add where."""
        if locale in self.locales:
            return
        table = "[tool.l10n] " if self.file.endswith("pyproject.toml") else ""
        wanted = ", ".join(f'"{name}"' for name in (*self.locales, locale))
        raise ConfigError(
            f"locale {locale!r} is not in the configuration: add it to {table}'locales' in this file "
            f"(locales = [{wanted}]), then run this again", self.file)

    def template_path(self, slug: str) -> Path:
        return self.root / self.locales_dir / "templates" / f"{slug}.pot"

    def catalog_path(self, locale: str, slug: str) -> Path:
        return self.root / self.locales_dir / locale / "LC_MESSAGES" / f"{slug}.po"

    def build_path(self, locale: str, slug: str) -> Path:
        return self.root / self.build_dir / locale / f"{slug}.md"


def _find(folders: list[Path]) -> tuple[Path, Mapping[str, Any], str] | None:
    for folder in folders:
        own = folder / CONFIG_FILE
        if own.is_file():
            return folder, _read(own), str(own)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            data = _read(pyproject)
            if "l10n" in data.get("tool", {}):
                return folder, data["tool"]["l10n"], str(pyproject)
    return None


def _read(path: Path) -> Mapping[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        line = getattr(err, "lineno", None)
        if line is None and "(at line " in str(err):
            line = int(str(err).split("(at line ", 1)[1].split(",", 1)[0])
        raise ConfigError(f"not valid TOML: {str(err).split(' (at line')[0]}", str(path), line) from None


def load_config(project: str | os.PathLike | None = None) -> Config:
    """Find and read the configuration from ``project`` (or the current folder upwards)."""
    start = Path(project or os.getcwd()).resolve()
    if project is not None and not start.is_dir():
        raise ConfigError(f"project folder {str(project)!r} does not exist")
    # An explicit project folder is the root; otherwise search upwards like git.
    found = _find([start] if project is not None else [start, *start.parents])
    if found is None:
        raise ConfigError(
            f"no configuration: put an {CONFIG_FILE} or a [tool.l10n] table in pyproject.toml "
            f"in {start} or a folder above it"
        )
    root, data, file = found
    settings = dict(_DEFAULTS)
    sections = {}
    for key, value in data.items():
        if isinstance(value, dict):
            sections[key] = value
        elif key in _DEFAULTS:
            settings[key] = value
        else:
            raise ConfigError(f"unknown setting {key!r} (known: {', '.join(sorted(_DEFAULTS))})", file)
    for key in ("locales", "front-matter-keys"):
        value = settings[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{key!r} must be a list of strings", file)
    for key in ("source", "source-locale", "locales-dir", "build-dir"):
        if not isinstance(settings[key], str) or not settings[key]:
            raise ConfigError(f"{key!r} must be a non-empty string", file)
    if not isinstance(settings["follow-symlinks-outside"], bool):
        raise ConfigError("'follow-symlinks-outside' must be true or false", file)
    from .catalog import check_locale  # validate every locale up front

    for locale in settings["locales"]:
        check_locale(locale)
    return Config(
        root=root,
        source=settings["source"],
        source_locale=settings["source-locale"],
        locales=tuple(settings["locales"]),
        front_matter_keys=tuple(settings["front-matter-keys"]),
        locales_dir=settings["locales-dir"],
        build_dir=settings["build-dir"],
        file=file,
        sections=sections,
        follow_symlinks_outside=settings["follow-symlinks-outside"],
    )


# -- [tool.l10n.release] ------------------------------------------------------------------


class Acceptance(NamedTuple):
    """A release manager's recorded decision to ship a sheet despite a problem in its English.

    ``[[tool.l10n.release.accept]]`` with ``sheet``, ``check`` (a source check's
    name, e.g. "scaffolding"), optional ``line`` (the English sheet's line; any
    line if absent), optional ``locale`` (any if absent), and ``by`` and
    ``reason``, which go into the manifest.
    """

    sheet: str
    check: str
    by: str
    reason: str
    line: int | None = None
    locale: str | None = None

    def covers(self, sheet: str, locale: str, check: str, line: int | None) -> bool:
        return (self.sheet == sheet and self.check == check and self.locale in (None, locale)
                and self.line in (None, line))


class ReleaseSettings(NamedTuple):
    dist_dir: str = "dist"
    require: str = "reviewed"  # or "approved"
    memory_exact_counts_as_reviewed: bool = False
    accept: tuple[Acceptance, ...] = ()


def release_settings(config: Config) -> ReleaseSettings:
    """``[tool.l10n.release]``, checked: a typo here must not quietly loosen the gate."""
    table = dict(config.sections.get("release", {}))
    where = f"{config.file} [tool.l10n.release]" if config.file.endswith("pyproject.toml") else \
        f"{config.file} [release]"
    known = {"dist-dir": str, "require": str, "memory-exact-counts-as-reviewed": bool, "accept": list}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"unknown setting release.{key} (known: {', '.join(known)})", config.file)
        if not isinstance(value, known[key]):
            raise ConfigError(f"release.{key} must be a {known[key].__name__}", config.file)
    if table.get("require", "reviewed") not in ("reviewed", "approved"):
        raise ConfigError('release.require must be "reviewed" or "approved"', config.file)
    accepted = []
    for number, item in enumerate(table.get("accept", []), 1):
        if not isinstance(item, dict):
            raise ConfigError(f"release.accept #{number} must be a table ([[...release.accept]])", config.file)
        unknown = set(item) - {"sheet", "check", "line", "locale", "by", "reason"}
        missing = [k for k in ("sheet", "check", "by", "reason") if not str(item.get(k, "")).strip()]
        if unknown or missing:
            raise ConfigError(
                f"release.accept #{number} ({where}): "
                + (f"unknown key(s) {', '.join(sorted(unknown))}; " if unknown else "")
                + (f"needs {', '.join(missing)} (who accepts what, and why)" if missing else "").rstrip("; "),
                config.file)
        line = item.get("line")
        if line is not None and (not isinstance(line, int) or isinstance(line, bool) or line < 1):
            raise ConfigError(f"release.accept #{number}: line must be a line number", config.file)
        accepted.append(Acceptance(str(item["sheet"]), str(item["check"]), " ".join(str(item["by"]).split()),
                                   str(item["reason"]).strip(), line, item.get("locale")))
    return ReleaseSettings(
        dist_dir=table.get("dist-dir", "dist"),
        require=table.get("require", "reviewed"),
        memory_exact_counts_as_reviewed=table.get("memory-exact-counts-as-reviewed", False),
        accept=tuple(accepted),
    )
