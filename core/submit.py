"""A screen's form that calls one service, the same way on every screen (staff or family),
e.g. the staff's « Préparer la facturation » (invoicing/admin/runs.py): the form is valid,
`prepare(**data)` drafts the run, the screen says so and shows it; `prepare` refuses, the
form shows why. `form_submit()` returns the redirect, or None to show the form again."""

from django.contrib import messages
from django.shortcuts import redirect

from .errors import DomainError, UploadError


def form_submit(request, form, action, *, done, then, file_field: str | None = None):
    """On a POST with a valid form, `action(form.cleaned_data)` (one service call): done,
    the success message (`done`, or `done(result)`) and a redirect to `then` (or
    `then(result)`). A refusal of the service (a DomainError) is shown on the form, next to
    its `field` when it names one, a refused file (UploadError) next to `file_field`, and
    nothing is changed. None: show the form (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except DomainError as error:
        field = getattr(error, "field", None)
        if file_field and isinstance(error, UploadError):
            field = file_field
        form.add_error(field, error.message)
        return None
    messages.success(request, done(result) if callable(done) else done)
    return redirect(then(result) if callable(then) else then)
