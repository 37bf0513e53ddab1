"""The application shell: config, health, security headers, errors, language selection."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from app.config import from_environment, normalize_database_url
from app.core.urls import safe_next

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_production_refuses_to_start_without_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("SABAK_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_secret_is_read_from_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("SABAK_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "secret_key").write_text("from-the-instance-folder\n")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-instance-folder"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///" + str(tmp_path))


def test_environment_overrides_defaults_and_test_config_overrides_environment(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("SABAK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "env-secret")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/sabak")
    monkeypatch.setenv("SABAK_MAIL_BACKEND", "smtp")
    monkeypatch.setenv("SABAK_SMTP_PORT", "2525")
    monkeypatch.setenv("SABAK_SMTP_STARTTLS", "true")
    monkeypatch.setenv("SABAK_REDIS_URL", "redis://127.0.0.1:6379/3")
    app = create_app({"SMTP_PORT": 587})
    assert app.config["SECRET_KEY"] == "env-secret"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/sabak"
    assert app.config["MAIL_BACKEND"] == "smtp"
    assert app.config["SMTP_STARTTLS"] is True
    assert app.config["SMTP_PORT"] == 587
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    assert app.config["MAIL_DELIVER_INLINE"] is False


def test_from_environment_ignores_unrelated_variables():
    assert from_environment({"HOME": "/root", "SABAK_SITE_URL": "https://x"}) == {
        "SITE_URL": "https://x"
    }
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_lax(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": user.password})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_templates_have_no_inline_scripts_or_styles():
    """The CSP forbids them, so a template using them would silently break in the browser."""
    for path in (ROOT / "templates").rglob("*.html"):
        source = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), path
        assert not re.search(r"\sstyle=", source), path
        assert not re.search(r"\son[a-z]+=", source), path
        assert "<style" not in source, path


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/auth/profile", "/auth/profile"),
        ("/lessons/?page=2", "/lessons/?page=2"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        (None, "/"),
        ("relative/path", "/"),
        ("/ok\r\nSet-Cookie: x", "/"),
    ],
)
def test_safe_next(target, expected):
    assert safe_next(target, "/") == expected


@pytest.mark.parametrize(
    ("language", "title"),
    [("ja", "ページが見つかりません"), ("en", "Page not found")],
)
def test_404_page_in_both_languages(client, language, title):
    response = client.get("/no-such-page", headers={"Accept-Language": language})
    assert response.status_code == 404
    assert title in response.get_data(as_text=True)


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():  # pragma: no cover - the body is the point
        raise RuntimeError("internal detail 42")

    return app


def test_500_page_does_not_leak_the_error(failing_app):
    response = failing_app.test_client().get("/boom", headers={"Accept-Language": "ja"})
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "問題が発生しました" in body
    assert "internal detail 42" not in body and "Traceback" not in body


def test_405_page(client):
    response = client.post("/healthz", headers={"Accept-Language": "en"})
    assert response.status_code == 405
    assert "Method not allowed" in response.get_data(as_text=True)


@pytest.mark.parametrize("settings", [{"WTF_CSRF_ENABLED": True}])
@pytest.mark.parametrize(
    ("language", "text"),
    [("ja", "セッションの有効期限が切れました"), ("en", "Your session has expired")],
)
def test_csrf_failure_page(client, make_user, language, text):
    user = make_user()
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": user.password},
        headers={"Accept-Language": language},
    )
    assert response.status_code == 400
    assert text in response.get_data(as_text=True)


POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
CSRF_FIELD = re.compile(r'name="(?:[\w-]+-)?csrf_token"')
LINK = re.compile(r'href="(/[^"#]*)"')
NOT_PAGES = re.compile(r"^/(static|auth/logout)|\.(pdf|csv|xlsx|mp3|webm|ogg|png|svg)(\?|$)|/audio")


def _crawl_forms(client, start: str, limit: int) -> tuple[int, list[str]]:
    """Follow the site's links from `start`; returns the pages seen and each POST form without a
    CSRF token (as page: form start)."""
    seen: set[str] = set()
    queue = [start]
    missing: list[str] = []
    forms = 0
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or NOT_PAGES.search(url):
            continue
        seen.add(url)
        response = client.get(url)
        html = response.get_data(as_text=True) if "text/html" in response.content_type else ""
        response.close()
        if response.status_code != 200:
            continue
        for form in POST_FORM.finditer(html):
            forms += 1
            if not CSRF_FIELD.search(form.group(1)):  # a prefixed form has "<prefix>-csrf_token"
                missing.append(f"{url}: {form.group(0)[:120]}")
        queue.extend(link.replace("&amp;", "&") for link in LINK.findall(html))
    return forms, missing


@pytest.mark.parametrize("settings", [{"WTF_CSRF_ENABLED": True}])
def test_every_form_carries_a_csrf_token(app, client):
    """Every POST form on every page the demo accounts reach by following links (public pages,
    then as each role) carries the token, so none is refused as forged when CSRF is on."""
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    forms, missing = _crawl_forms(client, "/", limit=60)
    for role in ["student", "teacher", "organizer", "judge", "admin"]:
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        response = client.post(
            "/auth/login",
            data={"email": f"{role}@example.com", "password": "sabak-demo", "csrf_token": token},
        )
        assert response.status_code == 302, role
        counted, lacking = _crawl_forms(client, "/", limit=80)
        forms += counted
        missing += lacking
        home = client.get("/").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', home).group(1)
        assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert forms >= 40, forms  # the crawl really reached the forms
    assert missing == []
