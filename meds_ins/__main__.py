"""`python -m meds_ins` runs the command line."""

from meds_ins.cli import main

main()
