//! docker's namespace modes (`NetworkMode`, `IpcMode`, `PidMode`,
//! `UTSMode`, `CgroupnsMode`): enums serialised as docker's strings
//! (`host`, `container:NAME`, ...), parsed from them with docker's words.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// Serialises as docker's string, parses from it.
macro_rules! string_form {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = Option::<String>::deserialize(d)?.unwrap_or_default();
                s.parse()
                    .map_err(|e: Error| serde::de::Error::custom(e.message()))
            }
        }
    };
}

/// `container:NAME` → NAME.
fn container_of(s: &str) -> Option<&str> {
    s.strip_prefix("container:")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkMode {
    /// A private network namespace with only loopback.
    None,
    /// The host's network namespace.
    Host,
    /// A CNI network by name: `bridge` (docker's default) or a user network.
    Network(String),
    /// Another container's network namespace (by name or id).
    Container(String),
}

impl Default for NetworkMode {
    fn default() -> Self {
        NetworkMode::Network(crate::network::DEFAULT_NETWORK.to_string())
    }
}

impl FromStr for NetworkMode {
    type Err = Error;

    fn from_str(s: &str) -> Result<NetworkMode> {
        Ok(match s {
            "none" => NetworkMode::None,
            "host" => NetworkMode::Host,
            "" | "default" => NetworkMode::default(),
            s => match container_of(s) {
                Some("") => {
                    return Err(Error::invalid(
                        "Invalid network mode: invalid container format container:<name|id>",
                    ));
                }
                Some(c) => NetworkMode::Container(c.to_string()),
                None => NetworkMode::Network(s.to_string()),
            },
        })
    }
}

impl fmt::Display for NetworkMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkMode::None => f.write_str("none"),
            NetworkMode::Host => f.write_str("host"),
            NetworkMode::Network(n) => f.write_str(n),
            NetworkMode::Container(c) => write!(f, "container:{c}"),
        }
    }
}

impl NetworkMode {
    /// A network berth connects with CNI.
    pub fn cni_network(&self) -> Option<&str> {
        match self {
            NetworkMode::Network(n) => Some(n),
            _ => None,
        }
    }

    /// A CNI network other than the default bridge.
    pub fn user_network(&self) -> Option<&str> {
        self.cni_network()
            .filter(|n| *n != crate::network::DEFAULT_NETWORK)
    }

    /// Private networks (not the host's, not another container's).
    pub fn is_private(&self) -> bool {
        matches!(self, NetworkMode::None | NetworkMode::Network(_))
    }
}

string_form!(NetworkMode);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IpcMode {
    /// Its own namespace (docker's default, `private`).
    #[default]
    Private,
    /// Its own namespace with /dev/shm on a host tmpfs others can join.
    Shareable,
    /// Its own namespace without /dev/shm.
    None,
    Host,
    Container(String),
}

impl FromStr for IpcMode {
    type Err = Error;

    fn from_str(s: &str) -> Result<IpcMode> {
        Ok(match s {
            "" | "private" => IpcMode::Private,
            "shareable" => IpcMode::Shareable,
            "none" => IpcMode::None,
            "host" => IpcMode::Host,
            s => match container_of(s) {
                Some(c) if !c.is_empty() => IpcMode::Container(c.to_string()),
                _ => return Err(Error::invalid(format!("invalid IPC mode: {s}"))),
            },
        })
    }
}

impl fmt::Display for IpcMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpcMode::Private => f.write_str("private"),
            IpcMode::Shareable => f.write_str("shareable"),
            IpcMode::None => f.write_str("none"),
            IpcMode::Host => f.write_str("host"),
            IpcMode::Container(c) => write!(f, "container:{c}"),
        }
    }
}

string_form!(IpcMode);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum PidMode {
    /// Its own namespace (docker's "").
    #[default]
    Private,
    Host,
    Container(String),
}

impl FromStr for PidMode {
    type Err = Error;

    fn from_str(s: &str) -> Result<PidMode> {
        Ok(match s {
            "" => PidMode::Private,
            "host" => PidMode::Host,
            s => match container_of(s) {
                Some(c) if !c.is_empty() => PidMode::Container(c.to_string()),
                _ => return Err(Error::invalid(format!("invalid PID mode: {s}"))),
            },
        })
    }
}

impl fmt::Display for PidMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PidMode::Private => Ok(()),
            PidMode::Host => f.write_str("host"),
            PidMode::Container(c) => write!(f, "container:{c}"),
        }
    }
}

string_form!(PidMode);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UtsMode {
    /// Its own namespace (docker's "").
    #[default]
    Private,
    Host,
}

impl FromStr for UtsMode {
    type Err = Error;

    fn from_str(s: &str) -> Result<UtsMode> {
        match s {
            "" => Ok(UtsMode::Private),
            "host" => Ok(UtsMode::Host),
            s => Err(Error::invalid(format!("invalid UTS mode: {s}"))),
        }
    }
}

impl fmt::Display for UtsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UtsMode::Private => Ok(()),
            UtsMode::Host => f.write_str("host"),
        }
    }
}

string_form!(UtsMode);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CgroupnsMode {
    /// Not chosen: creation picks docker's default for the host (private on
    /// cgroup v2, the host's on v1).
    #[default]
    Unset,
    Private,
    Host,
}

impl FromStr for CgroupnsMode {
    type Err = Error;

    fn from_str(s: &str) -> Result<CgroupnsMode> {
        match s {
            "" => Ok(CgroupnsMode::Unset),
            "private" => Ok(CgroupnsMode::Private),
            "host" => Ok(CgroupnsMode::Host),
            s => Err(Error::invalid(format!(
                "invalid cgroup namespace mode: {s}"
            ))),
        }
    }
}

impl fmt::Display for CgroupnsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CgroupnsMode::Unset => "",
            CgroupnsMode::Private => "private",
            CgroupnsMode::Host => "host",
        })
    }
}

string_form!(CgroupnsMode);

impl IpcMode {
    pub fn container(&self) -> Option<&str> {
        match self {
            IpcMode::Container(c) => Some(c),
            _ => None,
        }
    }
}

impl PidMode {
    pub fn container(&self) -> Option<&str> {
        match self {
            PidMode::Container(c) => Some(c),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_strings_both_ways() {
        for s in ["none", "host", "bridge", "app", "container:web"] {
            assert_eq!(s.parse::<NetworkMode>().unwrap().to_string(), s);
        }
        assert_eq!(
            "default".parse::<NetworkMode>().unwrap(),
            NetworkMode::default()
        );
        assert!("container:".parse::<NetworkMode>().is_err());
        for s in ["private", "shareable", "none", "host", "container:db"] {
            assert_eq!(s.parse::<IpcMode>().unwrap().to_string(), s);
        }
        assert_eq!("".parse::<IpcMode>().unwrap(), IpcMode::Private);
        assert_eq!(
            "bogus".parse::<IpcMode>().unwrap_err().message(),
            "invalid IPC mode: bogus"
        );
        assert_eq!("".parse::<PidMode>().unwrap().to_string(), "");
        assert_eq!(
            "container:x".parse::<PidMode>().unwrap().container(),
            Some("x")
        );
        assert!("container:".parse::<PidMode>().is_err());
        assert!("bogus".parse::<UtsMode>().is_err());
        assert_eq!(
            serde_json::to_string(&CgroupnsMode::Private).unwrap(),
            "\"private\""
        );
        let m: IpcMode = serde_json::from_str("null").unwrap();
        assert_eq!(m, IpcMode::Private);
    }
}
