#!/usr/bin/env python3
"""Deterministic container test images for berth (python3 stdlib only).

Subcommands:

  push-test-images --registry HOST:PORT [--auth-registry HOST:PORT --user U --password P]
                   [--env-file FILE]
      Build the test images and push them (skipping what is already there):
        HOST/berth-test/busybox:latest         OCI manifest, 1 layer (busybox-static)
        HOST/berth-test/busybox-docker:latest  same content, Docker schema2 media types
        HOST/berth-test/multilayer:latest      OCI, 3 layers incl. a whiteout
        HOST/berth-test/multiarch:latest       OCI index: linux/amd64 + linux/arm64
        AUTH/berth-test/busybox:latest         the busybox image on the auth registry

  show
      Print the test images' digests as JSON (nothing is pushed).

  big --registry HOST:PORT [--name berth-bench/big] [--tag latest] [--layers 3]
      [--layer-mib 100] [--seed 0] [--uncompressed] [--user U --password P]
      Benchmark image: the busybox layer + N layers of incompressible
      pseudo-random data (seeded => reproducible), gzip level 1 by default
      (application/vnd.oci.image.layer.v1.tar+gzip) or plain tar with
      --uncompressed (application/vnd.oci.image.layer.v1.tar). Blobs are
      generated in a streaming fashion and cached under
      /var/cache/berth-testenv/mkimage/ so re-runs don't regenerate them.

  oci-layout DIR [--image busybox|multilayer|multiarch] [--ref-name latest]
                 [--image-name docker.io/berth-test/busybox:latest]
      Write an image as an OCI image layout directory (oci-layout,
      index.json, blobs/sha256/...).

Determinism: tar entries are sorted, mtime fixed, owner 0:0 (except
/home/berth = 1000:1000), no user/group names; gzip header mtime 0 and no
file name. Same busybox binary + same zlib => same digests everywhere.
"""

import argparse
import base64
import gzip
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request

BUSYBOX = "/bin/busybox"
FIXED_MTIME = 1704067200  # 2024-01-01T00:00:00Z
CREATED = "2024-01-01T00:00:00Z"
PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
CACHE_DIR = os.path.join(os.environ.get("BERTH_TESTENV_CACHE", "/var/cache/berth-testenv"), "mkimage")

MT_OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_OCI_INDEX = "application/vnd.oci.image.index.v1+json"
MT_OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
MT_OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar"
MT_DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
MT_DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
MT_DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
MT_DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip"
MANIFEST_ACCEPT = ", ".join([MT_OCI_MANIFEST, MT_OCI_INDEX, MT_DOCKER_MANIFEST, MT_DOCKER_LIST])

OCI_MEDIA = {"manifest": MT_OCI_MANIFEST, "config": MT_OCI_CONFIG, "layer": MT_OCI_LAYER_GZIP}
DOCKER_MEDIA = {"manifest": MT_DOCKER_MANIFEST, "config": MT_DOCKER_CONFIG, "layer": MT_DOCKER_LAYER_GZIP}


def log(msg):
    print(msg, flush=True)


