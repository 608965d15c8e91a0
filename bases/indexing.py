"""The registry's denormalised columns of a base, computed in one place.

Every path that creates a base or changes its name, fields, region, institution or certificate number sets them
through `index_columns` (services, the import, the data migration that back-fills them), so the public search
and the city filter never see a base with empty columns. Kept free of model imports so that a migration can
call it with historical models.
"""

INDEX_FIELDS = ["prefecture", "fields_text", "search_text"]


def prefecture_code(region) -> str | None:
    """The code of the prefecture (市州) a region lies in: itself for a prefecture, None for the province."""
    if region.level == "prefecture":
        return region.code
    if region.level == "county":
        return region.parent_id
    return None


def index_columns(*, name, institution, fields, region, certificate_no) -> dict:
    """Return the registry columns of a base: prefecture_id, fields_text and search_text.

    The search text holds the base's name, its institution's, the fields, the county and city names and the
    certificate number, so that a visitor finds a base in 武侯区 by typing 成都.
    """
    fields = list(fields or [])
    city = region.parent.name if region.level == "county" and region.parent_id else ""
    return {
        "prefecture_id": prefecture_code(region),
        "fields_text": "、" + "、".join(fields) + "、" if fields else "",
        "search_text": " ".join(
            part
            for part in [name, institution.name, "、".join(fields), city, region.name, certificate_no]
            if part
        ),
    }
