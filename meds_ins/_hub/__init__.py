"""The Hugging Face Hub, client side: repository ids, the client's errors in the package's terms
(repo.py), and reading a store published on the Hub for loads (reading.py).

May import: meds_ins._store, meds_ins._common."""
