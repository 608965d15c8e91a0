"""The ground layer: uploads, Excel, pagination, DRF helpers, number parsing, the 我的待办 registry.

It imports only Django (and DRF, openpyxl): every app may import it, it imports no app.
"""
