"""Whether to take the paths every system has instead of Linux's faster or safer extras.

The builder uses two Linux-only features where it finds them: an atomic exchange of two
folders (renameat2 RENAME_EXCHANGE) when publishing, and a signal that ends worker processes
the moment the build that started them ends (PR_SET_PDEATHSIG). Windows and macOS have
neither, so each has a fallback that works everywhere. Setting LOCALOFFER_PORTABLE=1 makes a
Linux machine take the fallbacks too, so the tests can prove them on the machine that runs them.
"""

from __future__ import annotations

import os
import sys

VARIABLE = "LOCALOFFER_PORTABLE"


def linux_extras() -> bool:
    """True when the Linux-only features may be used."""
    return sys.platform.startswith("linux") and os.environ.get(VARIABLE, "") not in ("1", "true", "yes")
