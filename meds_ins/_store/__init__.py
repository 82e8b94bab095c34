"""The store, a folder that is a Hugging Face dataset repository: its layout and metadata (layout.py),
the writer of data files (writer.py), atomic transactions (transaction.py), the Arrow copies the loader
maps (arrowcache.py), the dataset card (card.py) and paraphrased instructions (paraphrases.py).

May import: meds_ins._records, meds_ins._common."""
