from knowledge.text import fold


def test_fold_removes_accents_and_punctuation():
    assert fold("L’Ukraine a-t-il rompu ?") == "l ukraine a t il rompu"
