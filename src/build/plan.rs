//! One build from request to result: how the output reaches its place
//! (worker shares containerd, tarball, files), the session, the solve, the
//! status stream and the consumer of exported bytes, all running together.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use super::{BuildEvent, BuildRequest, Built, Context, Dest, Dockerfile, Events, Output, Writer};
use crate::buildkit::proto::{CacheEntry, CacheOptions, Exporter, SolveRequest, WorkerRecord};
use crate::buildkit::session::{Credentials, random_id};
use crate::buildkit::{Control, ExportSink, Session, SessionConfig};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::image::archive::load::{self, LoadedImage};
use crate::image::registry;

const LABEL: &str = "org.mobyproject.buildkit.worker.";

#[derive(Debug, PartialEq, Eq)]
enum Sharing {
    /// The worker stores images in our containerd and namespace.
    Direct,
    /// Same containerd, another namespace.
    OtherNamespace(String),
    No,
}

/// What happens to the exporter's byte stream.
enum Consumer {
    None,
    Load,
    Write(Dest),
}

async fn sharing(
    workers: &[WorkerRecord],
    client: Option<&Client>,
    platforms: &[String],
) -> Sharing {
    let (Some(client), Some(w)) = (client, workers.first()) else {
        return Sharing::No;
    };
    let label = |k: &str| {
        w.labels
            .get(&format!("{LABEL}{k}"))
            .cloned()
            .unwrap_or_default()
    };
    if label("executor") != "containerd" || platforms.len() > 1 {
        return Sharing::No;
    }
    let uuid = match client.introspection().server(()).await {
        Ok(r) => r.into_inner().uuid,
        Err(_) => return Sharing::No,
    };
    if uuid.is_empty()
        || label("containerd.uuid") != uuid
        || label("snapshotter") != client.snapshotter()
    {
        return Sharing::No;
    }
    let ns = label("containerd.namespace");
    if ns != client.namespace() {
        return Sharing::OtherNamespace(ns);
    }
    Sharing::Direct
}

fn exporter(kind: &str, attrs: &[(&str, String)]) -> Exporter {
    Exporter {
        r#type: kind.to_string(),
        attrs: attrs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    }
}

fn choose(
    req: &BuildRequest,
    sharing: &Sharing,
    have_client: bool,
    events: &Events,
) -> Result<(Exporter, Option<PathBuf>, Consumer)> {
    let names = req.tags.join(",");
    let archive = |oci: bool| {
        exporter(
            if oci { "oci" } else { "docker" },
            &[("name", names.clone())],
        )
    };
    let need_client = || {
        if have_client {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::Unavailable,
                "loading the image needs containerd",
            ))
        }
    };
    Ok(match &req.output {
        Output::Containerd if *sharing == Sharing::Direct && !req.tags.is_empty() => (
            exporter(
                "image",
                &[("name", names.clone()), ("unpack", "true".into())],
            ),
            None,
            Consumer::None,
        ),
        Output::Containerd | Output::Archive { dest: None, .. } => {
            need_client()?;
            if let Sharing::OtherNamespace(ns) = sharing {
                events(BuildEvent::Notice(format!(
                    "buildkitd's worker stores images in containerd namespace {ns:?}, not this one: loading the image through a tarball"
                )));
            }
            let oci =
                matches!(req.output, Output::Archive { oci: true, .. }) || req.platforms.len() > 1;
            (archive(oci), None, Consumer::Load)
        }
        Output::Archive { oci, dest: Some(d) } => (archive(*oci), None, Consumer::Write(d.clone())),
        Output::Local(dir) => (exporter("local", &[]), Some(absolute(dir)?), Consumer::None),
        Output::Tar(d) => (exporter("tar", &[]), None, Consumer::Write(d.clone())),
        Output::Image(attrs) => {
            let mut e = exporter("image", &[]);
            e.attrs = attrs.clone();
            if !e.attrs.contains_key("name") && !names.is_empty() {
                e.attrs.insert("name".into(), names.clone());
            }
            if e.attrs.get("push").is_some_and(|v| v == "true") && !e.attrs.contains_key("name") {
                return Err(Error::invalid(
                    "output type=image,push=true needs a name (name=... or -t)",
                ));
            }
            if *sharing == Sharing::Direct {
                e.attrs
                    .entry("unpack".into())
                    .or_insert_with(|| "true".into());
            }
            (e, None, Consumer::None)
        }
    })
}

fn absolute(p: &Path) -> Result<PathBuf> {
    std::path::absolute(p).map_err(|e| Error::invalid(format!("{}: {e}", p.display())))
}

