"""Choice questions whose right answer cannot be guessed from its length or its position.

The fair model: if a question's k choices were written without a tell, the right choice would be
the longest with probability 1/k, the shortest with probability 1/k, and stored at position j
with probability 1/k. Over the bank, the number of questions showing a cue is then a sum of
independent Bernoulli(1/k_i) draws (a Poisson-binomial; a binomial(N, 1/k) when every question
has k choices). A cue FAILS the bank when a fair bank would show it at least as often with
probability below ALPHA = 1 %, one-sided (the exact tail, computed below from the definition).
A choice tied for longest (or shortest) counts as longest (shortest): the test errs strict.

The quiz shuffles choices at display, so the stored position is hidden from a learner in the
quiz; it is still checked, because the flash-card files and the JSON are read by people too.
"""
import copy
import json

import pytest

from course_lib import quiz as Q

ALPHA = 0.01


def _tail(ps, observed: int) -> float:
    """P(X >= observed) for X a sum of independent Bernoulli(p) draws, one per p in ps."""
    dist = [1.0]                                   # dist[c] = P(X = c) after the draws so far
    for p in ps:
        dist = [(dist[c] if c < len(dist) else 0.0) * (1 - p)
                + (dist[c - 1] * p if c > 0 else 0.0) for c in range(len(dist) + 1)]
    return sum(dist[observed:])


def _limit(ps) -> int:
    """The largest count a fair bank reaches with probability >= ALPHA."""
    c = 0
    while c + 1 <= len(ps) and _tail(ps, c + 1) >= ALPHA:
        c += 1
    return c


def _cues(bank) -> dict[str, tuple[int, list[float]]]:
    """cue -> (questions showing it, the chance of each question under the fair model)."""
    choice = [q for q in bank if q["kind"] == "choice"]
    cues = {"longest": (0, []), "shortest": (0, [])}
    for q in choice:
        k = len(q["choices"])
        lengths = [len(c) for c in q["choices"]]
        right = lengths[q["answer"]]
        for cue, hit in (("longest", right >= max(lengths)), ("shortest", right <= min(lengths))):
            n, ps = cues[cue]
            cues[cue] = (n + hit, ps + [1 / k])
    for j in range(max(len(q["choices"]) for q in choice)):
        eligible = [q for q in choice if len(q["choices"]) > j]
        cues[f"position {j}"] = (sum(q["answer"] == j for q in eligible),
                                 [1 / len(q["choices"]) for q in eligible])
    return cues


def unfair_cues(bank) -> list[str]:
    out = []
    for cue, (n, ps) in _cues(bank).items():
        if n > _limit(ps):
            out.append(f"the right choice is {cue} in {n} of {len(ps)} choice questions; a "
                       f"fair bank (chance {sum(ps) / len(ps):.2f} each) reaches at most "
                       f"{_limit(ps)} with probability >= {ALPHA}")
    return out


# ------------------------------------------------------------------ the statistics themselves
def test_the_tail_matches_a_binomial_worked_by_hand():
    # X ~ binomial(3, 1/2): P(X >= 2) = (3 + 1) / 8, P(X >= 3) = 1/8, P(X >= 0) = 1
    assert _tail([0.5] * 3, 2) == pytest.approx(0.5)
    assert _tail([0.5] * 3, 3) == pytest.approx(0.125)
    assert _tail([0.5] * 3, 0) == pytest.approx(1.0)
    # binomial(4, 1/4): P(X = 4) = 1/256; P(X >= 3) = 4·(1/4)^3·(3/4) + 1/256 = 13/256
    assert _tail([0.25] * 4, 3) == pytest.approx(13 / 256)
    # mixed chances: P(both) for p = 0.5 and 0.2 is 0.1
    assert _tail([0.5, 0.2], 2) == pytest.approx(0.1)


