//! docker flags berth knows but does not implement yet: accepted by the
//! parser only to be rejected with a clear message (never ignored).
//! Each is listed in docs/command-reference.md.

/// The help text of a refused flag (hidden; `__flags` reports it).
pub const NOT_YET: &str = "not supported yet";

/// The help text of a flag accepted and ignored because docker ignores it
/// too (its BuildKit builder the legacy builder's flags, its API since
/// 1.42 kernel memory limits).
pub const IGNORED: &str = "ignored, as docker ignores it";

/// Whether a parsed flag value means the flag was given.
pub trait Given {
    fn given(&self) -> bool;
}

impl Given for bool {
    fn given(&self) -> bool {
        *self
    }
}

impl<T> Given for Vec<T> {
    fn given(&self) -> bool {
        !self.is_empty()
    }
}

impl<T> Given for Option<T> {
    fn given(&self) -> bool {
        self.is_some()
    }
}

/// Declares a hidden-flag struct and `first_given()` naming the first flag used.
#[macro_export]
macro_rules! unsupported_flags {
    ($name:ident { $($field:ident : $ty:ty = $long:literal $(, $short:literal)?);* $(;)? }) => {
        #[derive(clap::Args, Debug, Default, Clone)]
        pub struct $name {
            $(
                #[arg(long = $long, $(short = $short,)? hide = true, help = $crate::unsupported::NOT_YET)]
                $field: $ty,
            )*
        }
        impl $name {
            pub fn first_given(&self) -> Option<&'static str> {
                use $crate::unsupported::Given;
                $( if self.$field.given() { return Some($long); } )*
                None
            }

            /// Err naming the first unsupported flag the user passed.
            #[allow(dead_code)] // not every group is checked by verb
            pub fn check(&self, verb: &str) -> berth::Result<()> {
                match self.first_given() {
                    Some(flag) => Err(berth::Error::unsupported(format!(
                        "berth {verb}: --{flag} is not supported yet"
                    ))
                    .hinted("see docs/command-reference.md for what berth supports today")
                    .cli()),
                    None => Ok(()),
                }
            }
        }
    };
}

/// Declares a hidden-flag struct of flags accepted and ignored as docker's
/// BuildKit builder ignores them; `warnings()` says, for each flag given,
/// what the user does not get (None: docker's default, nothing to say).
#[macro_export]
macro_rules! ignored_flags {
    ($name:ident { $($field:ident : $ty:ty = $long:literal $(, $short:literal)? [$($attr:tt)*] => $why:expr);* $(;)? }) => {
        #[derive(clap::Args, Debug, Default, Clone)]
        pub struct $name {
            $(
                #[arg(long = $long, $(short = $short,)? hide = true, help = $crate::unsupported::IGNORED $($attr)*)]
                $field: $ty,
            )*
        }
        impl $name {
            #[allow(dead_code)] // not every group has something to say
            pub fn warnings(&self) -> Vec<String> {
                use $crate::unsupported::Given;
                let mut out = Vec::new();
                $( if self.$field.given() {
                    let why: Option<&str> = $why;
                    if let Some(w) = why { out.push(format!("WARNING: {w}")); }
                } )*
                out
            }

            /// Whether any of the flags was given.
            #[allow(dead_code)] // not every group asks
            pub fn given(&self) -> bool {
                use $crate::unsupported::Given;
                false $(|| self.$field.given())*
            }
        }
    };
}

// The container flags of `run` and `create` berth does not implement yet.
crate::unsupported_flags!(RunFlags {
    gpus: Option<String> = "gpus";
    storage_opt: Vec<String> = "storage-opt";
});

// docker's API removed kernel memory limits in 1.42: its daemon drops
// the value without a word (the kernel's kmem accounting is gone on v2).
crate::ignored_flags!(KernelMemory {
    kernel_memory: Option<i64> = "kernel-memory" [, value_parser = berth::units::ram_in_bytes] => None;
});

/// The help text of a flag only a swarm manager gives meaning to (hidden,
/// as docker's CLI hides it on other nodes; `__flags` reports it).
pub const SWARM_ONLY: &str = "swarm manager only";

/// docker's daemon's refusal of what only a swarm manager does (berth's
/// node is never one).
pub const NOT_A_SWARM_MANAGER: &str = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

/// The help text of a flag docker's CLI takes only against a daemon with
/// experimental features (hidden, as its CLI hides it; `__flags` reports it).
pub const EXPERIMENTAL_ONLY: &str = "experimental daemon only";

/// docker's CLI's refusal of an experimental-only flag: berth's daemon
/// (containerd and berth) has no experimental features.
pub fn experimental_refusal(flag: &str) -> String {
    format!("\"--{flag}\" is only supported on a Docker daemon with experimental features enabled")
}

/// The help text of a Windows-only flag (hidden, as docker's CLI hides
/// it against a Linux daemon; `__flags` reports it).
pub const WINDOWS_ONLY: &str = "windows only";

/// `run`/`create` flags docker's CLI accepts only against a Windows
/// daemon: refused with its words (one line per flag, alphabetical), exit 1.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct WindowsFlags {
    #[arg(long = "cpu-count", hide = true, help = WINDOWS_ONLY)]
    cpu_count: Option<String>,
    #[arg(long = "cpu-percent", hide = true, help = WINDOWS_ONLY)]
    cpu_percent: Option<String>,
    #[arg(long = "io-maxbandwidth", hide = true, help = WINDOWS_ONLY)]
    io_maxbandwidth: Option<String>,
    #[arg(long = "io-maxiops", hide = true, help = WINDOWS_ONLY)]
    io_maxiops: Option<String>,
}

impl WindowsFlags {
    /// docker's lines for the flags given, if any.
    pub fn refusal(&self) -> Option<String> {
        let given = [
            ("cpu-count", self.cpu_count.is_some()),
            ("cpu-percent", self.cpu_percent.is_some()),
            ("io-maxbandwidth", self.io_maxbandwidth.is_some()),
            ("io-maxiops", self.io_maxiops.is_some()),
        ];
        let lines: Vec<String> = given
            .iter()
            .filter(|(_, on)| *on)
            .map(|(f, _)| {
                format!("\"--{f}\" is only supported on a Docker daemon running on windows, but the Docker daemon is running on linux")
            })
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }
}