/// The local directories buildkitd may ask for, and the Dockerfile's name.
fn locals(req: &BuildRequest) -> Result<(HashMap<String, PathBuf>, String)> {
    let mut locals = HashMap::new();
    if let Context::Local(dir) = &req.context {
        let dir = absolute(dir)?;
        if !dir.is_dir() {
            return Err(Error::invalid(format!(
                "unable to prepare context: path {:?} not found",
                dir.display().to_string()
            )));
        }
        locals.insert("context".to_string(), dir);
    }
    let filename = match &req.dockerfile {
        Dockerfile::Default => {
            if let Some(dir) = locals.get("context").cloned() {
                locals.insert("dockerfile".into(), dir);
            }
            "Dockerfile".to_string()
        }
        Dockerfile::InContext(name) => name.clone(),
        Dockerfile::Path(p) => {
            let p = absolute(p)?;
            let (Some(dir), Some(name)) = (p.parent(), p.file_name()) else {
                return Err(Error::invalid(format!(
                    "invalid Dockerfile path {}",
                    p.display()
                )));
            };
            if !p.is_file() {
                return Err(Error::invalid(format!(
                    "unable to prepare context: the Dockerfile ({}) cannot be read",
                    p.display()
                )));
            }
            locals.insert("dockerfile".into(), dir.to_path_buf());
            name.to_string_lossy().into_owned()
        }
    };
    Ok((locals, filename))
}

pub(super) fn frontend_attrs(req: &BuildRequest, filename: &str) -> HashMap<String, String> {
    let mut a = HashMap::new();
    a.insert("filename".to_string(), filename.to_string());
    if let Context::Remote(url) = &req.context {
        a.insert("context".into(), url.clone());
    }
    if let Some(t) = &req.target {
        a.insert("target".into(), t.clone());
    }
    for (k, v) in &req.build_args {
        a.insert(format!("build-arg:{k}"), v.clone());
    }
    for (k, v) in &req.labels {
        a.insert(format!("label:{k}"), v.clone());
    }
    if req.no_cache {
        a.insert("no-cache".into(), String::new());
    }
    if !req.platforms.is_empty() {
        a.insert("platform".into(), req.platforms.join(","));
    }
    if !req.add_hosts.is_empty() {
        let hosts: Vec<String> = req
            .add_hosts
            .iter()
            .map(|h| h.replacen(':', "=", 1))
            .collect();
        a.insert("add-hosts".into(), hosts.join(","));
    }
    if let Some(size) = req.shm_size {
        a.insert("shm-size".into(), size.to_string());
    }
    if let Some(parent) = &req.cgroup_parent {
        a.insert("cgroup-parent".into(), parent.clone());
    }
    if !req.ulimits.is_empty() {
        a.insert("ulimit".into(), req.ulimits.join(","));
    }
    match req.network.as_deref() {
        Some("host") => {
            a.insert("force-network-mode".into(), "host".into());
        }
        Some("none") => {
            a.insert("force-network-mode".into(), "none".into());
        }
        _ => {}
    }
    if req.pull {
        a.insert("image-resolve-mode".into(), "pull".into());
    }
    if !req.cache_from.is_empty() {
        let json: Vec<serde_json::Value> = req
            .cache_from
            .iter()
            .map(|(t, attrs)| serde_json::json!({"Type": t, "Attrs": attrs}))
            .collect();
        a.insert(
            "cache-imports".into(),
            serde_json::Value::Array(json).to_string(),
        );
    }
    a
}

fn cache_entries(list: &[(String, HashMap<String, String>)]) -> Vec<CacheEntry> {
    list.iter()
        .map(|(t, attrs)| CacheEntry {
            r#type: t.clone(),
            attrs: attrs.clone(),
        })
        .collect()
}

fn credentials() -> Credentials {
    Arc::new(|host: &str| match registry::credentials_for(host) {
        Ok(registry::Credentials::Basic { username, password }) => Some((username, password)),
        _ => None,
    })
}