def test_the_limit_of_forty_four_choice_questions():
    # binomial(40, 1/4): P(X >= 17) = 0.0116 >= 1 % and P(X >= 18) = 0.0047 < 1 %, so at most
    # 17 of 40 (mean 10) may show a cue (values from the binomial formula, summed by hand below)
    from math import comb
    tail = lambda c: sum(comb(40, i) * 0.25 ** i * 0.75 ** (40 - i) for i in range(c, 41))  # noqa
    assert tail(17) > ALPHA > tail(18)
    assert _limit([0.25] * 40) == 17


# ------------------------------------------------------------------ the bank
def test_the_banks_choice_questions_give_nothing_away():
    bank = Q.load_questions()
    cues = _cues(bank)
    for cue, (n, ps) in cues.items():
        print(f"{cue:11s} {n:3d} of {len(ps)} (fair mean {sum(ps):.1f}, limit {_limit(ps)})")
    assert not unfair_cues(bank)


def test_no_choice_is_all_or_none_of_the_above():
    for q in Q.load_questions():
        for c in q.get("choices", []):
            assert not any(w in c.casefold() for w in ("all of the above", "none of the above",
                                                       "both of the above")), q["id"]


# ------------------------------------------------------------------ planted biased banks fail
def _synthetic(n_questions: int, n_longest: int) -> list[dict]:
    """Four-choice questions with the right choice longest in the first n_longest, in the
    middle by length otherwise, and the right position rotating evenly over A-D."""
    bank = []
    for i in range(n_questions):
        lengths = [10, 20, 30, 40]
        right_len = 40 if i < n_longest else 20
        others = [x for x in lengths if x != right_len]
        pos = i % 4
        choices_len = others[:pos] + [right_len] + others[pos:]
        bank.append({"id": f"s{i}", "chapter": "adam", "kind": "choice", "question": "q?",
                     "choices": [f"{j}" + "x" * (n - 1) for j, n in enumerate(choices_len)],
                     "answer": pos, "explanation": "e"})
    return Q.validate_bank(bank)


def test_a_synthetic_bank_fails_one_question_past_the_limit():
    limit = _limit([0.25] * 40)
    assert not unfair_cues(_synthetic(40, limit))
    failures = unfair_cues(_synthetic(40, limit + 1))
    assert failures == [f"the right choice is longest in {limit + 1} of 40 choice questions; a "
                        f"fair bank (chance 0.25 each) reaches at most {limit} with probability "
                        f">= 0.01"]


def test_the_real_bank_fails_when_the_right_choice_is_planted_longest_or_shortest():
    bank = Q.load_questions()
    for cue, pick in (("longest", max), ("shortest", min)):
        planted = copy.deepcopy(bank)
        for q in planted:
            if q["kind"] == "choice":
                lengths = [len(c) for c in q["choices"]]
                q["answer"] = lengths.index(pick(lengths))
        assert any(f"the right choice is {cue} in" in f for f in unfair_cues(planted)), cue


def test_the_real_bank_fails_when_the_right_choice_sits_in_one_position():
    bank = copy.deepcopy(Q.load_questions())
    for i, q in enumerate(bank):
        if q["kind"] == "choice" and i % 2 == 0:  # half the questions moved to position C
            right = q["choices"].pop(q["answer"])
            q["choices"].insert(2, right)
            q["answer"] = 2
    assert any("the right choice is position 2 in" in f for f in unfair_cues(bank))


def test_the_rewritten_bank_would_fail_with_the_old_right_choices_lengthened():
    """A bank where only the right choices grow (the tell issue 13 found) fails."""
    bank = copy.deepcopy(Q.load_questions())
    for q in bank:
        if q["kind"] == "choice":
            q["choices"][q["answer"]] += ", which is the usual, well-established behaviour"
    assert any("longest" in f for f in unfair_cues(bank))


def test_the_fairness_report_reads_the_shipped_files():
    # the files hold every choice question the loader serves (no question escapes the test)
    from pathlib import Path
    folder = Path(Q.__file__).parent / "teaching" / "questions"
    ids = {q["id"] for p in folder.glob("*.json")
           for q in json.loads(p.read_text(encoding="utf-8"))["questions"]
           if q["kind"] == "choice"}
    assert ids == {q["id"] for q in Q.load_questions() if q["kind"] == "choice"}
