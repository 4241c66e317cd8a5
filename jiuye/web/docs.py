"""/docs (Swagger UI) and /redoc (ReDoc) from fastapi-offline's bundled assets, with nothing on any
page that points to another host (a 区人社局 intranet has no internet; issue 12 item 8).

fastapi-offline serves both bundles locally, but two things in them still name the internet:

* Swagger UI can draw an "online validator" badge, an image from validator.swagger.io, on any host
  other than localhost/127.0.0.1 (an intranet's). The BaseLayout FastAPI uses does not draw it;
  `validatorUrl: null` keeps it off whatever the layout.
* ReDoc's side menu ends with a credit line, a link to redocly.com with its makers' logo drawn from
  cdn.redoc.ly. /redoc loads the same bundle from `/docs-assets/redoc.standalone.js`, where those two
  URLs are replaced when served: the logo's source by "" (ReDoc hides the image when it does not
  load) and the link by "#" (the credit's text stays). The installed file is not changed.
"""

from __future__ import annotations

import functools
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi_offline import FastAPIOffline
from starlette.responses import HTMLResponse, Response

STATIC = Path(fastapi_offline.__file__).parent / "static"       # fastapi-offline's bundled assets
REDOC_JS = "/docs-assets/redoc.standalone.js"
# ReDoc's credit line: its makers' logo and their site, each replaced by a local value
REDOC_OUTSIDE = {'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"': 'src:""',
                 'href:"https://redocly.com/redoc/"': 'href:"#"'}


@functools.cache
def redoc_bundle() -> bytes:
    text = (STATIC / "redoc.standalone.js").read_text(encoding="utf-8")
    for outside, local in REDOC_OUTSIDE.items():
        text = text.replace(outside, local)
    return text.encode("utf-8")


def offline_docs_app(**kwargs) -> FastAPI:
    """A FastAPI app whose /docs and /redoc need nothing from another host."""
    parameters = dict(kwargs.pop("swagger_ui_parameters", None) or {}, validatorUrl=None)
    app = FastAPIOffline(redoc_url=None, swagger_ui_parameters=parameters, **kwargs)

    @app.get("/redoc", include_in_schema=False)
    async def redoc_html(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path") or ""
        return get_redoc_html(openapi_url=f"{root}{app.openapi_url}", title=app.title + " - ReDoc",
                              redoc_js_url=f"{root}{REDOC_JS}", with_google_fonts=False,
                              redoc_favicon_url=f"{root}/static-offline-docs/favicon.png")

    @app.get(REDOC_JS, include_in_schema=False)
    async def redoc_js() -> Response:
        return Response(redoc_bundle(), media_type="text/javascript; charset=utf-8")

    return app