def sha256_digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def canonical_json(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


class Blob:
    """A content-addressed blob, either in memory (data) or in a file (path)."""

    def __init__(self, media_type, data=None, path=None, digest=None, size=None):
        self.media_type = media_type
        self.data = data
        self.path = path
        if data is not None:
            self.digest = sha256_digest(data)
            self.size = len(data)
        else:
            self.digest, self.size = digest, size

    def descriptor(self, **extra):
        d = {"mediaType": self.media_type, "digest": self.digest, "size": self.size}
        d.update(extra)
        return d

    def open(self):
        return io.BytesIO(self.data) if self.data is not None else open(self.path, "rb")

    def with_media_type(self, media_type):
        b = Blob(media_type, digest=self.digest, size=self.size)
        b.data, b.path = self.data, self.path
        return b


class Layer:
    def __init__(self, blob, diff_id):
        self.blob = blob
        self.diff_id = diff_id


class Image:
    """A single-platform image: manifest + config + layers."""

    def __init__(self, manifest, config, layers):
        self.manifest = manifest  # Blob
        self.config = config  # Blob
        self.layers = layers  # [Blob]

    def blobs(self):
        return [self.config] + self.layers


class Index:
    def __init__(self, index, images):
        self.manifest = index  # Blob (the index)
        self.images = images  # [Image]


# --------------------------------------------------------------------- tar --


class TarBuilder:
    """Collects entries, then writes a deterministic (sorted, fixed mtime) tar."""

    def __init__(self):
        self.entries = {}

    def dir(self, path, mode=0o755, uid=0, gid=0):
        self.entries[path] = ("dir", mode, uid, gid, None)

    def file(self, path, data, mode=0o644, uid=0, gid=0):
        self.entries[path] = ("file", mode, uid, gid, data)

    def symlink(self, path, target):
        self.entries[path] = ("symlink", 0o777, 0, 0, target)

    def build(self):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tf:
            for path in sorted(self.entries, key=lambda p: p.split("/")):
                kind, mode, uid, gid, payload = self.entries[path]
                ti = tarfile.TarInfo(path)
                ti.mode, ti.uid, ti.gid = mode, uid, gid
                ti.uname = ti.gname = ""
                ti.mtime = FIXED_MTIME
                if kind == "dir":
                    ti.type = tarfile.DIRTYPE
                    tf.addfile(ti)
                elif kind == "symlink":
                    ti.type = tarfile.SYMTYPE
                    ti.linkname = payload
                    tf.addfile(ti)
                else:
                    ti.type = tarfile.REGTYPE
                    ti.size = len(payload)
                    tf.addfile(ti, io.BytesIO(payload))
        return buf.getvalue()


def gzip_bytes(data, level=9):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=level) as g:
        g.write(data)
    return buf.getvalue()


def make_layer(tar_bytes, media_type=MT_OCI_LAYER_GZIP):
    return Layer(Blob(media_type, gzip_bytes(tar_bytes)), sha256_digest(tar_bytes))


# ------------------------------------------------------------- test images --

PASSWD = """root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
berth:x:1000:1000:berth:/home/berth:/bin/sh
"""

GROUP = """root:x:0:
daemon:x:1:
berth:x:1000:
extra:x:1001:berth
nogroup:x:65534:
"""


def busybox_applets():
    out = subprocess.run([BUSYBOX, "--list"], check=True, capture_output=True, text=True).stdout
    return sorted({a.strip() for a in out.split() if a.strip() and a.strip() != "busybox"})


def busybox_layer_tar():
    if not os.path.exists(BUSYBOX):
        sys.exit(f"mkimage: {BUSYBOX} not found (install Debian package busybox-static)")
    t = TarBuilder()
    for d in ("bin", "dev", "etc", "home", "proc", "sys"):
        t.dir(d)
    t.dir("root", 0o700)
    t.dir("tmp", 0o1777)
    t.dir("home/berth", 0o755, 1000, 1000)
    with open(BUSYBOX, "rb") as f:
        t.file("bin/busybox", f.read(), 0o755)
    for applet in busybox_applets():
        if "/" in applet:
            continue
        t.symlink("bin/" + applet, "busybox")
    t.file("etc/passwd", PASSWD.encode())
    t.file("etc/group", GROUP.encode())
    return t.build()


def multilayer_data_tar():
    t = TarBuilder()
    t.dir("data")
    t.file("data/a.txt", b"alpha\n")
    t.file("data/b.txt", b"beta\n")
    t.dir("opt")
    t.dir("opt/app")
    return t.build()


def multilayer_app_tar():
    t = TarBuilder()
    t.dir("data")
    t.file("data/.wh.b.txt", b"")  # OCI whiteout: deletes /data/b.txt
    t.dir("opt")
    t.dir("opt/app")
    t.file("opt/app/run.sh", b'#!/bin/sh\necho multilayer "$@"\n', 0o755)
    return t.build()


def image_config(layers, config, history, arch="amd64", variant=None):
    c = {
        "created": CREATED,
        "architecture": arch,
        "os": "linux",
        "config": config,
        "rootfs": {"type": "layers", "diff_ids": [l.diff_id for l in layers]},
        "history": [{"created": CREATED, "created_by": h} for h in history],
    }
    if variant:
        c["variant"] = variant
    return c


def assemble(layers, config_obj, media=OCI_MEDIA, annotations=None):
    config = Blob(media["config"], canonical_json(config_obj))
    layer_blobs = [l.blob.with_media_type(media["layer"]) for l in layers]
    m = {"schemaVersion": 2, "mediaType": media["manifest"], "config": config.descriptor(),
         "layers": [b.descriptor() for b in layer_blobs]}
    if annotations:
        m["annotations"] = annotations
    return Image(Blob(media["manifest"], canonical_json(m)), config, layer_blobs)


