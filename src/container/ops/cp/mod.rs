//! `cp`: files between a container and the local side, by docker's
//! rules (`rules.rs`), through the copy machinery (`crate::copy`) that
//! keeps every write inside its target. The container's side is its
//! task's root (`/proc/<pid>/root`: its image, volumes and binds as the
//! container sees them) while it has a task, else its snapshot mounted
//! under the data root with its volumes and binds over it (`volumes.rs`,
//! as docker's daemon mounts them). Paths on either side resolve inside that side's
//! root, so a container's symlinks and `..` never reach the host.

mod rules;
mod volumes;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::client::Client;
use crate::container::config::user;
use crate::container::runtime::task;
use crate::container::store::record::ContainerRecord;
use crate::copy::{self, Body, DirSink, Entry, Owner, Root, Sink, TarSink};
use crate::error::{Error, ErrorKind, Result};
use crate::mount::{self, Mounted};
use crate::snapshots;
use crate::state::DataRoot;
use rules::{Found, TarSize, Typed};

/// The user's side of a copy: the root their paths resolve in (`/`, or
/// the caller's root in berth's helper), their working directory, and
/// who they are (copies out become theirs).
#[derive(Debug, Clone)]
pub struct Local {
    pub root: PathBuf,
    pub cwd: PathBuf,
    pub uid: u32,
    pub gid: u32,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct CopyOptions {
    /// `-L`: follow a symlink named as the source.
    pub follow: bool,
    /// `-a`: copies into the container become its user's; copies out
    /// keep the container's owners.
    pub archive: bool,
}

/// What docker's summary line reports.
#[derive(Debug, Clone)]
pub struct Copied {
    pub size: u64,
    /// The destination as docker names it (`/abs/path/`, `c1:/tmp`).
    pub dest: String,
}

/// Where a copy out goes: a local path, or a tar stream.
pub enum OutTo<'a> {
    Path(&'a str),
    Stream(Box<dyn Write + Send>),
}

/// What a copy in takes: a local path, or a tar stream.
pub enum InFrom<'a> {
    Path(&'a str),
    Stream(Box<dyn Read + Send>),
}

/// A side of the copy as a container: `input` is the container as the
/// user typed it (docker's messages name it so).
pub struct Side<'a> {
    pub rec: &'a ContainerRecord,
    pub input: &'a str,
}

/// The container's tree, and the mount that shows it when it has no task.
struct Tree {
    root: Root,
    _mounted: Option<Mounted>,
}

async fn open_tree(client: &Client, data: &DataRoot, rec: &ContainerRecord) -> Result<Tree> {
    let opening = |e| Error::io("opening the container's files", e);
    if let Some(pid) = task::live_pid(client, &rec.id).await? {
        let root = Root::open(Path::new(&format!("/proc/{pid}/root"))).map_err(opening)?;
        return Ok(Tree {
            root,
            _mounted: None,
        });
    }
    if rec.snapshot_key.is_empty() {
        return Err(Error::invalid(format!(
            "container {} has no filesystem",
            rec.id
        )));
    }
    let mounts = snapshots::mounts(client, &rec.snapshotter, &rec.snapshot_key).await?;
    let mounted = mount::mount_all(&mounts, &data.root().join("mnt"))?;
    let root = Root::open(mounted.path()).map_err(opening)?;
    if let Some(s) = &rec.stored {
        volumes::mount_points(&root, &s.mounts)?;
    }
    Ok(Tree {
        root,
        _mounted: Some(mounted),
    })
}

/// Counts docker's summary size while passing entries on.
struct Counting<'a> {
    inner: &'a mut dyn Sink,
    size: TarSize,
}

impl Sink for Counting<'_> {
    fn put(&mut self, e: &Entry, body: Option<Body<'_>>) -> std::io::Result<u64> {
        let content = if e.kind == copy::Kind::File {
            e.size
        } else {
            0
        };
        self.size.add(e.name.as_os_str().len(), content);
        self.inner.put(e, body)
    }
}

fn failed(e: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, e.to_string())
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::new(ErrorKind::Io, format!("copying: {e}")))?
}

/// `cp CONTAINER:SRC DEST` (`dest` None: a tar stream to `out`).
pub async fn copy_out(
    client: &Client,
    data: &DataRoot,
    from: Side<'_>,
    src: &str,
    dest: OutTo<'_>,
    local: &Local,
    opts: CopyOptions,
) -> Result<Copied> {
    let tree = open_tree(client, data, from.rec).await?;
    let (dest, out) = match dest {
        OutTo::Path(p) => (Some(p.to_string()), None),
        OutTo::Stream(w) => (None, Some(w)),
    };
    let (input, src, local) = (from.input.to_string(), src.to_string(), local.clone());
    let copied =
        blocking(move || out_blocking(&tree, &input, &src, dest.as_deref(), &local, out, opts))
            .await?;
    super::events::publish_container(client, from.rec, "archive-path", &[]).await;
    Ok(copied)
}

