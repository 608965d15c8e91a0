"""Pages of the recognition workflow. Thin: parse, fetch through a selector, call one service, render.

One module per entity; urls.py imports each view from its module.
"""