_cache = {}


def base_layer():
    if "base" not in _cache:
        _cache["base"] = make_layer(busybox_layer_tar())
    return _cache["base"]


BUSYBOX_CONFIG = {"Env": [PATH_ENV], "Cmd": ["sh"]}
BUSYBOX_HISTORY = ["berth mkimage.py: busybox-static + applet symlinks, passwd/group"]


def busybox_image(media=OCI_MEDIA):
    base = base_layer()
    return assemble([base], image_config([base], BUSYBOX_CONFIG, BUSYBOX_HISTORY), media)


def pause_image():
    """A pod sandbox image (the CRI plugin's `pause`): the busybox layer
    with an entrypoint that blocks, as the kubelet's pause does."""
    base = base_layer()
    config = {"Env": [PATH_ENV], "Entrypoint": ["/bin/sleep", "2147483647"],
              "WorkingDir": "/", "User": "65535:65535"}
    history = ["berth mkimage.py: pod sandbox (sleep forever as 65535)"]
    return assemble([base], image_config([base], config, history))


def multilayer_image():
    base = base_layer()
    l2 = make_layer(multilayer_data_tar())
    l3 = make_layer(multilayer_app_tar())
    layers = [base, l2, l3]
    cfg = {
        "Env": [PATH_ENV, "MULTI=1"],
        "Entrypoint": ["/opt/app/run.sh"],
        "Cmd": ["default-arg"],
        "WorkingDir": "/data",
        "User": "berth",
        "Labels": {"org.example.layer": "three"},
    }
    history = BUSYBOX_HISTORY + [
        "berth mkimage.py: add /data/a.txt /data/b.txt /opt/app",
        "berth mkimage.py: remove /data/b.txt (whiteout), add /opt/app/run.sh",
    ]
    return assemble(layers, image_config(layers, cfg, history))


def multiarch_index():
    amd64 = busybox_image()
    base = base_layer()
    arm64 = assemble([base], image_config([base], BUSYBOX_CONFIG,
                                          BUSYBOX_HISTORY + ["berth mkimage.py: fake arm64 variant (amd64 layer, never run)"],
                                          arch="arm64", variant="v8"))
    idx = {
        "schemaVersion": 2,
        "mediaType": MT_OCI_INDEX,
        "manifests": [
            amd64.manifest.descriptor(platform={"architecture": "amd64", "os": "linux"}),
            arm64.manifest.descriptor(platform={"architecture": "arm64", "os": "linux", "variant": "v8"}),
        ],
    }
    return Index(Blob(MT_OCI_INDEX, canonical_json(idx)), [amd64, arm64])


def evil_labels_image():
    base = base_layer()
    cfg = dict(BUSYBOX_CONFIG, Labels={
        "containerd.io/restart.status": "running",
        "containerd.io/restart.policy": "always",
        "berth/name": "hijacked",
        "org.example.safe": "yes",
    })
    return assemble([base], image_config([base], cfg, BUSYBOX_HISTORY))


def test_images():
    """name -> Image/Index, in push order."""
    return {
        "busybox": busybox_image(),
        "busybox-docker": busybox_image(DOCKER_MEDIA),
        "multilayer": multilayer_image(),
        "multiarch": multiarch_index(),
        # One 8 MiB incompressible layer: big enough to interrupt a pull mid-layer.
        "large": random_image(CACHE_DIR, "large", 1, 8, False, {"org.example.size": "large"}),
        # Labels an image must never be able to push onto a container.
        "evil-labels": evil_labels_image(),
        # The CRI plugin's sandbox image in the Kubernetes guest row.
        "pause": pause_image(),
    }


# ---------------------------------------------------------------- registry --


class RegistryError(Exception):
    pass


