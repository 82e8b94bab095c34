"""Loading: `load_dataset` selects tasks from a store (local or on the Hub) and returns memory-mapped or
streamed `datasets` objects.

May import: meds_ins._hub, meds_ins._store, meds_ins._common (and nothing of building or validation)."""
