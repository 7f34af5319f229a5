"""Benchmarks of issue #7: Amazon call cost, quota-imposed waiting, Odoo load speed, memory, idle runs.

Run with ``python -m amzodoo.bench`` (``make bench``); ``--help`` lists the flags. Every measurement runs
against the local SP-API sandbox and the Odoo stand-in (and a real Odoo when a URL is given), so the numbers
are reproducible on any machine; docs/BENCHMARKS.md explains how to read them.
"""