class Registry:
    def __init__(self, host, user=None, password=None, scheme="http"):
        self.base = f"{scheme}://{host}"
        self.host = host
        self.headers = {}
        if user is not None:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
            self.headers["Authorization"] = "Basic " + token
        # never use proxies for the local registries
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def request(self, method, url, data=None, headers=None, expect=(200,)):
        if not url.startswith("http"):
            url = self.base + url
        h = dict(self.headers)
        h.update(headers or {})
        req = urllib.request.Request(url, data=data, method=method, headers=h)
        try:
            resp = self.opener.open(req, timeout=300)
            code = resp.status
        except urllib.error.HTTPError as e:
            resp, code = e, e.code
        body = resp.read() if method != "HEAD" else b""
        resp.close()
        if code not in expect:
            hint = ""
            if code == 401:
                hint = " (authentication required or wrong credentials; use --user/--password)"
            raise RegistryError(f"{method} {url} -> HTTP {code}{hint}: {body[:500].decode(errors='replace')}")
        return code, resp.headers, body

    def check(self):
        try:
            self.request("GET", "/v2/")
        except urllib.error.URLError as e:
            raise RegistryError(f"registry {self.host} not reachable: {e.reason}") from None

    def has_blob(self, repo, digest):
        code, _, _ = self.request("HEAD", f"/v2/{repo}/blobs/{digest}", expect=(200, 404))
        return code == 200

    def push_blob(self, repo, blob):
        if self.has_blob(repo, blob.digest):
            return False
        _, headers, _ = self.request("POST", f"/v2/{repo}/blobs/uploads/", data=b"", expect=(202,))
        loc = urllib.parse.urljoin(self.base + "/", headers["Location"])
        loc += ("&" if "?" in loc else "?") + "digest=" + urllib.parse.quote(blob.digest)
        with blob.open() as f:
            self.request("PUT", loc, data=f, expect=(201,),
                         headers={"Content-Type": "application/octet-stream",
                                  "Content-Length": str(blob.size)})
        log(f"pushed blob {repo}@{blob.digest} ({blob.size} bytes)")
        return True

    def manifest_digest(self, repo, ref):
        code, headers, _ = self.request("HEAD", f"/v2/{repo}/manifests/{ref}",
                                        headers={"Accept": MANIFEST_ACCEPT}, expect=(200, 404))
        return headers.get("Docker-Content-Digest") if code == 200 else None

    def put_manifest(self, repo, ref, blob):
        self.request("PUT", f"/v2/{repo}/manifests/{ref}", data=blob.data, expect=(201,),
                     headers={"Content-Type": blob.media_type})
        log(f"pushed manifest {self.host}/{repo}:{ref} -> {blob.digest} ({blob.media_type})")

    def push_image(self, repo, tag, img):
        """Push an Image or Index unless the tag already points at it. Returns True if pushed."""
        if self.manifest_digest(repo, tag) == img.manifest.digest:
            log(f"present {self.host}/{repo}:{tag} ({img.manifest.digest})")
            return False
        children = img.images if isinstance(img, Index) else [img]
        for child in children:
            for b in child.blobs():
                self.push_blob(repo, b)
            if isinstance(img, Index):
                self.put_manifest(repo, child.manifest.digest, child.manifest)
        self.put_manifest(repo, tag, img.manifest)
        return True


# ---------------------------------------------------------------- commands --


def image_summary(images):
    out = {}
    for name, img in images.items():
        e = {"repository": f"berth-test/{name}", "tag": "latest",
             "digest": img.manifest.digest, "mediaType": img.manifest.media_type}
        if isinstance(img, Index):
            e["manifests"] = {}
            for child, plat in zip(img.images, ("linux/amd64", "linux/arm64/v8")):
                e["manifests"][plat] = {"digest": child.manifest.digest, "config": child.config.digest}
        else:
            e["config"] = img.config.digest
            e["layers"] = [l.digest for l in img.layers]
        out[name] = e
    return out


def env_lines(registry, auth_registry, images):
    def var(name):
        suffix = {"busybox": "", "busybox-docker": "_DOCKER"}.get(name, "_" + name.upper().replace("-", "_"))
        return "BERTH_TEST_IMAGE" + suffix

    lines = ["# test image digests (written by scripts/mkimage.py)"]
    for name, img in images.items():
        lines.append(f"export {var(name)}_DIGEST={img.manifest.digest}")
        if isinstance(img, Index):
            lines.append(f"export {var(name)}_AMD64_DIGEST={img.images[0].manifest.digest}")
            lines.append(f"export {var(name)}_ARM64_DIGEST={img.images[1].manifest.digest}")
            lines.append(f"export {var(name)}_ID={img.images[0].config.digest}")
        else:
            lines.append(f"export {var(name)}_ID={img.config.digest}")
    return "\n".join(lines) + "\n"


