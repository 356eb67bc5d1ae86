//! One error type for the whole library. Every failure carries a kind that
//! the binary maps to docker's exit codes in exactly one place
//! (`cmd/main.rs`), plus an optional hint that says what to do next.

use std::fmt;

/// What went wrong, independent of the words used to say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The user gave something berth cannot accept (flag value, reference...).
    InvalidArgument,
    /// A container, image or other object does not exist.
    NotFound,
    /// The request conflicts with current state (name in use, image in use...).
    Conflict,
    /// containerd (or another daemon) cannot be reached.
    Unavailable,
    /// containerd answered with an error.
    Daemon,
    /// A registry refused or failed a request.
    Registry,
    /// Credentials were missing or rejected.
    Unauthorized,
    /// Known docker behaviour berth does not implement yet, or a feature the
    /// connected containerd lacks.
    Unsupported,
    /// The container's command could not be invoked (docker exit 126).
    CommandNotExecutable,
    /// The container's command was not found (docker exit 127).
    CommandNotFound,
    /// A local I/O failure.
    Io,
    /// The operation was interrupted (e.g. by a signal).
    Interrupted,
}

#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    hint: Option<String>,
    /// Worth trying again (a dropped connection, a registry's 5xx or 429).
    transient: bool,
    /// What docker's CLI itself refuses (a flag's value it checks), as
    /// opposed to what its daemon answers: worded without "Error response
    /// from daemon" (docs/compatibility.md).
    cli: bool,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            hint: None,
            transient: false,
            cli: false,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }

    pub fn unsupported(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unsupported, message)
    }

    pub fn io(context: impl fmt::Display, err: std::io::Error) -> Self {
        Self::new(ErrorKind::Io, format!("{context}: {err}"))
    }

    /// Adds a line telling the user what to do about it.
    pub fn hinted(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Marks the failure as one that may go away when tried again.
    pub fn transient(mut self) -> Self {
        self.transient = true;
        self
    }

    pub fn is_transient(&self) -> bool {
        self.transient
    }

    /// Marks the failure as one docker's CLI reports itself.
    pub fn cli(mut self) -> Self {
        self.cli = true;
        self
    }

    pub fn is_cli(&self) -> bool {
        self.cli
    }

    /// Prefixes the message with what was being attempted.
    pub fn context(mut self, what: impl fmt::Display) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<tonic::Status> for Error {
    fn from(status: tonic::Status) -> Self {
        use tonic::Code;
        let kind = match status.code() {
            Code::NotFound => ErrorKind::NotFound,
            Code::AlreadyExists | Code::FailedPrecondition => ErrorKind::Conflict,
            Code::Unavailable => ErrorKind::Unavailable,
            Code::InvalidArgument => ErrorKind::InvalidArgument,
            Code::Unimplemented => ErrorKind::Unsupported,
            Code::Cancelled => ErrorKind::Interrupted,
            _ => ErrorKind::Daemon,
        };
        let message = if status.message().is_empty() {
            format!("containerd: {}", status.code())
        } else {
            status.message().to_string()
        };
        if kind == ErrorKind::Unsupported {
            // Never a bare "unimplemented": say what it likely means.
            return Error::new(
                kind,
                format!("the connected containerd does not implement this call ({message})"),
            )
            .hinted(
                "berth supports containerd 1.6 and newer; `berth version` shows what is connected",
            );
        }
        Error::new(kind, message)
    }
}

impl From<serde_json::Error> for Error {
    fn from(err: serde_json::Error) -> Self {
        Error::new(ErrorKind::Daemon, format!("malformed JSON: {err}"))
    }
}

/// Whether a gRPC status means "already exists".
pub(crate) fn is_already_exists(status: &tonic::Status) -> bool {
    status.code() == tonic::Code::AlreadyExists
}

/// Whether a gRPC status means "not found".
pub(crate) fn is_not_found(status: &tonic::Status) -> bool {
    status.code() == tonic::Code::NotFound
}