fn out_blocking(
    tree: &Tree,
    input: &str,
    src: &str,
    dest: Option<&str>,
    local: &Local,
    out: Option<Box<dyn Write + Send>>,
    opts: CopyOptions,
) -> Result<Copied> {
    let srct = Typed::new(src, Path::new("/"));
    let (st, follow) = source_stat(&tree.root, &srct, opts.follow).map_err(failed)?;
    let st = st.ok_or_else(|| {
        Error::not_found(format!(
            "Could not find the file {} in container {input}",
            srct.clean.display()
        ))
    })?;
    if srct.asserts_dir && !st.is_dir() {
        return Err(Error::invalid(format!("lstat {src}: not a directory")));
    }
    let (Some(dest), None) = (dest, &out) else {
        let out = out.ok_or_else(|| Error::invalid("nowhere to copy to"))?;
        let top = if srct.contents {
            PathBuf::from(".")
        } else {
            srct.base()
        };
        let mut sink = TarSink::new(out);
        copy::walk(&tree.root, &srct.clean, &top, follow, &mut sink).map_err(failed)?;
        let mut out = sink.finish().map_err(failed)?;
        out.flush().map_err(failed)?;
        return Ok(Copied {
            size: 0,
            dest: "-".into(),
        });
    };
    let here = Root::open(&local.root).map_err(failed)?;
    let dstt = through_links(&here, Typed::new(dest, &local.cwd));
    let found = local_found(&here, &dstt, dest)?;
    let plan = rules::plan(&srct, st.is_dir(), &srct.base(), &dstt, found)
        .map_err(|m| Error::invalid(m).cli())?;
    let owner = if opts.archive {
        Owner::Keep
    } else {
        Owner::Fixed(local.uid, local.gid)
    };
    let mut sink = DirSink::new(here.sub(&plan.dir).map_err(failed)?, owner);
    let mut counting = Counting {
        inner: &mut sink,
        size: TarSize::default(),
    };
    copy::walk(&tree.root, &srct.clean, &plan.top, follow, &mut counting).map_err(failed)?;
    let size = counting.size.total();
    sink.finish().map_err(failed)?;
    Ok(Copied {
        size,
        dest: shown(&dstt, dest),
    })
}

/// The source's stat, and whether a symlink there is followed (`-L`, or
/// a trailing `/` that asks for the directory behind it).
fn source_stat(
    root: &Root,
    t: &Typed,
    follow: bool,
) -> std::io::Result<(Option<copy::Stat>, bool)> {
    let st = root.lstat(&t.clean)?;
    let follow = (follow || t.asserts_dir) && st.is_some_and(|s| s.is_symlink());
    if follow {
        return Ok((root.stat(&t.clean)?, true));
    }
    Ok((st, false))
}

/// docker follows a symlink named as the destination: the copy lands
/// where it leads (resolved inside the root), under the target's name.
fn through_links(root: &Root, mut t: Typed) -> Typed {
    for _ in 0..40 {
        match root.lstat(&t.clean) {
            Ok(Some(s)) if s.is_symlink() => {}
            _ => break,
        }
        let Ok(target) = root.readlink(&t.clean) else {
            break;
        };
        let joined = t.parent().join(target);
        t = Typed {
            clean: Typed::new(&joined.to_string_lossy(), Path::new("/")).clean,
            ..t
        };
    }
    t
}

/// What the local destination is, by docker's CLI's checks.
fn local_found(here: &Root, t: &Typed, typed: &str) -> Result<Found> {
    match here.stat(&t.clean) {
        Ok(Some(s)) if s.is_dir() => Ok(Found::Dir),
        Ok(Some(s)) if s.is_file() && t.asserts_dir => {
            Err(Error::invalid(format!("stat {}: not a directory", t.clean.display())).cli())
        }
        Ok(Some(s)) if s.is_file() => Ok(Found::File),
        Ok(Some(_)) => Err(Error::invalid(format!(
            "invalid output path: {typed:?} must be a directory or a regular file"
        ))
        .cli()),
        Ok(None) => match here.stat(&t.parent()) {
            Ok(Some(p)) if p.is_dir() => Ok(Found::Missing),
            _ => Err(Error::invalid(format!(
                "invalid output path: directory {:?} does not exist",
                t.parent().display().to_string()
            ))
            .cli()),
        },
        Err(e) => Err(Error::invalid(format!("stat {}: {e}", t.clean.display())).cli()),
    }
}

/// docker's name for the destination in its summary: absolute, with
/// the trailing `/` or `/.` kept.
fn shown(t: &Typed, typed: &str) -> String {
    let mut s = t.clean.display().to_string();
    if typed.ends_with("/.") || typed == "." {
        s.push_str(if s.ends_with('/') { "." } else { "/." });
    } else if typed.ends_with('/') && !s.ends_with('/') {
        s.push('/');
    }
    s
}

