"""Sabak as an installable web app: the manifest, the service worker and the offline page.

The service worker (`service_worker.js` beside this module) is served from the site's root, so
its scope is the whole site, and it is versioned by a hash of its own text and of every file it
keeps for offline use: a changed stylesheet is a new worker, which fetches the new files and
drops the old ones. Pages always come from the network when there is one; without it the daily
review's last copy is shown, and any other page is the offline page in the reader's language.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Response, current_app, g, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.core.htmx import vary_on
from app.core.views import bp

SOURCE = Path(__file__).with_name("service_worker.js")
THEME_COLOUR = "#c8102e"  # the red of the favicon
# What the worker keeps at install for offline use, besides the offline pages.
STATIC_FILES = (
    "vendor/pico/pico.min.css",
    "css/sabak.css",
    "css/quizzes.css",
    "js/nav.js",
    "vendor/htmx/htmx.min.js",
    "js/kyrgyz-input.js",
    "js/sabak.js",
    "js/confirm.js",
    "js/quizzes.js",
    "js/pwa.js",
    "js/offline-store.js",
    "js/offline-review.js",
    "img/favicon.svg",
    "img/icons/icon-192.png",
)
ICONS = (
    ("img/icons/icon-192.png", "192x192", "any"),
    ("img/icons/icon-512.png", "512x512", "any"),
    ("img/icons/icon-maskable-512.png", "512x512", "maskable"),
)


def _worker_text() -> str:
    """The worker's script: its settings, then its code; both are part of its version."""
    static = Path(current_app.static_folder or "static")
    digest = hashlib.sha256(SOURCE.read_bytes())
    for name in STATIC_FILES:
        path = static / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    settings = {
        "precache": [url_for("static", filename=name) for name in STATIC_FILES],
        "offlinePages": {
            language: url_for("core.offline_page", lang=language)
            for language in current_app.config["LANGUAGES"]
        },
        "defaultLanguage": current_app.config["BABEL_DEFAULT_LOCALE"],
        "reviewPage": url_for("quizzes.review"),
        "audioPrefixes": [
            url_for("core.speech"),
            url_for("lessons.item_audio", item_id=0).rsplit("/", 1)[0] + "/",
        ],
        "storeScript": url_for("static", filename="js/offline-store.js"),
        "packUrl": url_for("quizzes.offline_pack"),
        "syncUrl": url_for("quizzes.offline_sync"),
    }
    body = json.dumps(settings, sort_keys=True)
    digest.update(body.encode())
    version = digest.hexdigest()[:16]
    return (
        f'"use strict";\nconst VERSION = "{version}";\nconst SETTINGS = {body};\n'
        + SOURCE.read_text(encoding="utf-8")
    )


@bp.get("/sw.js")
def service_worker() -> ResponseReturnValue:
    """The service worker, at the root so that it may serve every page of the site."""
    text = _worker_text()
    response = Response(text, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    # The browser asks again at each visit; an unchanged worker is a 304.
    response.headers["Cache-Control"] = "no-cache"
    response.set_etag(hashlib.sha256(text.encode()).hexdigest()[:32])
    return response.make_conditional(request)


@bp.get("/manifest.webmanifest")
def manifest() -> ResponseReturnValue:
    """What a phone needs to install Sabak: its names, icons, colours and first page."""
    data = {
        "name": "Sabak — Сабак",
        "short_name": "Sabak",
        "description": _(
            "Sabak — Kyrgyz-language courses and contest of the Embassy of the Kyrgyz "
            "Republic in Japan"
        ),
        "lang": request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "ja",
        "id": "/",
        "start_url": url_for("core.index"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {
                "src": url_for("static", filename=src),
                "sizes": sizes,
                "type": "image/png",
                "purpose": purpose,
            }
            for src, sizes, purpose in ICONS
        ],
        "shortcuts": [
            {
                "name": _("Daily review"),
                "url": url_for("quizzes.review"),
                "icons": [
                    {
                        "src": url_for("static", filename="img/icons/icon-192.png"),
                        "sizes": "192x192",
                    }
                ],
            }
        ],
    }
    response = jsonify(data)
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    vary_on(response, "Accept-Language")
    return response


@bp.get("/offline.html")
def offline_page() -> ResponseReturnValue:
    """What the service worker shows for a page that needs the network when there is none."""
    language = request.args.get("lang", "")
    if language in current_app.config["LANGUAGES"]:
        g.forced_locale = language
    response = Response(render_template("core/offline.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response
