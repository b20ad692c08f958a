"""The compiled build's hook: hatch-mypyc, without the extensions it leaves in the checkout.

hatch-mypyc (the build hook black ships its compiled wheels with) compiles the modules that
``pyproject.toml`` lists in place, next to their sources, and leaves the extensions there once
the wheel holds them. Python imports an extension ahead of a source file of the same name, so an
editable install of that checkout would from then on run the compiled module, stale as soon as
its source is edited, and say nothing. This hook removes them once the wheel is written, and
leaves an editable install alone: it is there to run the source.
"""

from __future__ import annotations

from typing import Any

import hatch_mypyc.plugin


class CompiledBuild(hatch_mypyc.plugin.MypycBuildHook):  # type: ignore[misc]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "editable":
            super().initialize(version, build_data)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if version != "editable":
            self.clean([version])
