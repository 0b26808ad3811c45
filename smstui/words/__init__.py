"""Words the TUI and the CLI share, in English and Chinese: the lookup, the language, findings and failures."""

from .failures import STRINGS as FAILURES
from .failures import error_text, error_title, refusal_text
from .findings import STRINGS as FINDINGS
from .findings import duplicate_text, held_text, invalid_text, problem_text, template_finding_text, where_text
from .strings import Catalog, Strings, detect_language, merged

SHARED: Catalog = merged(FINDINGS, FAILURES)

__all__ = [
    "FAILURES", "FINDINGS", "SHARED", "Catalog", "Strings", "detect_language", "duplicate_text", "error_text",
    "error_title", "held_text", "invalid_text", "merged", "problem_text", "refusal_text", "template_finding_text",
    "where_text",
]
