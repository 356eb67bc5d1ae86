#!/usr/bin/env python3
"""Makes a test CA and a server certificate for 127.0.0.1/localhost signed
by it (for the TLS test registries): DIR/ca.pem, DIR/server.pem,
DIR/server-key.pem; and a client certificate the mutual-TLS registry
accepts: DIR/client.cert, DIR/client.key. Does nothing when they exist.

    mkcert.py DIR
"""

import datetime
import ipaddress
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def write(path, data, mode=0o644):
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.chmod(path + ".tmp", mode)
    os.rename(path + ".tmp", path)


def main():
    out = sys.argv[1]
    names = ("ca.pem", "server.pem", "server-key.pem", "client.cert", "client.key", "ca-key.pem")
    paths = [os.path.join(out, n) for n in names]
    if all(os.path.exists(p) for p in paths):
        return
    os.makedirs(out, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "berth-testenv CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                       x509.DNSName("localhost")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(san, critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    client_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "berth-testenv client")]))
              .issuer_name(ca_name)
              .public_key(client_key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - datetime.timedelta(days=1))
              .not_valid_after(now + datetime.timedelta(days=3650))
              .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
              .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
              .sign(ca_key, hashes.SHA256()))
    pkcs8 = (serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    write(paths[3], client.public_bytes(serialization.Encoding.PEM))
    write(paths[4], client_key.private_bytes(*pkcs8), 0o600)
    write(paths[5], ca_key.private_bytes(*pkcs8), 0o600)
    write(paths[0], ca.public_bytes(serialization.Encoding.PEM))
    write(paths[1], cert.public_bytes(serialization.Encoding.PEM))
    write(paths[2], key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()), 0o600)


if __name__ == "__main__":
    main()