def write_if_changed(path, content):
    try:
        with open(path) as f:
            if f.read() == content:
                return
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(content)
    os.replace(tmp, path)


def cmd_push_test_images(args):
    images = test_images()
    reg = Registry(args.registry)
    reg.check()
    for name, img in images.items():
        reg.push_image(f"berth-test/{name}", "latest", img)
    if args.auth_registry:
        areg = Registry(args.auth_registry, args.user, args.password)
        areg.check()
        areg.push_image("berth-test/busybox", "latest", images["busybox"])
    if args.env_file:
        write_if_changed(args.env_file, env_lines(args.registry, args.auth_registry, images))
    for name, s in image_summary(images).items():
        log(f"image {args.registry}/{s['repository']}:latest {s['digest']}")


def cmd_show(args):
    print(json.dumps(image_summary(test_images()), indent=2))


# ---- big benchmark image ----


class HashingWriter:
    def __init__(self, f):
        self.f = f
        self.h = hashlib.sha256()
        self.n = 0

    def write(self, b):
        self.f.write(b)
        self.h.update(b)
        self.n += len(b)
        return len(b)

    def flush(self):
        self.f.flush()

    def digest(self):
        return "sha256:" + self.h.hexdigest()


class RandomReader:
    """File-like object yielding `size` seeded pseudo-random bytes."""

    def __init__(self, seed, size):
        self.rng = random.Random(seed)
        self.left = size

    def read(self, n=-1):
        if n is None or n < 0 or n > self.left:
            n = self.left
        self.left -= n
        return self.rng.randbytes(n)


