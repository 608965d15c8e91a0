"""What an ingestion call gives back: the accepted external_ids, and each refusal with its reason."""

from dataclasses import dataclass, field


@dataclass
class Outcome:
    accepted: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    created: int = 0
    corrected: int = 0
    unchanged: int = 0


def _refusal(external_id, reason, row=None) -> dict:
    """Describe one refused record as the client sees it: the workbook row only where there is one."""
    item = {"external_id": external_id, "reason": str(reason)}
    if row is not None:
        item["row"] = row
    return item


def _refuse(out, external_id, reason, row=None):
    out.refused.append(_refusal(external_id, reason, row))
