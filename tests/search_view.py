"""What a site's search indexes answer, for comparing an incremental build with a clean one.

The search index is log-structured (builder/render/search_log.py): after an edit it is a
settled index plus a recent one, where a clean build has one settled index. Both must
answer alike, so they are compared by the pages each can return: the settled index's
fragments that search.json does not drop, and the recent index's, by address."""

from __future__ import annotations

import gzip
import json
from pathlib import Path


def search_view(files: dict[str, bytes]) -> dict[str, bytes]:
    """files (output path -> bytes) with each pagefind/ folder replaced by its live pages."""
    kept = {path: data for path, data in files.items() if "pagefind/" not in path}
    for manifest in [path for path in files if path.endswith("pagefind/search.json")]:
        folder = manifest.removesuffix("search.json")
        layout = json.loads(files[manifest])
        live = {}
        for bundle in ("0/", *layout["merge"]):
            for path, data in files.items():
                if not (path.startswith(folder + bundle + "fragment/") and path.endswith(".pf_fragment")):
                    continue
                page = json.loads(gzip.decompress(data).removeprefix(b"pagefind_dcd"))
                id_ = Path(path).stem
                dropped = id_ in layout["superseded"] and layout["shared"].get(id_) != page["url"]
                if bundle == "0/" and dropped:
                    continue
                live[page["url"]] = json.dumps(page, sort_keys=True).encode()
        kept |= {f"{folder}live{url}": data for url, data in live.items()}
    return kept
