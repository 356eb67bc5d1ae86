//! Detach keys (`--detach-keys`, docker's default ctrl-p ctrl-q): parsing
//! docker's notation and spotting the sequence in what the user types.
//! Bytes that start the sequence are held back until it is clear whether
//! they finish it; if not, they go on to the container unchanged.

use crate::error::{Error, Result};

/// docker's default: ctrl-p, ctrl-q.
pub const DEFAULT: &str = "ctrl-p,ctrl-q";

/// A parsed key sequence (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetachKeys(Vec<u8>);

impl DetachKeys {
    /// docker's notation: comma-separated keys, each a single character or
    /// `ctrl-X` with X one of `a`–`z`, `@`, `[`, `\`, `]`, `^`, `_`.
    pub fn parse(keys: &str) -> Result<DetachKeys> {
        let bad = || Error::invalid(format!("Invalid escape keys ({keys}) provided"));
        let mut codes = Vec::new();
        for key in keys.split(',') {
            if key.len() == 1 {
                codes.push(key.as_bytes()[0]);
                continue;
            }
            let lower = key.to_ascii_lowercase();
            let Some(c) = lower.strip_prefix("ctrl-") else {
                return Err(bad());
            };
            let code = match c.as_bytes() {
                [b @ b'a'..=b'z'] => b - b'a' + 1,
                [b'@'] => 0,
                [b'['] => 27,
                [b'\\'] => 28,
                [b']'] => 29,
                [b'^'] => 30,
                [b'_'] => 31,
                _ => return Err(bad()),
            };
            codes.push(code);
        }
        if codes.is_empty() {
            return Err(bad());
        }
        Ok(DetachKeys(codes))
    }

    /// The sequence given, else the configured one, else docker's default.
    pub fn choose(flag: Option<&str>, configured: Option<&str>) -> Result<DetachKeys> {
        DetachKeys::parse(flag.or(configured).unwrap_or(DEFAULT))
    }
}

/// docker's `detachKeys` from its config.json (`--config`,
/// `DOCKER_CONFIG`, `~/.docker`), if set.
pub fn configured() -> Option<String> {
    let path = crate::image::registry::login::config_dir().join("config.json");
    let text = std::fs::read(path).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&text).ok()?;
    v.get("detachKeys")?.as_str().map(str::to_string)
}

/// Watches input for the detach sequence.
#[derive(Debug)]
pub struct Escape {
    keys: DetachKeys,
    /// How much of the sequence the input has matched so far (held back).
    matched: usize,
}

/// What a chunk of input comes to.
#[derive(Debug, PartialEq, Eq)]
pub enum Filtered {
    /// Bytes to pass on (possibly none, when they may start the sequence).
    Pass(Vec<u8>),
    /// The sequence was typed: pass these bytes (those before it), then detach.
    Detach(Vec<u8>),
}

impl Escape {
    pub fn new(keys: DetachKeys) -> Escape {
        Escape { keys, matched: 0 }
    }

    pub fn feed(&mut self, input: &[u8]) -> Filtered {
        let seq = &self.keys.0;
        let mut out = Vec::with_capacity(input.len());
        for &b in input {
            if b == seq[self.matched] {
                self.matched += 1;
                if self.matched == seq.len() {
                    self.matched = 0;
                    return Filtered::Detach(out);
                }
                continue;
            }
            // The held-back prefix was not the sequence after all; this
            // byte may start it again.
            out.extend_from_slice(&seq[..self.matched]);
            self.matched = 0;
            if b == seq[0] {
                self.matched = 1;
                if seq.len() == 1 {
                    self.matched = 0;
                    return Filtered::Detach(out);
                }
            } else {
                out.push(b);
            }
        }
        Filtered::Pass(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dockers_notation() {
        assert_eq!(DetachKeys::parse(DEFAULT).unwrap().0, vec![16, 17]);
        assert_eq!(DetachKeys::parse("ctrl-a,x").unwrap().0, vec![1, b'x']);
        assert_eq!(
            DetachKeys::parse("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_,CTRL-Z")
                .unwrap()
                .0,
            vec![0, 27, 28, 29, 30, 31, 26]
        );
        for bad in ["bogus", "", "ctrl-", "ctrl-1", "a,,b", "ctrl-ab"] {
            let e = DetachKeys::parse(bad).unwrap_err();
            assert_eq!(e.message(), format!("Invalid escape keys ({bad}) provided"));
        }
    }

    #[test]
    fn the_sequence_detaches_and_other_bytes_pass_unchanged() {
        let mut e = Escape::new(DetachKeys::parse(DEFAULT).unwrap());
        assert_eq!(e.feed(b"ls\r"), Filtered::Pass(b"ls\r".to_vec()));
        // Split across reads: the first key is held back, then detaches.
        assert_eq!(e.feed(b"ab\x10"), Filtered::Pass(b"ab".to_vec()));
        assert_eq!(e.feed(b"\x11rest"), Filtered::Detach(vec![]));
        // A start that does not finish goes through with what follows.
        let mut e = Escape::new(DetachKeys::parse(DEFAULT).unwrap());
        assert_eq!(e.feed(b"\x10"), Filtered::Pass(vec![]));
        assert_eq!(e.feed(b"x"), Filtered::Pass(b"\x10x".to_vec()));
        // ctrl-p ctrl-p ctrl-q: the first is passed, the last two detach.
        assert_eq!(e.feed(b"\x10\x10\x11"), Filtered::Detach(b"\x10".to_vec()));
        let mut e = Escape::new(DetachKeys::parse("x").unwrap());
        assert_eq!(e.feed(b"abxc"), Filtered::Detach(b"ab".to_vec()));
    }
}
