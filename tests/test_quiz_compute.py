"""The safe evaluator of numeric questions' ``compute`` field, and the quiz module's doctests.

Expected values are worked by hand in the comments (not read from course_lib).
"""
import doctest

import pytest

from course_lib import quiz as Q

HAND = [
    ("ceil(50000 / 128)", 391),          # 50000 / 128 = 390.625 -> 391
    ("floor(50000 / 128)", 390),
    ("50000 % 128", 80),                 # 390 * 128 = 49920, 50000 - 49920 = 80
    ("50000 // 128", 390),
    ("1 / (1 - 0.9)", 10),
    ("(1 - 0.9) / sqrt(1 - 0.999)", 0.1 / 0.001 ** 0.5),   # 0.1 / 0.0316... = 3.1623
    ("2 ** 10", 1024),
    ("2 ** -2", 0.25),
    ("-3 ** 2", -9),                     # power binds tighter than the sign
    ("(-3) ** 2", 9),
    ("+4 - -1", 5),
    ("1e-8 * 1e8", 1),
    ("sqrt(16) + log(e) + log(8, 2) + log2(32) + log10(1000)", 4 + 1 + 3 + 5 + 3),
    ("exp(0) + abs(-2.5)", 3.5),
    ("min(3, 1, 2) + max(3, 1, 2)", 4),
    ("round(3.14159, 2)", 3.14),
    ("round(2.5)", 2),                   # Python rounds halves to even
    ("pi", 3.141592653589793),
    ("7 * 4 / 2", 14),
    ("16 * 7e9", 1.12e11),               # Adam in mixed precision, 16 bytes per weight, 7B weights
]


@pytest.mark.parametrize("expression, expected", HAND, ids=[e for e, _ in HAND])
def test_evaluate_against_hand_worked_values(expression, expected):
    value = Q.evaluate(expression)
    assert isinstance(value, float)
    assert abs(value - expected) <= 1e-12 * max(1, abs(expected))


REFUSED = [
    ("__import__('os')", r"unknown function '__import__' in \"__import__\('os'\)\"; allowed: sqrt"),
    ("__import__('os').system('ls')", r"unknown function called on an expression"),
    ("(1).__class__", r"attribute access is not allowed in '\(1\).__class__'"),
    ("math.sqrt(4)", r"unknown function called on an expression"),
    ("x + 1", r"unknown name 'x' in 'x'; allowed constants: pi, e"),
    ("sqrt", r"the function 'sqrt' needs parentheses"),
    ("open('f')", r"unknown function 'open'"),
    ("eval('1')", r"unknown function 'eval'"),
    ("[1, 2][0]", r"indexing is not allowed"),
    ("'a' * 3", r"'a' is not a number in \"'a'\""),
    ("True + 1", r"True is not a number"),
    ("1j * 2", r"1j is not a number"),
    ("1 < 2", r"a comparison is not allowed in '1 < 2'"),
    ("1 and 2", r"and/or is not allowed"),
    ("(lambda: 1)()", r"unknown function called on an expression"),
    ("1 if 1 else 2", r"if/else is not allowed"),
    ("1 << 2", r"the operator LShift is not allowed"),
    ("~1", r"the operator Invert is not allowed"),
    ("sqrt(x=4)", r"sqrt\(\) takes plain arguments only"),
    ("max(*[1, 2])", r"max\(\) takes plain arguments only"),
    ("sqrt(1, 2)", r"sqrt\(\) takes 1 argument\(s\), got 2"),
    ("max(1)", r"max\(\) takes 2 or more argument\(s\), got 1"),
    ("round(1.5, 0.5)", r"round\(\)'s digits must be a whole number"),
    ("10 ** 10 ** 10", r"the exponent 1e\+10 is too large \(\|p\| <= 10,000 allowed\) in "
                       r"'10 \*\* 10 \*\* 10'"),
    ("9 ** 99999", r"the exponent 99999 is too large"),
    ("2 ** 1000", r"the value is 1.07151e\+301; allowed: finite real numbers of size at most "
                  r"1e\+30 in '2 \*\* 1000'"),
    ("1e20 * 1e20", r"the value is 1e\+40; allowed.* in '1e20 \* 1e20'"),
    ("1e300", r"the value is 1e\+300"),
    ("exp(1000)", r"exp\(\) cannot be computed here \(math range error\)"),
    ("10 ** 31", r"the value is 1e\+31"),
    ("1 / 0", r"division by zero in '1 / 0'"),
    ("1 % 0", r"division by zero"),
    ("sqrt(-1)", r"sqrt\(\) cannot be computed here \(math domain error\) in 'sqrt\(-1\)'"),
    ("log(0)", r"log\(\) cannot be computed here"),
    ("(-8) ** (1 / 3)", r"the value is a complex number"),
    ("1 +", r"not valid arithmetic"),
    ("import os", r"not valid arithmetic"),
    ("1; 2", r"not valid arithmetic"),
    ("(" * 300 + "1" + ")" * 300, r"601 characters; at most 500 allowed"),
]


@pytest.mark.parametrize("expression, match", REFUSED, ids=[e[:30] for e, _ in REFUSED])
def test_evaluate_refuses_everything_but_arithmetic(expression, match):
    with pytest.raises(ValueError, match=match):
        Q.evaluate(expression)


def test_evaluate_argument_errors():
    with pytest.raises(TypeError, match="expression must be a text such as 'ceil"):
        Q.evaluate(391)
    with pytest.raises(ValueError, match="expression is empty"):
        Q.evaluate("   ")


def test_the_loader_fills_the_answer_and_names_the_question():
    q = {"id": "x-mem", "chapter": "interview_prep", "kind": "numeric", "topic":
         "optimizer_memory", "question": "7e9 weights, 16 bytes each: how many GB (1e9 bytes)?",
         "compute": "7e9 * 16 / 1e9", "tolerance": 0.5, "explanation": "7e9·16/1e9 = 112."}
    (loaded,) = Q.validate_bank([q])
    assert loaded["answer"] == 112 and "answer" not in q  # the input is not changed
    assert Q.grade(loaded, "112").correct and not Q.grade(loaded, 113).correct
    with pytest.raises(ValueError, match=r"question 'x-mem': field 'compute': expression "
                                         r"'7e9 \* bytes': unknown name 'bytes'"):
        Q.validate_bank([dict(q, compute="7e9 * bytes")])


def test_the_quiz_module_docstring_examples_run():
    # tests/test_doctests.py does not list course_lib.quiz, so its examples run here
    result = doctest.testmod(Q, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 20 and result.failed == 0
