"""Publishing to the Hub: the plan of a push with its licence gate (plan.py) and its transport: commits,
pull requests, merges (transport.py).

May import: meds_ins._building (the catalog), meds_ins._hub, meds_ins._store, meds_ins._common; not
meds_ins._bench."""
