"""What a photo upload may be: the rules the API, both image stores and the pipeline share.

Phones upload straight to the store through a presigned POST whose policy carries these
limits, so the store refuses anything else before a byte reaches a function.
"""

from __future__ import annotations

#: The content types an upload may declare.
CONTENT_TYPES: tuple[str, ...] = ("image/jpeg", "image/png", "image/webp")
#: The largest upload a policy allows, and the largest original the pipeline will read.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