pub(super) async fn run(
    control: &Control,
    workers: &[WorkerRecord],
    client: Option<&Client>,
    mut req: BuildRequest,
    events: Events,
) -> Result<Built> {
    let sharing = sharing(workers, client, &req.platforms).await;
    let (exporter, dir_dest, consumer) = choose(&req, &sharing, client.is_some(), &events)?;
    let (locals, filename) = locals(&req)?;
    let mut frontend_attrs = frontend_attrs(&req, &filename);
    if let Some(dir) = locals.get("dockerfile") {
        let path = dir.join(&filename);
        frontend_attrs.extend(super::bases::mirrored(&path, &req.build_args, &req.insecure).await);
    }
    let (tx, rx) = mpsc::channel(1);
    // The sender lives only in the session, so the consumer sees the end
    // when no stream comes.
    let export = match (&dir_dest, &consumer) {
        (Some(d), _) => Some(ExportSink::Dir(d.clone())),
        (None, Consumer::None) => None,
        (None, _) => Some(ExportSink::Stream(tx.clone())),
    };
    drop(tx);
    let session = Session::start(
        control,
        SessionConfig {
            locals,
            secrets: std::mem::take(&mut req.secrets),
            credentials: Some(credentials()),
            ssh: std::mem::take(&mut req.ssh),
            export,
        },
    )
    .await?;
    let solve_ref = random_id();
    let mut entitlements = Vec::new();
    if req.network.as_deref() == Some("host") {
        entitlements.push("network.host".to_string());
    }
    let solve_req = SolveRequest {
        r#ref: solve_ref.clone(),
        exporter_deprecated: exporter.r#type.clone(),
        exporter_attrs_deprecated: exporter.attrs.clone(),
        session: session.id.clone(),
        frontend: "dockerfile.v0".into(),
        frontend_attrs,
        cache: Some(CacheOptions {
            exports: cache_entries(&req.cache_to),
            imports: cache_entries(&req.cache_from),
        }),
        entitlements,
        exporters: vec![exporter],
        enable_session_exporter: false,
    };
    let status = tokio::spawn(follow_status(control.clone(), solve_ref, events.clone()));
    let solve = async {
        let r = control.solve(solve_req).await;
        drop(session);
        r
    };
    let consume = consume(rx, consumer, client, req.stdout.take(), &req.tags);
    let (solved, consumed) = tokio::join!(solve, consume);
    // The status stream ends with the build; don't wait on a stuck one.
    let _ = tokio::time::timeout(Duration::from_secs(5), status).await;
    // A consumer that failed closed the export stream, so BuildKit's own
    // error is then only a broken pipe: the consumer's is the cause.
    let (response, loaded) = match (solved, consumed) {
        (Err(_), Err(e)) => return Err(e),
        (solved, consumed) => (solved.map_err(solve_error)?, consumed?),
    };
    let mut built = Built {
        image_id: response
            .exporter_response
            .get("containerimage.config.digest")
            .cloned(),
        names: Vec::new(),
    };
    if sharing == Sharing::Direct && matches!(req.output, Output::Containerd | Output::Image(_)) {
        built.names = req.tags.clone();
    }
    for l in loaded {
        if built.image_id.is_none() {
            built.image_id = l.id.clone();
        }
        built.names.push(l.name);
    }
    Ok(built)
}

fn solve_error(s: tonic::Status) -> Error {
    let kind = match s.code() {
        tonic::Code::Unavailable => ErrorKind::Unavailable,
        _ => ErrorKind::Daemon,
    };
    let msg = s.message();
    let msg = if msg.starts_with("failed to solve") {
        msg.to_string()
    } else {
        format!("failed to solve: {msg}")
    };
    let err = Error::new(kind, msg);
    if s.message().contains("network.host is not allowed") {
        return err.hinted(
            "--network host needs a buildkitd started with --allow-insecure-entitlement network.host",
        );
    }
    err
}

async fn follow_status(control: Control, solve_ref: String, events: Events) {
    match control.status(&solve_ref).await {
        Ok(mut stream) => {
            while let Ok(Some(m)) = stream.message().await {
                events(BuildEvent::Status(m));
            }
        }
        Err(s) => tracing::debug!("build status: {}", s.message()),
    }
}

async fn consume(
    mut rx: mpsc::Receiver<tokio::io::DuplexStream>,
    consumer: Consumer,
    client: Option<&Client>,
    stdout: Option<Writer>,
    tags: &[String],
) -> Result<Vec<LoadedImage>> {
    let Some(reader) = rx.recv().await else {
        return Ok(Vec::new());
    };
    match consumer {
        Consumer::None => Ok(Vec::new()),
        Consumer::Load => {
            let client =
                client.ok_or_else(|| Error::new(ErrorKind::Unavailable, "no containerd"))?;
            let opts = load::LoadOptions {
                names: tags.to_vec(),
                platform: None,
            };
            let mut reader = reader;
            let loaded = load::load(client, &mut reader, &opts).await?;
            // The archive reader stops at the end-of-archive block: what
            // follows is read too, so BuildKit's last writes never meet a
            // closed stream ("writing the export: broken pipe").
            let _ = tokio::io::copy(&mut reader, &mut tokio::io::sink()).await;
            Ok(loaded)
        }
        Consumer::Write(Dest::Stdout) => {
            let mut out =
                stdout.ok_or_else(|| Error::invalid("no stdout to write the output to"))?;
            let mut reader = reader;
            tokio::io::copy(&mut reader, &mut out)
                .await
                .map_err(|e| Error::new(ErrorKind::Io, format!("writing the output: {e}")))?;
            out.flush()
                .await
                .map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?;
            Ok(Vec::new())
        }
        Consumer::Write(Dest::File(path)) => write_file(reader, &path).await.map(|()| Vec::new()),
    }
}

/// Writes the stream to `path` through a temporary file beside it, so a
/// failed build never leaves a truncated archive under the name.
async fn write_file(mut reader: tokio::io::DuplexStream, path: &Path) -> Result<()> {
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, format!("{}: {e}", path.display()));
    let (pending, mut file) = crate::util::PendingFile::create(path).await.map_err(io)?;
    tokio::io::copy(&mut reader, &mut file).await.map_err(io)?;
    pending.commit(file).await.map_err(io)
}
