"""Speed of speculative decoding: speculative-speedup, speculative-optimal-gamma,
bonus-token and target-calls.

Leviathan, Kalman and Matias 2023 (arXiv:2211.17192): expected tokens per iteration
(1 - α^(γ+1))/(1 - α) (Eq. 1), walltime improvement (1 - α^(γ+1))/((1 - α)(γc + 1))
(Theorem 3.8) and operations factor (1 - α)(γĉ + γ + 1)/(1 - α^(γ+1)) (Theorem 3.11).
Their Table 1 gives 3.69 for α = 0.8, γ = 5 and c = 0.
"""

from __future__ import annotations

from fractions import Fraction

# speculative-speedup


def test_speedup_table1_expected_tokens(answers):
    # (1 - 0.8^6)/0.2 = (1 - 0.262144)/0.2 = 3.68928.
    assert answers("speculative-speedup", "table1")["expected_tokens"] == Fraction("3.68928")


def test_speedup_table1_walltime(answers):
    # With c = 0 the improvement equals the expected tokens: 3.68928, printed as 3.69x.
    walltime = answers("speculative-speedup", "table1")["walltime_improvement"]
    assert walltime == Fraction("3.68928")
    assert round(float(walltime), 2) == 3.69


def test_speedup_table1_operations(answers):
    # ĉ = 0: 0.2 · 6/0.737856 = 1.2/0.737856 = 6250/3843 = 1.6263...
    assert answers("speculative-speedup", "table1")["operations_factor"] == Fraction(6250, 3843)


def test_speedup_costly_draft_walltime(answers):
    # c = 0.1: 3.68928/(5 · 0.1 + 1) = 3.68928/1.5 = 2.45952.
    assert answers("speculative-speedup", "costly-draft")["walltime_improvement"] == Fraction("2.45952")


def test_speedup_costly_draft_operations(answers):
    # ĉ = 0.1: (0.5 + 5 + 1)/3.68928 = 6.5/3.68928 = 40625/23058 = 1.7618...
    assert answers("speculative-speedup", "costly-draft")["operations_factor"] == Fraction(40625, 23058)


def test_speedup_misconceptions(wrong):
    # Kept drafts only: 3.68928 - 1 = 2.68928. All kept: 6. Unlimited drafts: 1/0.2 = 5.
    misconceptions = wrong("speculative-speedup", "costly-draft", "expected_tokens")
    assert misconceptions["target-token-dropped"] == Fraction("2.68928")
    assert misconceptions["every-draft-kept"] == 6
    assert misconceptions["unlimited-drafts"] == 5


def test_speedup_one_draft_run_misconception(wrong):
    # One draft run per iteration: 3.68928/1.1 = 3.3539...
    result = wrong("speculative-speedup", "costly-draft", "walltime_improvement")
    assert result["one-draft-run"] == Fraction("3.68928") / Fraction("1.1")


def test_speedup_fixed_interface(bank):
    # The template's parameter and part names are part of its contract with course staff.
    template = bank.get("speculative-speedup")
    assert [param.name for param in template.params] == ["alpha", "gamma", "cost_ratio"]
    assert [part.name for part in template.parts] == ["expected_tokens", "walltime_improvement", "operations_factor"]


# speculative-optimal-gamma: α = 0.8, c = 0.1.
# f(γ) = (1 - 0.8^(γ+1))/(0.2 (0.1γ + 1)):
#   γ = 1: 0.36/0.22 = 1.63636      γ = 4: 0.67232/0.28 = 2.40114
#   γ = 2: 0.488/0.24 = 2.03333     γ = 5: 0.737856/0.30 = 2.45952
#   γ = 3: 0.5904/0.26 = 2.27077    γ = 6: 0.7902848/0.32 = 2.46964
#   γ = 7: 0.83222784/0.34 = 2.44773, so f falls after γ = 6.


def test_optimal_gamma_value(answers):
    assert answers("speculative-optimal-gamma", "hand")["gamma"] == 6


def test_optimal_gamma_improvement(answers):
    # 0.7902848/0.32 = 2.46964.
    assert answers("speculative-optimal-gamma", "hand")["walltime_improvement"] == Fraction("2.46964")


def test_optimal_gamma_fixed_interface(bank):
    template = bank.get("speculative-optimal-gamma")
    free = [param.name for param in template.params if param.kind != "derived"]
    assert free == ["alpha", "cost_ratio"]
    assert [part.name for part in template.parts] == ["gamma", "walltime_improvement"]


# bonus-token: α = 0.8, γ = 5, 1000 iterations.


def test_bonus_tokens_if_all_kept(answers):
    assert answers("bonus-token", "table1")["tokens_if_all_kept"] == 6


def test_bonus_all_kept_probability(answers):
    # 0.8^5 = 0.32768.
    assert answers("bonus-token", "table1")["all_kept_probability"] == Fraction("0.32768")


def test_bonus_count(answers):
    # 1000 · 0.32768 = 327.68.
    assert answers("bonus-token", "table1")["bonus_count"] == Fraction("327.68")


def test_bonus_source(answers):
    assert answers("bonus-token", "table1")["bonus_source"] == "target"


def test_bonus_dropped_misconception(wrong):
    # Without the bonus token: 3.68928 - 0.32768 = 3.3616.
    assert wrong("bonus-token", "table1", "tokens_per_iteration")["bonus-dropped"] == Fraction("3.3616")
    assert wrong("bonus-token", "table1", "tokens_if_all_kept")["bonus-dropped"] == 5


# target-calls: α = 0.8, γ = 5, N = 1000, c = 0.05.


def test_target_calls_value(answers):
    # 1000/3.68928 = 1000 · 3125/11529 = 3125000/11529 = 271.06.
    assert answers("target-calls", "table1")["target_calls"] == Fraction(3125000, 11529)


def test_target_calls_draft_runs(answers):
    # 5 · 3125000/11529 = 15625000/11529 = 1355.3.
    assert answers("target-calls", "table1")["draft_calls"] == Fraction(15625000, 11529)


def test_target_calls_time(answers):
    # 3125000/11529 · (5 · 0.05 + 1) = 3125000/11529 · 1.25 = 3906250/11529 = 338.8.
    assert answers("target-calls", "table1")["total_time"] == Fraction(3906250, 11529)


def test_target_calls_speedup(answers):
    # 1000/(3906250/11529) = 11529/3906.25 = 2.951424.
    assert answers("target-calls", "table1")["calls_speedup"] == Fraction("2.951424")


def test_target_calls_misconceptions(wrong):
    # All kept: 1000/6. Linear acceptance: 1000/(0.8 · 5 + 1) = 200.
    misconceptions = wrong("target-calls", "table1", "target_calls")
    assert misconceptions["every-draft-kept"] == Fraction(1000, 6)
    assert misconceptions["linear-acceptance"] == 200
