#!/usr/bin/env python3
"""The pull benchmark's image: layers made from this machine's own
directories (compressible like real images), gzip level 6.

    bench/usr_image.py --registry 127.0.0.1:5000 [--name berth-bench/usr]
                       [--dir /usr/share --dir /usr/bin --dir /usr/local/go]

One layer per directory, built with GNU tar (sorted, fixed mtimes and
owners, so a rebuild of unchanged directories gives the same digests) and
cached next to mkimage.py's layers; the image is pushed when the registry
lacks it. Prints the image reference and its layer digests as JSON.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import mkimage as mk  # noqa: E402

DEFAULT_DIRS = ["/usr/share", "/usr/bin", "/usr/local/go"]


def file_digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


def dir_layer(cache, directory):
    """A gzip-6 layer holding `directory` (cached by path); returns mk.Layer."""
    stem = os.path.join(cache, "usr-layer" + directory.replace("/", "_") + ".tar.gz")
    meta_path = stem + ".json"
    if os.path.exists(meta_path) and os.path.exists(stem):
        with open(meta_path) as f:
            meta = json.load(f)
        if os.path.getsize(stem) == meta["size"]:
            blob = mk.Blob(mk.MT_OCI_LAYER_GZIP, path=stem, digest=meta["digest"], size=meta["size"])
            return mk.Layer(blob, meta["diff_id"])
    os.makedirs(cache, exist_ok=True)
    tar_path = stem[: -len(".gz")] + ".tmp"
    mk.log(f"building a layer from {directory} -> {stem}")
    rel = directory.lstrip("/")
    subprocess.run(["tar", "--sort=name", f"--mtime=@{mk.FIXED_MTIME}", "--owner=0", "--group=0",
                    "--numeric-owner", "-cf", tar_path, "-C", "/", rel], check=True)
    diff_id = file_digest(tar_path)
    with open(tar_path, "rb") as src, open(stem + ".tmp", "wb") as dst:
        subprocess.run(["gzip", "-6", "-n", "-c"], stdin=src, stdout=dst, check=True)
    os.unlink(tar_path)
    os.replace(stem + ".tmp", stem)
    meta = {"digest": file_digest(stem), "diff_id": diff_id, "size": os.path.getsize(stem)}
    with open(meta_path, "w") as f:
        json.dump(meta, f)
    blob = mk.Blob(mk.MT_OCI_LAYER_GZIP, path=stem, digest=meta["digest"], size=meta["size"])
    return mk.Layer(blob, diff_id)


def usr_image(cache, dirs):
    layers = [dir_layer(cache, d) for d in dirs]
    cfg = {"Env": [mk.PATH_ENV], "Cmd": ["/usr/bin/true"], "Labels": {"org.example.bench": "usr"}}
    history = [f"berth bench/usr_image.py: {d}" for d in dirs]
    config = mk.Blob(mk.MT_OCI_CONFIG, mk.canonical_json(mk.image_config(layers, cfg, history)))
    m = {"schemaVersion": 2, "mediaType": mk.MT_OCI_MANIFEST, "config": config.descriptor(),
         "layers": [l.blob.descriptor() for l in layers]}
    return mk.Image(mk.Blob(mk.MT_OCI_MANIFEST, mk.canonical_json(m)), config, [l.blob for l in layers])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--registry", required=True)
    ap.add_argument("--name", default="berth-bench/usr")
    ap.add_argument("--tag", default="latest")
    ap.add_argument("--dir", action="append", dest="dirs")
    ap.add_argument("--cache-dir", default=mk.CACHE_DIR)
    args = ap.parse_args()
    dirs = [d for d in (args.dirs or DEFAULT_DIRS) if os.path.isdir(d)]
    img = usr_image(args.cache_dir, dirs)
    reg = mk.Registry(args.registry)
    reg.check()
    reg.push_image(args.name, args.tag, img)
    packed = sum(b.size for b in img.layers)
    mk.log(f"image {args.registry}/{args.name}:{args.tag} {img.manifest.digest} "
           f"({len(img.layers)} layers, {packed / (1 << 20):.0f} MiB gzip)")
    print(json.dumps({"image": f"{args.registry}/{args.name}:{args.tag}",
                      "layers": [b.digest for b in img.layers], "packed": packed}))


if __name__ == "__main__":
    main()
