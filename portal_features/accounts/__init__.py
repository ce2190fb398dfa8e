"""Accounts of parents and staff: login by e-mail, password reset and change, e-mail change.

Django's auth views do the work; this package only configures them (forms, templates, URLs)
and adds what they lack: "remember me", the lock-out page and the e-mail change.
"""
