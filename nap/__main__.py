"""`python -m nap ...` runs the `nap` command."""

from nap.entry import main

main()
