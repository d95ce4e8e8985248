"""Turning an admin page's form back into POST data, as a browser would submit it unchanged."""


def _bound_values(form, data):
    for name in form.fields:
        value = form[name].value()
        if value is None or value == "":
            continue
        if isinstance(value, bool) and not value:
            continue  # an unticked checkbox is not submitted
        data[form.add_prefix(name)] = value


def form_data(response):
    """The POST data of the admin add/change form shown in `response`, inlines included."""
    data = {}
    _bound_values(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets", ()):
        formset = inline.formset
        _bound_values(formset.management_form, data)
        for form in formset.forms:
            _bound_values(form, data)
    return data