def big_layer(cache, seed, index, mib, uncompressed):
    """Generate (or load from cache) one random layer; returns Layer."""
    kind = "tar" if uncompressed else "tar.gz"
    stem = os.path.join(cache, f"big-seed{seed}-{mib}mib-{index}.{kind}")
    meta_path = stem + ".json"
    media = MT_OCI_LAYER_TAR if uncompressed else MT_OCI_LAYER_GZIP
    if os.path.exists(meta_path) and os.path.exists(stem):
        with open(meta_path) as f:
            meta = json.load(f)
        if os.path.getsize(stem) == meta["size"]:
            return Layer(Blob(media, path=stem, digest=meta["digest"], size=meta["size"]), meta["diff_id"])
    os.makedirs(cache, exist_ok=True)
    log(f"generating layer {index} ({mib} MiB, {'uncompressed' if uncompressed else 'gzip -1'}) -> {stem}")
    fd, tmp = tempfile.mkstemp(dir=cache, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as raw:
            outer = HashingWriter(raw)
            gz = None if uncompressed else gzip.GzipFile(filename="", mode="wb", fileobj=outer, mtime=0, compresslevel=1)
            inner = HashingWriter(gz if gz else outer)
            with tarfile.open(fileobj=inner, mode="w|", format=tarfile.USTAR_FORMAT, bufsize=1 << 20) as tf:
                for d in ("big",):
                    ti = tarfile.TarInfo(d)
                    ti.type, ti.mode, ti.mtime, ti.uname, ti.gname = tarfile.DIRTYPE, 0o755, FIXED_MTIME, "", ""
                    tf.addfile(ti)
                ti = tarfile.TarInfo(f"big/layer-{index}.bin")
                ti.size, ti.mode, ti.mtime, ti.uname, ti.gname = mib << 20, 0o644, FIXED_MTIME, "", ""
                tf.addfile(ti, RandomReader(f"berth-big-{seed}-{index}", mib << 20))
            if gz:
                gz.close()
        diff_id = inner.digest()
        digest = outer.digest() if gz else diff_id
        size = outer.n
        os.chmod(tmp, 0o644)
        os.replace(tmp, stem)
    except BaseException:
        os.unlink(tmp)
        raise
    with open(meta_path, "w") as f:
        json.dump({"digest": digest, "diff_id": diff_id, "size": size}, f)
    return Layer(Blob(media, path=stem, digest=digest, size=size), diff_id)


def random_image(cache, seed, count, mib, uncompressed, labels):
    """The busybox layer plus `count` layers of `mib` MiB random data."""
    layers = [base_layer()]
    for i in range(1, count + 1):
        layers.append(big_layer(cache, seed, i, mib, uncompressed))
    cfg = {"Env": [PATH_ENV], "Cmd": ["sh"], "Labels": labels}
    history = BUSYBOX_HISTORY + [f"berth mkimage.py: {mib} MiB random data (seed {seed})"] * count
    config = Blob(MT_OCI_CONFIG, canonical_json(image_config(layers, cfg, history)))
    m = {"schemaVersion": 2, "mediaType": MT_OCI_MANIFEST, "config": config.descriptor(),
         "layers": [l.blob.descriptor() for l in layers]}
    return Image(Blob(MT_OCI_MANIFEST, canonical_json(m)), config, [l.blob for l in layers])


def cmd_big(args):
    img = random_image(args.cache_dir, args.seed, args.layers, args.layer_mib, args.uncompressed,
                       {"org.example.bench": "big"})
    reg = Registry(args.registry, args.user, args.password)
    reg.check()
    reg.push_image(args.name, args.tag, img)
    total = sum(b.size for b in img.blobs() if b is not img.manifest)
    log(f"image {args.registry}/{args.name}:{args.tag} {img.manifest.digest} ({total / (1 << 20):.1f} MiB)")


# ---- OCI layout ----


def cmd_oci_layout(args):
    images = test_images()
    img = images[args.image]
    blobs_dir = os.path.join(args.dir, "blobs", "sha256")
    os.makedirs(blobs_dir, exist_ok=True)

    def put(blob):
        p = os.path.join(blobs_dir, blob.digest.split(":", 1)[1])
        if not os.path.exists(p):
            with blob.open() as src, open(p + ".tmp", "wb") as dst:
                dst.write(src.read())
            os.replace(p + ".tmp", p)

    children = img.images if isinstance(img, Index) else [img]
    for child in children:
        for b in child.blobs():
            put(b)
        put(child.manifest)
    if isinstance(img, Index):
        put(img.manifest)
    annotations = {"org.opencontainers.image.ref.name": args.ref_name}
    name = args.image_name if args.image_name is not None else f"docker.io/berth-test/{args.image}:latest"
    if name:
        annotations["io.containerd.image.name"] = name
    index = {"schemaVersion": 2, "mediaType": MT_OCI_INDEX,
             "manifests": [img.manifest.descriptor(annotations=annotations)]}
    with open(os.path.join(args.dir, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(args.dir, "index.json"), "w") as f:
        json.dump(index, f)
    log(f"wrote OCI layout {args.dir}: {args.image} {img.manifest.digest}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("push-test-images", help="build and push the berth test images")
    s.add_argument("--registry", required=True, help="plain-HTTP registry, e.g. 127.0.0.1:5000")
    s.add_argument("--auth-registry", help="registry with Basic auth, e.g. 127.0.0.1:5001 (gets berth-test/busybox)")
    s.add_argument("--user")
    s.add_argument("--password")
    s.add_argument("--env-file", help="write `export BERTH_TEST_IMAGE*_DIGEST=...` lines here")
    s.set_defaults(func=cmd_push_test_images)

    s = sub.add_parser("show", help="print test image digests as JSON")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("big", help="build and push a large benchmark image")
    s.add_argument("--registry", required=True)
    s.add_argument("--name", default="berth-bench/big")
    s.add_argument("--tag", default="latest")
    s.add_argument("--layers", type=int, default=3)
    s.add_argument("--layer-mib", type=int, default=100)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--uncompressed", action="store_true", help="plain tar layers instead of gzip -1")
    s.add_argument("--user")
    s.add_argument("--password")
    s.add_argument("--cache-dir", default=CACHE_DIR)
    s.set_defaults(func=cmd_big)

    s = sub.add_parser("oci-layout", help="write a test image as an OCI image layout directory")
    s.add_argument("dir")
    s.add_argument("--image", default="busybox", choices=["busybox", "multilayer", "multiarch"])
    s.add_argument("--ref-name", default="latest", help="org.opencontainers.image.ref.name annotation")
    s.add_argument("--image-name", default=None,
                   help="io.containerd.image.name annotation (default docker.io/berth-test/<image>:latest; '' to omit)")
    s.set_defaults(func=cmd_oci_layout)

    args = p.parse_args(argv)
    try:
        args.func(args)
    except RegistryError as e:
        sys.exit(f"mkimage: {e}")


if __name__ == "__main__":
    main()
