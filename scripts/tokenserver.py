#!/usr/bin/env python3
"""A token issuer for the test registry that uses `auth: token` (Docker
Hub's flow, offline): GET /token?service=S&scope=repository:NAME:ACTIONS...
with Basic credentials returns an RS256 JWT granting the asked actions;
anonymous requests get a token granting nothing; wrong credentials get 401.
The registry trusts the certificate this script signs with
(rootcertbundle); the certificate rides in the token's x5c header.

    tokenserver.py --listen 127.0.0.1:5003 --dir STATE --user U --password P

STATE holds key.pem and cert.pem (made on first start).
"""

import argparse
import base64
import datetime
import http.server
import json
import os
import secrets
import time
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

ISSUER = "berth-testenv"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def key_and_cert(state):
    key_path, cert_path = os.path.join(state, "key.pem"), os.path.join(state, "cert.pem")
    if os.path.exists(key_path) and os.path.exists(cert_path):
        key = serialization.load_pem_private_key(open(key_path, "rb").read(), None)
        cert = x509.load_pem_x509_certificate(open(cert_path, "rb").read())
        return key, cert
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "berth-testenv token issuer")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    os.makedirs(state, exist_ok=True)
    with open(key_path + ".tmp", "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    os.chmod(key_path + ".tmp", 0o600)
    os.rename(key_path + ".tmp", key_path)
    with open(cert_path + ".tmp", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    os.rename(cert_path + ".tmp", cert_path)
    return key, cert


def parse_scopes(values):
    """'repository:a/b:pull,push' (several per value, space-separated)."""
    access = []
    for value in values:
        for scope in value.split():
            kind, _, rest = scope.partition(":")
            name, _, actions = rest.rpartition(":")
            if kind and name:
                access.append({"type": kind, "name": name, "actions": [a for a in actions.split(",") if a]})
    return access


def make_handler(key, cert, user, password):
    der = cert.public_bytes(serialization.Encoding.DER)

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):
            print("token: " + fmt % args, flush=True)

        def reply(self, code, body, extra=None):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            if url.path != "/token":
                return self.reply(404, {"error": "not found"})
            query = urllib.parse.parse_qs(url.query)
            subject = ""
            auth = self.headers.get("Authorization", "")
            if auth:
                try:
                    kind, _, blob = auth.partition(" ")
                    u, _, p = base64.b64decode(blob).decode().partition(":")
                except Exception:
                    kind, u, p = "", "", ""
                if kind.lower() != "basic" or u != user or p != password:
                    return self.reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad credentials"}]},
                                      {"WWW-Authenticate": 'Basic realm="berth-testenv-token"'})
                subject = u
            access = parse_scopes(query.get("scope", [])) if subject else []
            now = int(time.time())
            header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
            claims = {"iss": ISSUER, "sub": subject, "aud": query.get("service", [""])[0],
                      "exp": now + 300, "nbf": now - 10, "iat": now, "jti": secrets.token_hex(8),
                      "access": access}
            signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())).encode()
            signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
            token = signing_input.decode() + "." + b64url(signature)
            self.reply(200, {"token": token, "access_token": token, "expires_in": 300,
                             "issued_at": datetime.datetime.now(datetime.timezone.utc).isoformat()})

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--init-only", action="store_true", help="make key and certificate, then exit")
    args = ap.parse_args()
    key, cert = key_and_cert(args.dir)
    if args.init_only:
        return
    host, _, port = args.listen.rpartition(":")
    server = http.server.ThreadingHTTPServer((host, int(port)), make_handler(key, cert, args.user, args.password))
    server.serve_forever()


if __name__ == "__main__":
    main()
