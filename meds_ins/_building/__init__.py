"""Running builders: the catalog of builders and of the whole collection (catalog.py), raw files to
records to store (run.py), and scaffolding a new builder (scaffold.py).

May import: meds_ins.builders, meds_ins._hub, meds_ins._store, meds_ins._records, meds_ins.builder,
meds_ins.formats, meds_ins._common."""
