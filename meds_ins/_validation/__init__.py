"""Validation and import of released task files: the validator's front door (engine.py) for task files
(task_files.py, taskfile.py, taskfile_rules.py, jsonstream.py), builders (builders.py) and stores
(stores.py); findings and the registry of checks (findings.py); data audits (audits.py); the importer
of task files and paraphrase files (importer.py, paraphrase_file.py).

May import: meds_ins._building and everything below it."""
