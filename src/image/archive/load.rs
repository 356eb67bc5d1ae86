//! Loading an image archive into containerd, streaming: each blob goes from the tar straight
//! into the content store, under a lease, so a broken or malicious archive
//! leaves nothing behind and nothing is written to disk by berth.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncReadExt};

use super::{invalid, legacy, tar};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::image::content::{self, Ingest};
use crate::image::manifest::{self, Descriptor, ImageConfig, Index, Manifest, Platform};
use crate::image::reference::ImageRef;
use crate::image::{platform, store, unpack};
use crate::lease::Lease;

const CHUNK: usize = 1 << 20;
const NAME_ANNOTATION: &str = "io.containerd.image.name";
const REF_NAME_ANNOTATION: &str = "org.opencontainers.image.ref.name";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedImage {
    /// containerd's image name (a digest when the archive names nothing).
    pub name: String,
    /// What the name points at (index or manifest).
    pub digest: String,
    /// The image id (config digest) for this machine's platform, if present.
    pub id: Option<String>,
}

/// What to make of a loaded archive.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Names for images the archive does not name.
    pub names: Vec<String>,
    /// Unpack (and require) this platform instead of the host's.
    pub platform: Option<Platform>,
}

#[derive(Deserialize)]
struct DockerManifestEntry {
    #[serde(rename = "RepoTags", default)]
    repo_tags: Option<Vec<String>>,
}

/// Reads the archive and creates its images. Every image is unpacked for
/// this machine (or the platform asked for, which each image must have).
pub async fn load<R: AsyncRead + Unpin>(
    client: &Client,
    reader: R,
    opts: &LoadOptions,
) -> Result<Vec<LoadedImage>> {
    let lease = Lease::create(client, "load").await?;
    let result = load_leased(client, lease.client(), reader, opts).await;
    let released = lease.release().await;
    let loaded = result?;
    released?;
    Ok(loaded)
}

/// Loads from a blocking source (a file, stdin), gunzipped when it starts
/// with gzip's magic bytes. Read on a blocking thread, streamed through.
pub async fn load_from<R: std::io::Read + Send + 'static>(
    client: &Client,
    input: R,
    opts: &LoadOptions,
) -> Result<Vec<LoadedImage>> {
    use std::io::{BufRead, Read};
    use tokio::io::AsyncWriteExt;
    let (mut writer, reader) = tokio::io::duplex(1 << 20);
    let handle = tokio::runtime::Handle::current();
    let pump = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        let mut input = std::io::BufReader::with_capacity(1 << 20, input);
        let gzipped = input.fill_buf()?.starts_with(&[0x1f, 0x8b]);
        let mut source: Box<dyn Read> = if gzipped {
            Box::new(flate2::read::GzDecoder::new(input))
        } else {
            Box::new(input)
        };
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = source.read(&mut buf)?;
            if n == 0 {
                break;
            }
            handle.block_on(writer.write_all(&buf[..n]))?;
        }
        handle.block_on(writer.shutdown())
    });
    let loaded = load(client, reader, opts).await;
    let pumped = pump
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e.to_string())));
    match (loaded, pumped) {
        // The reader gave up first: its error is the one that matters.
        (Err(e), Err(p)) if p.kind() == std::io::ErrorKind::BrokenPipe => Err(e),
        (_, Err(p)) => Err(invalid(format!("reading the input: {p}"))),
        (loaded, Ok(())) => loaded,
    }
}

async fn load_leased<R: AsyncRead + Unpin>(
    client: &Client,
    leased: &Client,
    reader: R,
    opts: &LoadOptions,
) -> Result<Vec<LoadedImage>> {
    let scanned = scan(leased, reader).await?;
    let (entries, repo_tags) = images_of(leased, scanned).await?;
    let want = opts.platform.clone().unwrap_or_else(platform::host);
    let mut loaded = Vec::new();
    for (i, desc) in entries.iter().enumerate() {
        label_tree(leased, desc).await?;
        let mut image_names = names_of(desc, repo_tags.get(i));
        if image_names.is_empty() {
            image_names = if opts.names.is_empty() {
                vec![desc.digest.clone()]
            } else {
                opts.names.clone()
            };
        }
        let target = Descriptor {
            annotations: None,
            ..desc.clone()
        };
        if opts.platform.is_some() {
            has_platform(leased, &target, &want).await?;
        }
        for name in image_names {
            store::put_record(client, &name, &target).await?;
            let id = match store::find(client, &name, &want).await {
                Ok(Some(image)) => {
                    unpack::unpack_image(client, &image).await?;
                    Some(image.id().to_string())
                }
                _ => None,
            };
            loaded.push(LoadedImage {
                name,
                digest: desc.digest.clone(),
                id,
            });
        }
    }
    Ok(loaded)
}

