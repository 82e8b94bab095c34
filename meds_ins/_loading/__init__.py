"""Loading: `load_dataset` selects tasks from a store (local, on the Hub, or the published collection)
and returns memory-mapped or streamed `datasets` objects (loader.py), taking the arguments of
`datasets.load_dataset` that mean something for a store (request.py); `decode_meta` types the `meta`
column (meta.py).

May import: meds_ins._hub, meds_ins._store, meds_ins._common (and nothing of building or validation)."""
