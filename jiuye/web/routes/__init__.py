"""The routers of the web app, one module per feature (``jiuye.web.app.create_app`` includes them)."""
