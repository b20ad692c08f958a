"""``wirekit serve``: a published tree as a linked-data site (see :mod:`wirekit.serve.app`).

Needs the ``serve`` extra (Starlette, uvicorn, watchfiles); nothing here is imported by
``import wirekit``.
"""
