"""greedy-prefix-match: at temperature 0 the kept drafts are the matching prefix.

Hugging Face transformers (generation/utils.py, assisted decoding) count n_matches as the
length of the prefix on which the drafts equal the target's argmax, and keep
n_matches + 1 tokens. The example drafts "the cat sat on a" against the argmaxes
"the cat ran on a mat".
"""

from __future__ import annotations


def test_greedy_example_tokens(example):
    params = example("greedy-prefix-match", "sentence").params
    assert params["draft"] == ("the", "cat", "sat", "on", "a")
    assert params["target"] == ("the", "cat", "ran", "on", "a", "mat")


def test_greedy_accepted_prefix(answers):
    # "the" and "cat" match; "sat" differs from "ran", which ends the prefix.
    assert answers("greedy-prefix-match", "sentence")["accepted"] == 2


def test_greedy_counting_every_match_is_wrong(wrong):
    # "on" and "a" match again after the mismatch: 4 matches in all, but only 2 are kept.
    assert wrong("greedy-prefix-match", "sentence", "accepted")["every-match-counted"] == 4


def test_greedy_emitted_count(answers):
    # The 2 kept drafts plus the target's argmax "ran" at the mismatch.
    assert answers("greedy-prefix-match", "sentence")["emitted"] == 3


def test_greedy_next_token(answers):
    assert answers("greedy-prefix-match", "sentence")["next_token"] == "ran"


def test_greedy_next_token_misconceptions(wrong):
    misconceptions = wrong("greedy-prefix-match", "sentence", "next_token")
    assert misconceptions["draft-token-kept"] == "sat"
    assert misconceptions["last-position"] == "mat"
