"""Slow clients: nginx with deploy/nginx/proxy.conf keeps them off the two sync workers.

Four sockets that send their headers a line at a time hold both of gunicorn's sync
workers, and the site stops answering; through nginx configured as committed, the site
still answers at once. nginx and gunicorn run here on loopback ports; every loop is
bounded in time.
"""

import http.client
import os
import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.urls import reverse

from ..conftest import require
from ..servers import ROOT, free_port, gunicorn_command, migrated_sqlite_site, running

DEPLOY = ROOT / "deploy" / "nginx"
SLOW_SOCKETS = 4
SLOW_SECONDS = 8


def nginx_config(tmp: Path, nginx_port: int, upstream: str) -> Path:
    """An nginx.conf around the committed proxy.conf, as the site file puts it, in front of
    gunicorn at `upstream` (its Unix socket, `unix:PATH`, as in production)."""
    (tmp / "snippets").mkdir()
    shutil.copy(DEPLOY / "proxy.conf", tmp / "snippets" / "ofsted-tracker-proxy.conf")
    shutil.copy(
        DEPLOY / "proxy-headers.conf", tmp / "snippets" / "ofsted-tracker-proxy-headers.conf"
    )
    site = (DEPLOY / "ofsted-tracker.conf").read_text()
    zone = next(line for line in site.splitlines() if line.startswith("limit_req_zone"))
    user = "user root;" if os.geteuid() == 0 else ""
    config = tmp / "nginx.conf"
    config.write_text(
        f"""
        {user}
        worker_processes 1;
        daemon off;
        pid {tmp}/nginx.pid;
        error_log {tmp}/nginx-error.log warn;
        events {{ worker_connections 256; }}
        http {{
            access_log off;
            client_body_temp_path {tmp}/body;
            proxy_temp_path {tmp}/proxy;
            fastcgi_temp_path {tmp}/fastcgi;
            uwsgi_temp_path {tmp}/uwsgi;
            scgi_temp_path {tmp}/scgi;
            {zone}
            upstream ofsted_tracker {{ server {upstream}; }}
            server {{
                listen 127.0.0.1:{nginx_port};
                include snippets/ofsted-tracker-proxy.conf;
            }}
        }}
        """
    )
    return config


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """(gunicorn's port, nginx's port): the production gunicorn, and nginx in front of it
    on gunicorn's Unix socket; the port is for clients that go round the proxy."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    require(bool(nginx), "nginx is not installed (apt-get install nginx)")
    tmp = tmp_path_factory.mktemp("proxy")
    env = migrated_sqlite_site(tmp)
    gunicorn_port, nginx_port = free_port(), free_port()
    socket_path = tmp / "gunicorn.sock"
    gunicorn = gunicorn_command(gunicorn_port, workers=2) + ["--bind", f"unix:{socket_path}"]
    config = nginx_config(tmp, nginx_port, f"unix:{socket_path}")
    with (
        running(gunicorn, gunicorn_port, tmp / "gunicorn.log", env),
        running([nginx, "-p", str(tmp), "-c", str(config)], nginx_port, tmp / "nginx.log"),
    ):
        yield gunicorn_port, nginx_port


def get(port: int, path: str, timeout: float, method="GET", body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@contextmanager
def slow_clients(port: int):
    """SLOW_SOCKETS connections sending a request's headers one line a second."""
    stop = threading.Event()

    def dribble():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                deadline = time.monotonic() + SLOW_SECONDS
                while not stop.is_set() and time.monotonic() < deadline:
                    sock.sendall(b"X-Slow: 1\r\n")
                    stop.wait(1)
        except OSError:
            pass  # the server gave up on us: that is allowed

    threads = [threading.Thread(target=dribble, daemon=True) for _ in range(SLOW_SOCKETS)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)  # every slow socket connected and started
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=SLOW_SECONDS + 5)


def answers_within(port: int, seconds: float) -> bool:
    try:
        status, _, _ = get(port, "/healthz", timeout=seconds)
    except TimeoutError:
        return False
    return status == 200


def test_slow_clients_stall_gunicorn_alone_but_not_gunicorn_behind_nginx(servers):
    gunicorn_port, nginx_port = servers
    assert answers_within(gunicorn_port, 5) and answers_within(nginx_port, 5)
    with slow_clients(nginx_port):
        assert answers_within(nginx_port, 2)  # the proxy waits on them, not the workers
    with slow_clients(gunicorn_port):
        assert not answers_within(gunicorn_port, 3)  # both workers held: the threat itself


def test_the_health_check_says_whether_it_came_through_the_proxy(servers):
    gunicorn_port, nginx_port = servers
    _, _, body = get(nginx_port, "/healthz", timeout=10)
    assert b'"via_proxy": true' in body
    _, _, body = get(gunicorn_port, "/healthz", timeout=10)
    assert b'"via_proxy": false' in body


def test_the_proxy_refuses_a_large_body_and_passes_the_request_id(servers):
    _, nginx_port = servers
    status, _, _ = get(nginx_port, "/admin/login/", 10, "POST", b"x" * (2 * 1024 * 1024))
    assert status == 413
    status, headers, _ = get(nginx_port, "/healthz", timeout=10)
    assert status == 200 and len(headers["X-Request-ID"]) == 32  # nginx's $request_id


@pytest.mark.django_db
def test_a_forwarded_address_counts_only_from_a_trusted_proxy(client):
    # On gunicorn's Unix socket a request has no peer address.
    on_socket = {"REMOTE_ADDR": "", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    via = client.get(reverse("healthz"), **on_socket).json()
    assert via["via_proxy"] is True
    spoofed = client.get(
        reverse("healthz"), REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    ).json()
    assert spoofed["via_proxy"] is False


def test_the_whole_site_file_is_accepted_by_nginx(tmp_path):
    """ofsted-tracker.conf as committed, with a throw-away certificate in place of the real."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    require(bool(nginx), "nginx is not installed (apt-get install nginx)")
    require(bool(shutil.which("openssl")), "openssl is not installed")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=ofsted.example.gov.uk"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    (tmp_path / "snippets").mkdir()
    shutil.copy(DEPLOY / "proxy.conf", tmp_path / "snippets" / "ofsted-tracker-proxy.conf")
    shutil.copy(
        DEPLOY / "proxy-headers.conf", tmp_path / "snippets" / "ofsted-tracker-proxy-headers.conf"
    )
    site = (DEPLOY / "ofsted-tracker.conf").read_text()
    site = site.replace("/etc/ssl/certs/ofsted.example.gov.uk.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/ssl/private/ofsted.example.gov.uk.key", str(tmp_path / "key.pem"))
    (tmp_path / "site.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; {temp} include site.conf; }}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
