"""Bank: the fix for an unknown template id names the bank that was searched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from effquiz.errors import TemplateError
from effquiz.templates import default_bank_path
from effquiz.templates.bank import Bank


def test_load_records_folders(own_bank: Path) -> None:
    assert Bank.load(own_bank).folders == (own_bank,)
    assert Bank.load().folders == (default_bank_path(),)


def test_unknown_id_in_shipped_bank() -> None:
    expected = (f"Fix: use one of the ids that 'effquiz list' prints. For a template in a folder of your own, "
                f"pass '--bank FOLDER --bank {default_bank_path()}', or give the assignment file a 'bank' key.")
    with pytest.raises(TemplateError, match=re.escape(expected) + "$"):
        Bank.load().get("no-such-template")


def test_unknown_id_both_banks_no_hint(own_bank: Path) -> None:
    with pytest.raises(TemplateError, match=r"Fix: use one of the ids that 'effquiz list --bank .*' prints\.$"):
        Bank.load(own_bank, default_bank_path()).get("no-such-template")


def test_unknown_id_in_own_bank_names_option(own_bank: Path) -> None:
    expected = (f"Fix: use one of the ids that 'effquiz list --bank {own_bank}' prints. --bank replaces the shipped "
                f"bank, so pass '--bank {default_bank_path()}' as well to use both.")
    with pytest.raises(TemplateError, match=re.escape(expected)):
        Bank.load(own_bank).get("affine-int-mapping")


def test_unknown_id_with_both_banks(own_bank: Path) -> None:
    expected = f"Fix: use one of the ids that 'effquiz list --bank {default_bank_path()} --bank {own_bank}' prints."
    with pytest.raises(TemplateError, match=re.escape(expected) + "$"):
        Bank.load(default_bank_path(), own_bank).get("no-such-template")
