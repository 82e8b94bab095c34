"""ChatDoctor: patient questions with doctors' replies, in three releases of the ChatDoctor project.

- HealthCareMagic-100k.json: about 100k real consultations from healthcaremagic.com (instruction, input,
  output; the instruction is one fixed sentence);
- iCliniq.json: about 7k real consultations from icliniq.com with the doctor's reply (answer_icliniq) and,
  for comparison, replies by ChatGPT and ChatDoctor, which are model outputs and are not used here;
- GenMedGPT-5k.json: 5k conversations generated with ChatGPT from a disease database (instruction, input,
  output); the repository itself carries the same file as chatdoctor5k.json.

The files are JSON arrays (JSON Lines copies are read too). No official split: 9:1 by the patient's
message, so a message answered twice stays on one side.
"""

from __future__ import annotations

from collections.abc import Iterator

from meds_ins.builder import BuildContext, Builder, Corpus, Download, Example, RawFile, Task, Withheld
from meds_ins.formats.jsonfiles import iter_text_records

# task -> (file names the release uses, message key, reply key)
RELEASES = {
    "task66": (("HealthCareMagic-100k.json",), "input", "output"),
    "task67": (("iCliniq.json",), "input", "answer_icliniq"),
    "task68": (("GenMedGPT-5k.json", "chatdoctor5k.json"), "input", "output"),
}

CORPUS = Corpus(
    id="chatdoctor",
    name="ChatDoctor",
    paper_names=("ChatDoctor",),
    homepage="https://github.com/Kent0n-Li/ChatDoctor",
    download="HealthCareMagic-100k.json, iCliniq.json and GenMedGPT-5k.json through the Google Drive links in "
    "the README of github.com/Kent0n-Li/ChatDoctor (GenMedGPT-5k is also in the repository as chatdoctor5k.json)",
    citation="""@article{li2023chatdoctor,
  title = {ChatDoctor: A Medical Chat Model Fine-Tuned on a Large Language Model Meta-AI (LLaMA) Using Medical
           Domain Knowledge},
  author = {Li, Yunxiang and Li, Zihan and Zhang, Kai and Dan, Ruilong and Jiang, Steve and Zhang, You},
  journal = {Cureus},
  volume = {15},
  number = {6},
  year = {2023}
}""",
    license="unknown",
    license_source="github.com/Kent0n-Li/ChatDoctor: its LICENSE file (Apache-2.0) covers the repository, which "
    "holds GenMedGPT-5k as chatdoctor5k.json; its README says 'for academic research only, any commercial use "
    "is prohibited' of the model; nothing is stated for the conversation files on Google Drive",
    redistribution=Withheld(
        "no terms for the conversation files: they come from healthcaremagic.com and icliniq.com "
        "and are shared through Google Drive links; the repository's Apache-2.0 LICENSE covers "
        "its own files"
    ),
    access="public",
    languages=("en",),
    text_source="Daily Conversation",
    raw_files=(
        RawFile("HealthCareMagic-100k.json", "JSON array of {instruction, input, output}", required=False),
        RawFile(
            "iCliniq.json",
            "JSON array of {input, answer_icliniq, answer_chatgpt, answer_chatdoctor}",
            required=False,
        ),
        RawFile("GenMedGPT-5k.json", "JSON array of {instruction, input, output}", required=False),
        RawFile(
            "chatdoctor5k.json",
            "the repository's copy of GenMedGPT-5k (used when that is absent)",
            required=False,
        ),
    ),
    sources=(
        Download(
            "https://raw.githubusercontent.com/Kent0n-Li/ChatDoctor/e77bd7ebafbffb6d82be3410cd0d4ebebe75a516/chatdoctor5k.json",
            target="chatdoctor5k.json",
            size=3_076_507,
            sha256="780c1a6aa67d461359ac220c120134429290b1e340545c3ad8954e1aa235d80f",
        ),
        Download(
            "https://drive.google.com/uc?export=download&id=1lyfqIwlLSClhgrCutWuEe_IACNq6XNUt",
            target="HealthCareMagic-100k.json",
            manual="Google Drive asks a browser to confirm the download, which a program cannot do reliably: open the link, download the file and put it in the corpus folder as HealthCareMagic-100k.json",
            optional=True,
        ),
        Download(
            "https://drive.google.com/uc?export=download&id=1ZKbqgYqWc7DJHs3N9TQYQVPdDQmZaClA",
            target="iCliniq.json",
            manual="Google Drive asks a browser to confirm the download, which a program cannot do reliably: open the link, download the file and put it in the corpus folder as iCliniq.json",
            optional=True,
        ),
    ),
    notes="The consultations were collected from public medical Q&A websites; the authors say they removed "
    "the identities of doctors and patients. A conversation repeated word for word is kept once.",
)

TASKS = (
    Task(
        "task66",
        "task66_chatdoctor_healthcaremagic_dialogue",
        "Dialogue",
        "You are a doctor answering patients on an online consultation service. Read the patient's message "
        "and write your reply: address their concern, say what may be causing it and what they should do next.",
        split_policy="random-9:1",
        notes="Source inferred by the reference; the three ChatDoctor releases are assigned to tasks 66-68 in "
        "the order the project lists them: HealthCareMagic-100k here.",
    ),
    Task(
        "task67",
        "task67_chatdoctor_icliniq_dialogue",
        "Dialogue",
        "Act as the doctor in an online medical consultation. The patient's message follows; reply to it as a "
        "physician would, explaining the likely problem and the advice or tests you recommend.",
        split_policy="random-9:1",
        notes="Source inferred by the reference: the iCliniq release, with the real doctor's reply "
        "(answer_icliniq) as the answer; the ChatGPT and ChatDoctor replies in the file are model outputs and "
        "are left out.",
    ),
    Task(
        "task68",
        "task68_chatdoctor_genmedgpt_dialogue",
        "Dialogue",
        "You are a doctor. A patient describes symptoms or a condition below. Reply as in a consultation: name "
        "the condition you suspect and the tests or treatments you would recommend.",
        split_policy="random-9:1",
        notes="Source inferred by the reference: GenMedGPT-5k, conversations generated with ChatGPT from a "
        "disease database (read from chatdoctor5k.json when GenMedGPT-5k.json is absent).",
    ),
)


def generate(ctx: BuildContext) -> Iterator[Example]:
    for task_id, (names, message_key, reply_key) in RELEASES.items():
        path = next((found for name in names if (found := ctx.optional(name)) is not None), None)
        if path is None:
            continue
        seen: set[tuple[str, str]] = set()
        for where, texts in iter_text_records(path, (message_key, reply_key)):
            message, reply = texts[message_key], texts[reply_key]
            if not message or not reply:
                ctx.skip(f"{path.name}: empty patient message or doctor reply")
                continue
            if (message, reply) in seen:
                ctx.skip(f"{path.name}: conversation repeated word for word")
                continue
            seen.add((message, reply))
            yield Example(task_id, where.replace(" ", ""), message, reply, group=message)


BUILDER = Builder(CORPUS, TASKS, generate)
