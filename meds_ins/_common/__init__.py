"""The bottom of the house: errors, names ('did you mean'), languages, paths on the user's machine,
resources packaged with meds-ins, the JSON Schemas and what is derived from them, the version.

Imports nothing from meds_ins outside this package."""