/// What one pass over the archive found; its blobs are in the store.
struct Scanned {
    index_json: Option<String>,
    docker_manifest: Option<String>,
    files: legacy::Files,
}

async fn scan<R: AsyncRead + Unpin>(leased: &Client, reader: R) -> Result<Scanned> {
    let mut tar = tar::Reader::new(reader).map_err(io_err)?;
    let mut found = Scanned {
        index_json: None,
        docker_manifest: None,
        files: legacy::Files::default(),
    };
    while let Some((h, mut body)) = tar.next().await.map_err(|e| invalid(e.to_string()))? {
        let path = checked_entry_path(&h)?;
        if let Some(target) = link_target(&h, &path) {
            found.files.add_link(path, target);
            continue;
        }
        match path.as_str() {
            "index.json" => {
                found.index_json = Some(tar::read_small(&mut body, h.size).await.map_err(io_err)?)
            }
            "manifest.json" => {
                found.docker_manifest =
                    Some(tar::read_small(&mut body, h.size).await.map_err(io_err)?)
            }
            _ => {
                let digest = blob_digest(&path);
                if digest.is_some() && !h.is_file() {
                    return Err(invalid(format!("{path} is not a regular file")));
                }
                if h.is_file() && (digest.is_some() || legacy::is_candidate(&path)) {
                    let stored = write_blob(leased, &mut body, digest.as_deref(), h.size).await?;
                    found.files.add(path, stored);
                }
            }
        }
    }
    Ok(found)
}

/// The images of the archive (index entries, or manifests written for the
/// legacy layout) with docker's RepoTags for each.
async fn images_of(
    leased: &Client,
    scanned: Scanned,
) -> Result<(Vec<Descriptor>, Vec<Vec<String>>)> {
    match (scanned.index_json, scanned.docker_manifest) {
        (Some(index_json), docker_manifest) => {
            let index: Index = manifest::parse("index.json", "index.json", index_json.as_bytes())?;
            if index.manifests.is_empty() {
                return Err(invalid("index.json lists no images"));
            }
            Ok((index.manifests, repo_tags_of(docker_manifest.as_deref())?))
        }
        (None, Some(docker_manifest)) => {
            let images = legacy::images(leased, &scanned.files, &docker_manifest).await?;
            Ok(images
                .into_iter()
                .map(|i| (i.manifest, i.repo_tags))
                .unzip())
        }
        (None, None) => Err(invalid(
            "neither index.json nor manifest.json: not an image archive",
        )),
    }
}

/// `load --platform`: the image must have that platform, whole.
async fn has_platform(client: &Client, target: &Descriptor, want: &Platform) -> Result<()> {
    let (_, m) = store::platform_manifest(client, target, want).await?;
    let data = content::read_blob(client, &m.config.digest).await?;
    let config: ImageConfig = manifest::parse("config", &m.config.digest, &data)?;
    let got = Platform {
        os: config.os,
        architecture: config.architecture,
        variant: config.variant,
        os_version: None,
    };
    if !platform::matches(want, &got) {
        return Err(store::no_platform_match(want));
    }
    Ok(())
}

fn io_err(e: std::io::Error) -> Error {
    invalid(e.to_string())
}

/// Entry names must stay inside the archive's root: no absolute paths, no
/// `..`, no links that leave it.
fn checked_entry_path(h: &tar::Header) -> Result<String> {
    let path = h
        .path
        .trim_start_matches("./")
        .trim_end_matches('/')
        .to_string();
    let escapes = |p: &str| p.starts_with('/') || p.split('/').any(|c| c == "..");
    if escapes(&path) {
        return Err(invalid(format!(
            "entry {:?} points outside the archive",
            h.path
        )));
    }
    if (h.kind == b'1' || h.kind == b'2') && !h.linkname.is_empty() {
        let base = path.rsplit_once('/').map_or("", |(d, _)| d);
        let joined = if h.linkname.starts_with('/') || base.is_empty() {
            h.linkname.clone()
        } else {
            format!("{base}/{}", h.linkname)
        };
        if escapes(&normalize(&joined)) {
            return Err(invalid(format!(
                "link {:?} -> {:?} points outside the archive",
                h.path, h.linkname
            )));
        }
    }
    Ok(path)
}

