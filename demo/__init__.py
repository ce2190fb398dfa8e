"""The demo commune built by `manage.py seed_demo`: one module per kind of content.

`steps.STEPS` lists the builders in order; each is idempotent, so the command can run again
on a seeded database without creating anything twice.
"""
