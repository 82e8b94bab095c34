from __future__ import annotations

import pytest

import meds_ins
from meds_ins.builder import RawFormatError


def records(root, task):
    ds = meds_ins.load_dataset(root, task=task)
    return {r["id"].split(":")[1]: r for split in ds for r in ds[split].to_list()}


def test_fixture_pairs_languages_and_inline_markup(build_store):
    report = build_store(["ecdc_tm"])
    root = report.store.root
    sv = records(root, "task19")
    assert sorted(sv) == ["tu1", "tu3", "tu4"]
    assert sv["tu3"]["input"] == "See the weekly report on influenza activity."
    assert sv["tu3"]["output"] == ["Se den veckovisa rapporten om influensaaktivitet."]
    assert (sv["tu3"]["input_language"], sv["tu3"]["output_language"]) == ("en", "sv")
    assert sv["tu4"]["output"] == ["Centrumet samarbetar med folkhälsoorgan i hela Europa."]
    assert sorted(records(root, "task20")) == ["tu1", "tu2", "tu6"]
    fr = records(root, "task21")
    assert sorted(fr) == ["tu1", "tu2", "tu4"]
    assert fr["tu2"]["input"] == "La vaccination vous protège, vous et votre entourage."
    assert fr["tu2"]["output"] == ["Vaccination protects you and the people around you."]
    assert (fr["tu2"]["input_language"], fr["tu2"]["output_language"]) == ("fr", "en")
    assert report.store.manifest["corpora"]["ecdc_tm"]["skipped"] == {
        "translation unit without both en and sv text": 2,
        "translation unit without both en and de text": 3,
        "translation unit without both fr and en text": 3,
        "repeated en-sv translation pair": 1,
    }


def test_an_english_sentence_has_one_split_in_every_task(build_store):
    root = build_store(["ecdc_tm"]).store.root
    splits = [records(root, task)["tu1"]["split"] for task in ("task19", "task20", "task21")]
    assert len(set(splits)) == 1


def test_variant_without_language_names_the_unit(build_store, copy_fixture):
    raw = copy_fixture("ecdc_tm")
    path = raw / "ECDC-TM" / "ECDC.tmx"
    text = path.read_bytes().decode("utf-16")
    path.write_bytes(text.replace('<tuv lang="SV-SE">', "<tuv>").encode("utf-16"))
    with pytest.raises(RawFormatError, match=r"ECDC.tmx, translation unit 4: a <tuv> has neither xml:lang"):
        build_store(["ecdc_tm"], raw=raw)


def test_broken_xml_names_the_line(build_store, copy_fixture):
    raw = copy_fixture("ecdc_tm")
    path = raw / "ECDC-TM" / "ECDC.tmx"
    text = path.read_bytes().decode("utf-16")
    path.write_bytes(
        text.replace("<seg>Antibiotics do not work", "<seg>Antibiotics <do not work").encode("utf-16")
    )
    with pytest.raises(RawFormatError, match=r"ECDC.tmx, line 33, column \d+: malformed TMX"):
        build_store(["ecdc_tm"], raw=raw)
