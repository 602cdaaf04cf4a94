"""The problem bank: a folder of YAML templates, found by id."""

from __future__ import annotations

import logging
import shlex
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from effquiz.errors import TemplateError
from effquiz.templates.loader import load_template
from effquiz.templates.schema import Template
from effquiz.templates.validate import suggestion

logger = logging.getLogger(__name__)


def default_bank_path() -> Path:
    """Return the folder of the bank that ships with effquiz (the repository's ``problems/``)."""
    return Path(str(resources.files("effquiz.problems")))


@dataclass(frozen=True)
class Bank:
    """Templates loaded from one or more folders, keyed by id."""

    templates: dict[str, Template]
    folders: tuple[Path, ...] = ()
    """The folders that the templates were loaded from, in order. Empty for a bank built in code."""

    @classmethod
    def load(cls, *folders: Path) -> "Bank":
        """Load every ``*.yaml`` file in ``folders`` (default: the shipped bank).

        Raises TemplateError for the first template that does not load, or when two files
        share an id.
        """
        templates: dict[str, Template] = {}
        searched = tuple(Path(folder) for folder in folders) or (default_bank_path(),)
        for folder in searched:
            if not folder.is_dir():
                raise TemplateError(f"the bank folder {str(folder)!r} does not exist.",
                                    fix="pass the folder that holds the *.yaml templates.")
            for path in sorted(folder.glob("*.yaml")):
                template = load_template(path)
                if template.id in templates:
                    raise TemplateError(f"the id {template.id!r} is used by {templates[template.id].path} and {path}.",
                                        fix="give each template its own id.")
                templates[template.id] = template
        logger.debug("loaded %s templates", len(templates))
        return cls(templates, searched)

    def list_command(self) -> str:
        """Return the ``effquiz list`` command that prints the ids of this bank."""
        shipped = default_bank_path().resolve()
        if all(folder.resolve() == shipped for folder in self.folders):
            return "effquiz list"
        return "effquiz list " + " ".join(f"--bank {shlex.quote(str(folder))}" for folder in self.folders)

    def unknown_id_fix(self) -> str:
        """Return the fix for an id that this bank lacks, naming the command that lists its ids.

        For a bank without the shipped folder, the fix also gives the ``--bank`` option that
        adds it. For the shipped bank alone, it explains how to add a folder of one's own.
        """
        fix = f"use one of the ids that '{self.list_command()}' prints."
        shipped = shlex.quote(str(default_bank_path()))
        shipped_flags = [folder.resolve() == default_bank_path().resolve() for folder in self.folders]
        if self.folders and not any(shipped_flags):
            fix += f" --bank replaces the shipped bank, so pass '--bank {shipped}' as well to use both."
        elif all(shipped_flags):
            fix += (f" For a template in a folder of your own, pass '--bank FOLDER --bank {shipped}', "
                    "or give the assignment file a 'bank' key.")
        return fix

    def get(self, template_id: str) -> Template:
        """Return the template with ``template_id``; raise TemplateError naming close ids."""
        try:
            return self.templates[template_id]
        except KeyError:
            raise TemplateError(
                f"no template has the id {template_id!r}.{suggestion(template_id, list(self.templates))}",
                value=template_id, allowed=", ".join(sorted(self.templates)) or "none",
                fix=self.unknown_id_fix(),
            ) from None
