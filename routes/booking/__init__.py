"""The public request form and a request's private page (blueprint ``booking``)."""
