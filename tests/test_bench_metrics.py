"""Bench metrics against hand-computed values."""

from __future__ import annotations

import pytest

from meds_ins._bench import metrics


def test_bleu1_and_rouge_l_by_hand():
    # hypothesis "the cat ran away" vs reference "the cat sat": 2 of 4 unigrams match, no brevity penalty
    assert metrics.bleu1("the cat ran away", "the cat sat") == pytest.approx(0.5)
    # LCS = 2: precision 2/4, recall 2/3, F = 2 * 0.5 * 0.667 / 1.167 = 0.5714
    assert metrics.rouge_l("the cat ran away", "the cat sat") == pytest.approx(4 / 7)
    # shorter hypothesis: "the cat" vs "the cat sat": precision 1, brevity penalty exp(1 - 3/2) = 0.6065
    assert metrics.bleu1("the cat", "the cat sat") == pytest.approx(0.60653, abs=1e-4)
    assert metrics.bleu1("", "the cat") == 0.0


def test_non_latin_text_is_tokenized_per_language():
    assert metrics.rouge_l("пациент жалуется на боль", "пациент жалуется на боль") == 1.0
    assert metrics.tokens("患者突发胸痛", "zh") == ["患者", "突发", "胸痛"]
    assert metrics.tokens("胸痛を訴えた", "ja")[:2] == ["胸痛", "を"]
    # 2 of the 3 Chinese words shared: precision 2/3, recall 2/3
    assert metrics.rouge_l("患者突发头痛", "患者突发胸痛", "zh") == pytest.approx(2 / 3)


OPTIONS = {"A": "Levothyroxine", "B": "Methimazole", "C": "Radioactive iodine", "D": "Propranolol"}


@pytest.mark.parametrize(
    ("answer", "chosen"),
    [
        ("B", {"B"}),
        ("(B)", {"B"}),
        ("b) methimazole", {"B"}),
        ("Answer: C. Radioactive iodine", {"C"}),
        ("The correct answer is D.", {"D"}),
        ("A, C", {"A", "C"}),
        ("A. Levothyroxine; C. Radioactive iodine", {"A", "C"}),
        ("B. Methimazole; it blocks thyroid hormone synthesis", {"B"}),
        ("I would start methimazole.", {"B"}),
        ("A diagnosis of hypothyroidism: give levothyroxine", {"A"}),
        ("no idea", set()),
    ],
)
def test_chosen_options(answer, chosen):
    assert metrics.chosen_options(answer, OPTIONS) == chosen


def test_labels_are_whole_words_and_maybe_counts():
    labels = ["maybe", "yes", "no"]
    assert metrics.choice_correct("Maybe, the evidence is weak.", "maybe", None, labels)
    assert not metrics.choice_correct("I do not know", "no", None, labels)  # 'no' inside 'not', 'know'
    assert metrics.first_line_correct("No.\nYes would be wrong.", "no", labels)
    assert not metrics.first_line_correct("\nThe claim is right: yes", "no", labels)


def test_true_false_and_substring():
    assert metrics.true_false_correct("True: the patient will be admitted.", "True")
    assert not metrics.true_false_correct("True or false? False.", "True")
    assert metrics.substring_correct("The most likely diagnosis is  Bronchitis.", ["bronchitis"])
    assert not metrics.substring_correct("Pneumonia", ["Bronchitis", "Asthma"])


def test_substring_of_an_entity_list_asks_for_every_entity_in_any_layout():
    entities = ["cancer of the renal pelvis, ureter or bladder", "gout"]
    reference = "cancer of the renal pelvis, ureter or bladder\ngout"
    for said in (
        reference,
        "Gout; cancer of the renal pelvis, ureter or bladder.",
        "- gout\n- cancer of the renal pelvis, ureter or bladder",
    ):
        assert metrics.substring_correct(said, [reference], entities)
    assert not metrics.substring_correct("cancer of the renal pelvis", [reference], entities)
    assert metrics.substring_correct("There is no related entity.", ["There is no related entity."], [])


def test_hallmarks():
    assert metrics.hallmarks("Inducing angiogenesis and resisting cell death") == {
        "Inducing angiogenesis",
        "Resisting cell death",
    }