/// `cp SRC CONTAINER:DEST`.
pub async fn copy_in(
    client: &Client,
    data: &DataRoot,
    to: Side<'_>,
    src: InFrom<'_>,
    dest: &str,
    local: &Local,
    opts: CopyOptions,
) -> Result<Copied> {
    let tree = open_tree(client, data, to.rec).await?;
    let user = to
        .rec
        .stored
        .as_ref()
        .map(|s| s.config.user.clone())
        .unwrap_or_default();
    let (src, input) = match src {
        InFrom::Path(p) => (Some(p.to_string()), None),
        InFrom::Stream(r) => (None, Some(r)),
    };
    let (name, dest, local) = (to.input.to_string(), dest.to_string(), local.clone());
    let copied = blocking(move || {
        let owner = match opts.archive && !user.is_empty() {
            true => container_user(&tree.root, &user)?,
            false => Owner::Keep,
        };
        in_blocking(
            &tree,
            &name,
            src.as_deref(),
            &dest,
            &local,
            input,
            owner,
            opts.follow,
        )
    })
    .await?;
    super::events::publish_container(client, to.rec, "extract-to-dir", &[]).await;
    Ok(copied)
}

/// `-a` into a container: its configured user, from its own files.
fn container_user(root: &Root, spec: &str) -> Result<Owner> {
    let read = |rel: &str| -> Option<String> {
        let fd = root
            .open_at(Path::new(rel), nix::fcntl::OFlag::O_RDONLY, true)
            .ok()?;
        let mut s = String::new();
        std::fs::File::from(fd).read_to_string(&mut s).ok()?;
        Some(s)
    };
    let u = user::resolve(
        spec,
        read("etc/passwd").as_deref(),
        read("etc/group").as_deref(),
    )?;
    Ok(Owner::Fixed(u.uid, u.gid))
}

#[allow(clippy::too_many_arguments)]
fn in_blocking(
    tree: &Tree,
    name: &str,
    src: Option<&str>,
    dest: &str,
    local: &Local,
    input: Option<Box<dyn Read + Send>>,
    owner: Owner,
    follow: bool,
) -> Result<Copied> {
    let dstt = through_links(&tree.root, Typed::new(dest, Path::new("/")));
    let missing = |p: &Path| {
        Error::not_found(format!(
            "Could not find the file {} in container {name}",
            p.display()
        ))
    };
    let found = match tree.root.stat(&dstt.clean).map_err(failed)? {
        Some(s) if s.is_dir() => Found::Dir,
        Some(s) if s.is_file() => Found::File,
        Some(_) => {
            return Err(Error::invalid(format!(
                "destination \"{name}:{dest}\" must be a directory or a regular file"
            ))
            .cli());
        }
        None => Found::Missing,
    };
    let shown = format!("{name}:{dest}");
    let (Some(src), None) = (src, &input) else {
        let input = input.ok_or_else(|| Error::invalid("nothing to copy from"))?;
        if found != Found::Dir {
            return Err(Error::invalid(format!(
                "destination \"{name}:{dest}\" must be a directory"
            ))
            .cli());
        }
        let mut sink = DirSink::new(tree.root.sub(&dstt.clean).map_err(failed)?, owner);
        let processing = |e: std::io::Error| {
            Error::new(ErrorKind::Daemon, format!("Error processing tar file: {e}"))
        };
        copy::read_tar(input, &mut sink).map_err(processing)?;
        sink.finish().map_err(processing)?;
        return Ok(Copied {
            size: 0,
            dest: shown,
        });
    };
    let srct = Typed::new(src, &local.cwd);
    let here = Root::open(&local.root).map_err(failed)?;
    let (st, follow) = source_stat(&here, &srct, follow).map_err(failed)?;
    let st = st.ok_or_else(|| {
        Error::invalid(format!(
            "lstat {}: no such file or directory",
            srct.clean.display()
        ))
        .cli()
    })?;
    if srct.asserts_dir && !st.is_dir() {
        return Err(
            Error::invalid(format!("lstat {}: not a directory", srct.clean.display())).cli(),
        );
    }
    let plan = rules::plan(&srct, st.is_dir(), &srct.base(), &dstt, found)
        .map_err(|m| Error::invalid(m).cli())?;
    let dir = match tree.root.sub(&plan.dir) {
        Ok(d) => d,
        Err(e) if e.raw_os_error() == Some(libc::ENOENT) => return Err(missing(&plan.dir)),
        Err(e) => return Err(failed(e)),
    };
    let mut sink = DirSink::new(dir, owner);
    let mut counting = Counting {
        inner: &mut sink,
        size: TarSize::default(),
    };
    copy::walk(&here, &srct.clean, &plan.top, follow, &mut counting).map_err(failed)?;
    let size = counting.size.total();
    sink.finish().map_err(failed)?;
    Ok(Copied { size, dest: shown })
}