/// Resolves `.` and `..` lexically; a `..` above the root is kept.
fn normalize(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." if out.last().is_some_and(|l| *l != "..") => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    let joined = out.join("/");
    if p.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// `blobs/sha256/<64 hex>` -> `sha256:<hex>`.
fn blob_digest(path: &str) -> Option<String> {
    let rest = path.strip_prefix("blobs/")?;
    let (alg, hex) = rest.split_once('/')?;
    let ok = alg == "sha256"
        && hex.len() == 64
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    ok.then(|| format!("{alg}:{hex}"))
}

/// docker's RepoTags, per image, from manifest.json.
fn repo_tags_of(docker_manifest: Option<&str>) -> Result<Vec<Vec<String>>> {
    let Some(m) = docker_manifest else {
        return Ok(Vec::new());
    };
    Ok(serde_json::from_str::<Vec<DockerManifestEntry>>(m)
        .map_err(|e| invalid(format!("manifest.json: {e}")))?
        .into_iter()
        .map(|e| e.repo_tags.unwrap_or_default())
        .collect())
}

/// For a link entry, the archive path it stands for (`checked_entry_path`
/// has made sure it stays inside): a symlink's target is relative to its
/// directory, a hard link's to the archive's root.
fn link_target(h: &tar::Header, path: &str) -> Option<String> {
    match h.kind {
        b'1' => Some(normalize(h.linkname.trim_start_matches("./"))),
        b'2' => {
            let base = path.rsplit_once('/').map_or("", |(d, _)| d);
            Some(normalize(&format!("{base}/{}", h.linkname)))
        }
        _ => None,
    }
}

/// Streams one file of the archive into the content store: a blob named
/// by its digest, or (legacy layout) any file, hashed on the way in.
async fn write_blob(
    client: &Client,
    tar: &mut (impl AsyncRead + Unpin),
    expected: Option<&str>,
    size: u64,
) -> Result<legacy::Stored> {
    let first = read_chunk(tar).await?;
    let compression = legacy::Compression::sniff(&first);
    let reference = match expected {
        Some(d) => format!("berth-load-{d}"),
        None => format!("berth-load-{}", uuid_like()),
    };
    let stored = |digest: String| legacy::Stored {
        digest,
        size,
        compression,
    };
    let Some(mut ingest) = Ingest::open(client, &reference, expected.unwrap_or(""), size).await?
    else {
        // Already in the store; the rest of the body is skipped.
        return Ok(stored(expected.unwrap_or_default().to_string()));
    };
    ingest.restart();
    let mut hasher = expected.is_none().then(sha2::Sha256::default);
    let mut chunk = first;
    // Whole chunks: one Write message per MiB, not per pipe read.
    while !chunk.is_empty() {
        if let Some(h) = hasher.as_mut() {
            sha2::Digest::update(h, &chunk);
        }
        ingest.write(chunk).await?;
        chunk = read_chunk(tar).await?;
    }
    let digest = match (expected, hasher) {
        (Some(d), _) => d.to_string(),
        (None, Some(h)) => format!("sha256:{}", hex::encode(sha2::Digest::finalize(h))),
        (None, None) => unreachable!("a hasher when no digest is expected"),
    };
    ingest.expect(&digest);
    ingest
        .commit(HashMap::new())
        .await
        .map_err(|e| invalid(format!("blob {digest}: {}", e.message())))?;
    Ok(stored(digest))
}

/// Up to CHUNK bytes of the current entry; empty at its end.
async fn read_chunk(tar: &mut (impl AsyncRead + Unpin)) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; CHUNK];
    let mut filled = 0;
    while filled < CHUNK {
        let n = tar.read(&mut buf[filled..]).await.map_err(io_err)?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    buf.truncate(filled);
    Ok(buf)
}

/// A name no other load uses at the same time.
fn uuid_like() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Names for an index entry: containerd's annotation, a full reference in
/// the OCI ref-name annotation, or docker's RepoTags.
fn names_of(desc: &Descriptor, repo_tags: Option<&Vec<String>>) -> Vec<String> {
    let ann = desc.annotations.clone().unwrap_or_default();
    let full = |s: &str| ImageRef::parse(s).ok().map(|r| r.name());
    if let Some(n) = ann.get(NAME_ANNOTATION).and_then(|s| full(s)) {
        return vec![n];
    }
    if let Some(n) = ann
        .get(REF_NAME_ANNOTATION)
        .filter(|s| s.contains('/') || s.contains(':'))
        .and_then(|s| full(s))
    {
        return vec![n];
    }
    repo_tags
        .map(|tags| tags.iter().filter_map(|t| full(t)).collect())
        .unwrap_or_default()
}

