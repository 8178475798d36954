"""`python -m meldcode_tui` behaves like the `meldcode` command."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="meldcode")
