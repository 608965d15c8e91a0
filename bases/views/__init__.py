"""Public registry, profiles and notices; change requests, misconduct reports and the import for staff.

One module per entity; urls.py imports each view from its module.
"""
