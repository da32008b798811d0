"""``python -m teamcomms``."""

from teamcomms.cli import main

if __name__ == "__main__":
    main()
