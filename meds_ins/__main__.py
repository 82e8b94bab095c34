"""`python -m meds_ins` runs the command line."""

from meds_ins._cli import main

main()
