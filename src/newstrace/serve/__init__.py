"""Serve: read-side views of the store for the CLI, the REST API and the web UI."""
