"""IgakuQA: the Japanese National Medical Licensing Examination, 2018-2022 (exams 112-116), as released.

One JSON Lines file per exam block (data/<year>/<exam>-<block>.jsonl, e.g. 112-A.jsonl); answers are
letters a-e (some questions ask for two or three). Beside it, <exam>-<block>_metadata.jsonl gives each
question's clinical area. The release has no split, so questions are split 9:1 by problem id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from meds_ins.builder import (
    BuildContext,
    Builder,
    Corpus,
    Download,
    Example,
    RawFile,
    RawFormatError,
    Task,
    Withheld,
    multiple_choice,
)
from meds_ins.formats.jsonfiles import iter_json_lines, require

QUESTIONS = "data/*/[0-9][0-9][0-9]-[A-Z].jsonl"
METADATA = "data/*/[0-9][0-9][0-9]-[A-Z]_metadata.jsonl"
KEYS = ("problem_id", "problem_text", "choices", "text_only", "answer")
ALTERNATIVES = re.compile(r"^[a-z]( or [a-z])+$")  # 'a or d': the board accepted either answer

# The question files at the pinned commit of github.com/jungokasai/IgakuQA: path, size, sha256.
IGAKUQA = "https://raw.githubusercontent.com/jungokasai/IgakuQA/2bc4c3d159cf5505f6253d24a909fbd53237e239/"
IGAKUQA_FILES = """
data/2018/112-A.jsonl 70537 eea86dfe79d4496de32eafbbb57b1d03a1cd619713b1b5999c49eae6d6d3079f
data/2018/112-A_metadata.jsonl 12092 129b6fc72471eac76bd7493daffd032d7c398debd3c1136e99b95b86d20c3630
data/2018/112-B.jsonl 33091 209db838c06b075d8c56b166e7b3489676fc47d69d1c0bc0b5978b4b34434dbf
data/2018/112-B_metadata.jsonl 7763 4bf9e9b4cb1ccd287c99e68fdf0ec362980bec200390abe5fc48fe73931b0eec
data/2018/112-C.jsonl 47702 51814ee3935b3736240d341c38220171c801ae133e4c8713b4caba99bba15b14
data/2018/112-C_metadata.jsonl 10383 78291e78c5b922797cad88c6118d55445991d0a641e81a711643a4b5dc99e457
data/2018/112-D.jsonl 65141 772b3f472c2e156992ee7b23999f49031d7ba04297f7a371b6d1343a3f24fc02
data/2018/112-D_metadata.jsonl 12256 2a6241f92f5f6b1d51035ccb8e7671aec19ee4f460e0e91fbb95aad3805de588
data/2018/112-E.jsonl 36747 aa999536fc9a1e26b407fee72d22ea97ef30c3c00ad1243d7567c664f0022834
data/2018/112-E_metadata.jsonl 7969 2c80983d1a8abe00a41692034e5b4288c7967bde5987f34c964bebdb24d2c71d
data/2018/112-F.jsonl 55529 1031d6d9fd80d1c78af364530251a101e8441ef6c46d5aea8017a8101cdd3107
data/2018/112-F_metadata.jsonl 13346 4192be63305e86956711ec4407b45b85bba423783ffc1a92b2104b2858015b4e
data/2019/113-A.jsonl 71257 b120dddb03f0ea412ee491386e6c479e9f664550b7b4e3f7fae8da57fcf845a5
data/2019/113-A_metadata.jsonl 11869 e15e9abb1ee5dbf4996ddd8b3ad71e2cbb2cf846d599725959fd13a6b4c31416
data/2019/113-B.jsonl 35556 79c1521fac7d9fed9ce35b2aa90ce8d8309d37a0a19e5fee908b1cd57d8c3ca5
data/2019/113-B_metadata.jsonl 7851 1573397a62607bb55e4f010a2e0c950dee26da1a86dfc976e7605dc7c9fb2d63
data/2019/113-C.jsonl 50072 fb695d2b11dc30534d5be689bb5371223fb67607b3454288340fd1b475d24781
data/2019/113-C_metadata.jsonl 10374 4d45dda93f9f4f12e630c3d096723e888dd818d8b9c4a3cba17dca5142d2b8cb
data/2019/113-D.jsonl 71763 1bd92e4bf986c8e8ac037f6c301771b1be1163ed366f8030cee378d7e1f3f4ca
data/2019/113-D_metadata.jsonl 12038 aa65f63754f6f15df8aaa878528782812bb5503279953ecb314cf1f5061fda1e
data/2019/113-E.jsonl 37004 98a8a8fe59d6cbdc9e840bf4b49c82943f5ea1998eab7f0a94382e413399a49a
data/2019/113-E_metadata.jsonl 8237 fc3bd8ce4be293509da407f9b2e33a9ff80eaf7bc32c5f17c6ca4af8592a4abc
data/2019/113-F.jsonl 57814 487ae5c94494c353ca25b7eecb100620686e490d4ca966e7b5b026fb638e9ad2
data/2019/113-F_metadata.jsonl 13027 bc84c243dc4a3853bea7a3321d2f9144be90d563e01a6eda28e1581563187d84
data/2020/114-A.jsonl 71830 ef89ce3561b4a9d495569f6030001526c7c849ae6d9953badcb6f8ebd207f83a
data/2020/114-A_metadata.jsonl 11953 7d84d9374fc9afcc1dfa80550c130ab9a2354fa0c519e641e677628a73768db4
data/2020/114-B.jsonl 38202 ee3f803cc2b009031d45c7644c8b8ff6cd7b949ff03e50e765ef3b0699a6d631
data/2020/114-B_metadata.jsonl 7789 dcfb1872d2c15f835740a65bafe527511f009cf2b92fc868e8d6540bd4ad8630
data/2020/114-C.jsonl 55325 4b8ae4543f9e79243e9d570a772269ce0c4620f669ffef56883a570b7d8988d0
data/2020/114-C_metadata.jsonl 11572 f710c991ce1a235dac3ca1b41eb61cc292e94c8eeae62f85ddf7b935e70830cb
data/2020/114-D.jsonl 67375 ed1c52e100b6922c84c917612226df74ab36a4a0284ff1348bbb1eee061f9406
data/2020/114-D_metadata.jsonl 11805 950d8322a5d76e4d93fbf5dbe6d40667be3fb7668f168ad3f6cafe0943545282
data/2020/114-E.jsonl 36958 07ed51444726630f91a98b0ce671202af9607e462684d66ce3481aecce352dd4
data/2020/114-E_metadata.jsonl 7865 97da785ade356533fa78a8d2c9d43dbe507a8394c2e63697f8cebbefca9bb800
data/2020/114-F.jsonl 52086 f115ba90c84c43a6f41cfba307aa8a2054923047e0a775724e7df56b7642dcd7
data/2020/114-F_metadata.jsonl 11666 e7be9e7fda22874002eab4026e0fc04b854ec28adeb28e87599d16a91597f1a4
data/2021/115-A.jsonl 64129 590e67de9e2ba9fb76143b8f3c89b4506d8b1974bb2b57ce4aeb0837974450c4
data/2021/115-A_metadata.jsonl 12022 04f798d6b927f9e6a6fc0d5eb24cdc00bbce13ed0103f7cd9b02b0860a22c4c5
data/2021/115-B.jsonl 35207 35913ca25740926494bd0dc2dd5dd4f56763bc58696a079895a9ebc4c245ffe2
data/2021/115-B_metadata.jsonl 7739 c7a1014fc233e149760a32a08ffc357351a6b019c809283288afbde9afbed572
data/2021/115-C.jsonl 52093 c2cb2bc500088f835836987ab94f85e2c663ef3ff9d0b72141af635a50ac9e77
data/2021/115-C_metadata.jsonl 11643 cdfa1d210fe506917c10005c709c1cafaadf4a3b5c8d84ac733cd80a24cbeafb
data/2021/115-D.jsonl 71595 30000d02e539c319635f6e482ab59640f5059c47938a4a8bd1e1c9ffcc9527e6
data/2021/115-D_metadata.jsonl 11848 a6c024f5abab017423a48e156b50f615098f989024b618f05f6d8bab48335907
data/2021/115-E.jsonl 36501 385d3464c003100f058b65d25c94e7e88d59a2aa3bccdbfa1967f65fd4c7d166
data/2021/115-E_metadata.jsonl 7960 b364d333cdca566c42ba117eb0db51f4a145e0a929d1eae072b270383500ae23
data/2021/115-F.jsonl 52707 39de2902e1691b98b29def80dae29a809fdb857e58c5fa77e79130ddf5073190
data/2021/115-F_metadata.jsonl 11791 c78218031a20d079b5b897809a3b75369b349ce04a868c4c16bb870f4484c858
data/2022/116-A.jsonl 67337 69e46553d3a7065ee488d8456eef5d5aeba9fa2998b0b177b981a1b14f464b06
data/2022/116-A_metadata.jsonl 11822 e6900108034cccebcfd4c04f3f7d012df792757b506174078c97f0e8e73f1f01
data/2022/116-B.jsonl 35054 b083a127521d87c75eee37009cac0af09229d24087b387f72e4c7d2e660bd7ae
data/2022/116-B_metadata.jsonl 7747 5b3cb6a1b93dcf0d84cec5160528646b7af59461286e7762247fc0ef47042950
data/2022/116-C.jsonl 54518 aeda3ddf49513b43c2487dcecb6e8f2856c54c0ab2aa0745876a788e5f86c440
data/2022/116-C_metadata.jsonl 11664 d2bdc47095a631a22ddb04ae90efb249499ea7f0aac0f08b8e5da9dfe6ca75a1
data/2022/116-D.jsonl 68870 6c924ef1862bb3c935eecfaebb8ea3b051bbdf22055a04ced14e2e3e24c9e892
data/2022/116-D_metadata.jsonl 11713 b81c9878880cb0f9512d2eba92cf70025338868f326614b76d44a7c87736ad0f
data/2022/116-E.jsonl 34893 ca3f9d4ad4c0c1bca008068056e1f5bdfde63d8a8b4744b2d4b534822c000183
data/2022/116-E_metadata.jsonl 7908 4f68bd46f045cf44350b7b852632334d5cc1e58ae36833fa7ac21cdb060104f2
data/2022/116-F.jsonl 52728 3b253f8928cefb27e7706bf6d81a7f9c40ce5568d56923a7ec4ab81042fbba24
data/2022/116-F_metadata.jsonl 11750 adad02166f531adbd3836b3940c5831d87e52aa965f4955457bf437e46ef7a6f
"""

CORPUS = Corpus(
    id="igakuqa",
    name="IgakuQA",
    paper_names=("IgakuQA",),
    homepage="https://github.com/jungokasai/IgakuQA",
    download="the data/ folder of github.com/jungokasai/IgakuQA (one folder per year, 2018-2022)",
    citation="""@misc{kasai2023igakuqa,
  title = {Evaluating {GPT}-4 and {ChatGPT} on {J}apanese Medical Licensing Examinations},
  author = {Kasai, Jungo and Kasai, Yuhei and Sakaguchi, Keisuke and Yamada, Yutaro and Radev, Dragomir},
  year = {2023},
  eprint = {2303.18027},
  archivePrefix = {arXiv}
}""",
    license="unknown",
    license_source="github.com/jungokasai/IgakuQA has no licence file and its README states none; it says the "
    "questions were collected from the website of Japan's Ministry of Health, Labour and Welfare",
    redistribution=Withheld(
        "no licence: the questions are the Ministry of Health, Labour and Welfare's exam problems "
        "and no terms allowing their republication were found"
    ),
    access="public",
    languages=("ja",),
    text_source="Exam",
    raw_files=(
        RawFile(QUESTIONS, "questions of one exam block, e.g. data/2018/112-A.jsonl (JSON Lines)"),
        RawFile(
            METADATA, "clinical area and answer statistics of each question (JSON Lines)", required=False
        ),
    ),
    sources=tuple(
        Download(IGAKUQA + path, target=path, size=int(size), sha256=sha256)
        for path, size, sha256 in map(str.split, IGAKUQA_FILES.strip().splitlines())
    ),
    notes="Not marked redistributable: the problems are the ministry's (the README says they were collected "
    "from its website) and neither the repository nor the ministry's page as cited states terms that allow "
    "republishing them. Left out (counted as skips): "
    "questions that need an image the release does not include (text_only false), numeric-entry questions "
    "without options, questions whose answer accepts alternatives ('a or d'), and questions worth 0 points, "
    "which we read as excluded from scoring by the examination board.",
)

TASKS = (
    Task(
        "task59",
        "task59_igakuqa_question_answering",
        "Question Answering",
        "This is a question from the Japanese National Medical Licensing Examination. Choose the correct "
        "option, or as many options as the question asks for, and reply with the letter and text of each.",
        split_policy="random-9:1",
        input_languages=("ja",),
        in_bench=True,
        notes="The release has no split: questions are split 9:1 by problem id. MedS-Bench's file (199 "
        "questions) is MMedBench's Japanese test set, a subset of IgakuQA whose membership the IgakuQA files "
        "do not record, so our test split is not that subset, and some of those questions (also used by "
        "task54) may fall in our training split. Answer letters a-e are shown as A-E.",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    areas = _clinical_areas(ctx)
    for path in ctx.files(QUESTIONS):
        for line, item in iter_json_lines(path):
            where = f"line {line}"
            require(item, KEYS, path, where)
            example = _example(ctx, item, path, where, areas.get(item["problem_id"]))
            if example is not None:
                yield example


def _example(
    ctx: BuildContext, item: Mapping[str, Any], path: Path, where: str, area: str | None
) -> Example | None:
    choices, answers = item["choices"], item["answer"]
    if (
        not isinstance(choices, list)
        or not isinstance(answers, list)
        or not answers
        or not all(isinstance(x, str) for x in choices + answers)
    ):
        raise RawFormatError(path, where, "choices must be a list and answer a non-empty list of letters")
    if item["text_only"] is not True:
        ctx.skip("question needs an image that the release does not include (text_only false)")
        return None
    if not choices:
        ctx.skip("numeric-entry question without options")
        return None
    if any(ALTERNATIVES.match(a) for a in answers):
        ctx.skip("answer accepts alternatives ('a or d')")
        return None
    if str(item.get("points")) == "0":
        ctx.skip("question worth 0 points (excluded from scoring)")
        return None
    letters = [chr(ord("A") + i) for i in range(len(choices))]
    wanted = [a.upper() for a in answers]
    unknown = [a for a in answers if a.upper() not in letters or a != a.lower()]
    if unknown:
        raise RawFormatError(
            path, where, f"answer {', '.join(unknown)} is not one of the letters a-{letters[-1].lower()}"
        )
    text, outputs, meta = multiple_choice(item["problem_text"], dict(zip(letters, choices)), wanted)
    meta["problem_id"] = item["problem_id"]
    if area:
        meta["area"] = area
    return Example("task59", item["problem_id"], text, outputs, meta=meta)


def _clinical_areas(ctx: BuildContext) -> dict[str, str]:
    areas = {}
    for path in ctx.files(METADATA):
        for line, item in iter_json_lines(path):
            require(item, ("problem_id", "category"), path, f"line {line}")
            if item["category"]:
                areas[item["problem_id"]] = item["category"]
    return areas


BUILDER = Builder(CORPUS, TASKS, generate)
