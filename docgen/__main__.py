"""`python -m docgen` is the `docgen` command."""

import sys

try:
    from docgen.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python is still loading: still one line, exit 130
    sys.stderr.write("docgen: interrupted (Ctrl-C); nothing was written\n")
    sys.exit(130)

main(prog_name="docgen")
