"""Records: a builder's examples turned into Arrow tables of records (ids, splits, languages, metadata),
and the record checks compiled from schemas/record.json into vectorized Arrow operations.

May import: meds_ins.builder, meds_ins._common."""