/// Sets the GC labels that make an image record keep its whole tree; a
/// blob the tree needs must be in the store (archive or earlier content).
async fn label_tree(client: &Client, top: &Descriptor) -> Result<()> {
    let mut queue = vec![top.clone()];
    let mut first = true;
    while let Some(desc) = queue.pop() {
        let Some(info) = content::info(client, &desc.digest).await? else {
            // Other platforms of an index may be absent, as after a pull.
            if first {
                return Err(invalid(format!("blob {} is missing", desc.digest)));
            }
            continue;
        };
        first = false;
        let data = content::read_blob(client, &desc.digest).await?;
        let mut labels = BTreeMap::new();
        if manifest::is_index(&desc.media_type) {
            let idx: Index = manifest::parse("index", &desc.digest, &data)?;
            for (i, m) in idx.manifests.iter().enumerate() {
                labels.insert(
                    format!("containerd.io/gc.ref.content.m.{i}"),
                    m.digest.clone(),
                );
            }
            queue.extend(idx.manifests);
        } else if manifest::is_manifest(&desc.media_type) {
            let m: Manifest = manifest::parse("manifest", &desc.digest, &data)?;
            for d in std::iter::once(&m.config).chain(&m.layers) {
                if content::info(client, &d.digest).await?.is_none() {
                    return Err(invalid(format!("blob {} is missing", d.digest)));
                }
            }
            labels.insert(
                "containerd.io/gc.ref.content.config".into(),
                m.config.digest.clone(),
            );
            for (i, l) in m.layers.iter().enumerate() {
                labels.insert(
                    format!("containerd.io/gc.ref.content.l.{i}"),
                    l.digest.clone(),
                );
            }
        } else {
            return Err(invalid(format!("unknown media type {:?}", desc.media_type)));
        }
        content::ensure_labels(client, &info, &labels.into_iter().collect()).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(path: &str, kind: u8, link: &str) -> tar::Header {
        tar::Header {
            path: path.into(),
            size: 0,
            kind,
            linkname: link.into(),
            mode: 0o644,
        }
    }

    #[test]
    fn entry_paths_stay_inside() {
        assert!(checked_entry_path(&h("../x", b'0', "")).is_err());
        assert!(checked_entry_path(&h("/etc/passwd", b'0', "")).is_err());
        assert!(checked_entry_path(&h("blobs/../../x", b'0', "")).is_err());
        assert!(checked_entry_path(&h("a/l", b'2', "../../etc")).is_err());
        assert!(checked_entry_path(&h("l", b'2', "/etc/shadow")).is_err());
        assert_eq!(
            checked_entry_path(&h("./blobs/", b'5', "")).unwrap(),
            "blobs"
        );
        assert!(checked_entry_path(&h("a/l", b'2', "../b")).is_ok());
    }

    #[test]
    fn blob_names() {
        let hex = "a".repeat(64);
        assert_eq!(
            blob_digest(&format!("blobs/sha256/{hex}")),
            Some(format!("sha256:{hex}"))
        );
        assert_eq!(blob_digest("blobs/sha256/short"), None);
        assert_eq!(blob_digest(&format!("blobs/md5/{hex}")), None);
    }

    #[test]
    fn names_from_annotations_or_repo_tags() {
        let mut d = Descriptor {
            digest: "sha256:x".into(),
            ..Default::default()
        };
        d.annotations = Some(BTreeMap::from([
            (
                NAME_ANNOTATION.to_string(),
                "docker.io/library/app:1".to_string(),
            ),
            (REF_NAME_ANNOTATION.to_string(), "1".to_string()),
        ]));
        assert_eq!(names_of(&d, None), ["docker.io/library/app:1"]);
        d.annotations = Some(BTreeMap::from([(
            REF_NAME_ANNOTATION.to_string(),
            "1".to_string(),
        )]));
        assert_eq!(
            names_of(&d, Some(&vec!["app:2".to_string()])),
            ["docker.io/library/app:2"]
        );
        assert!(names_of(&d, None).is_empty());
    }
}
