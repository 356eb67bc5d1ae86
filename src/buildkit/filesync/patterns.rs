//! Path patterns as BuildKit sends them for a local source (.dockerignore
//! excludes, include patterns, follow paths), with the semantics of docker's
//! pattern matcher: patterns apply in order, `!` re-includes, a pattern that
//! matches a directory matches everything below it, `*` and `?` stay within
//! one path component, `**` spans any number of them.

use regex::Regex;

#[derive(Debug)]
struct Pattern {
    negated: bool,
    regex: Regex,
    /// The cleaned pattern split into components (for `could_match_below`).
    parts: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Matcher {
    patterns: Vec<Pattern>,
    has_negation: bool,
}

impl Matcher {
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Matcher, String> {
        let mut m = Matcher::default();
        for raw in patterns {
            let mut p = raw.as_ref().trim();
            if p.is_empty() {
                continue;
            }
            let negated = p.starts_with('!');
            if negated {
                p = p[1..].trim();
                if p.is_empty() {
                    return Err("illegal exclusion pattern: \"!\"".to_string());
                }
                m.has_negation = true;
            }
            let cleaned = clean(p);
            let regex = Regex::new(&to_regex(&cleaned))
                .map_err(|e| format!("invalid pattern {:?}: {e}", raw.as_ref()))?;
            let parts = cleaned.split('/').map(str::to_string).collect();
            m.patterns.push(Pattern {
                negated,
                regex,
                parts,
            });
        }
        Ok(m)
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn has_negation(&self) -> bool {
        self.has_negation
    }

    /// Whether `path` (relative, `/`-separated) or one of its parent
    /// directories is matched, after every pattern has had its say.
    pub fn matches(&self, path: &str) -> bool {
        let parents: Vec<&str> = path.split('/').collect();
        let mut matched = false;
        for p in &self.patterns {
            // An exclusion can only undo a match, an inclusion only make one.
            if p.negated != matched {
                continue;
            }
            let mut hit = p.regex.is_match(path);
            if !hit && parents.len() > 1 {
                for i in 1..parents.len() {
                    if p.regex.is_match(&parents[..i].join("/")) {
                        hit = true;
                        break;
                    }
                }
            }
            if hit {
                matched = !p.negated;
            }
        }
        matched
    }

    /// Whether something below directory `dir` could be matched by a
    /// non-negated pattern (used to prune a walk by include patterns).
    pub fn could_match_below(&self, dir: &str) -> bool {
        let comps: Vec<&str> = dir.split('/').collect();
        self.patterns.iter().filter(|p| !p.negated).any(|p| {
            for (i, c) in comps.iter().enumerate() {
                let Some(pc) = p.parts.get(i) else {
                    // The pattern ends above `dir`: dir is inside a match.
                    return p.regex.is_match(&comps[..i].join("/"));
                };
                if pc.contains("**") {
                    return true;
                }
                let one = Regex::new(&to_regex(pc)).expect("component of a valid pattern");
                if !one.is_match(c) {
                    return false;
                }
            }
            true
        })
    }
}

/// Like Go's filepath.Clean for relative patterns; a leading `/` is dropped
/// (patterns are relative to the context root).
fn clean(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|l| *l != "..") {
                    out.pop();
                } else if !p.starts_with('/') {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    if out.is_empty() {
        ".".to_string()
    } else {
        out.join("/")
    }
}

fn to_regex(p: &str) -> String {
    let mut re = String::from("^");
    let chars: Vec<char> = p.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '*' if chars.get(i + 1) == Some(&'*') => {
                i += 1;
                if chars.get(i + 1) == Some(&'/') {
                    i += 1;
                }
                if i + 1 >= chars.len() {
                    re.push_str(".*");
                } else {
                    re.push_str("(.*/)?");
                }
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '\\' => {
                i += 1;
                if let Some(n) = chars.get(i) {
                    re.push_str(&regex::escape(&n.to_string()));
                }
            }
            '[' | ']' | '-' | '^' => re.push(c),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
        i += 1;
    }
    re.push('$');
    re
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &[&str]) -> Matcher {
        Matcher::new(p).unwrap()
    }

    #[test]
    fn dockerignore_semantics() {
        let ig = m(&[
            "*.log",
            "build",
            "!build/keep.txt",
            "**/*.tmp",
            "/docs/*.md",
        ]);
        assert!(ig.matches("a.log"));
        assert!(!ig.matches("dir/a.log"), "* stays in one component");
        assert!(ig.matches("build"));
        assert!(
            ig.matches("build/out.o"),
            "a matched directory covers its contents"
        );
        assert!(!ig.matches("build/keep.txt"), "! re-includes");
        assert!(ig.matches("x.tmp") && ig.matches("a/b/c.tmp"));
        assert!(ig.matches("docs/a.md") && !ig.matches("docs/sub/a.md"));
        assert!(!ig.matches("src/main.rs"));
        assert!(ig.has_negation());
    }

    #[test]
    fn question_mark_classes_and_escapes() {
        let p = m(&["file?.txt", "[ab].c", "lit\\*"]);
        assert!(p.matches("file1.txt") && !p.matches("file10.txt"));
        assert!(p.matches("a.c") && !p.matches("c.c"));
        assert!(p.matches("lit*") && !p.matches("litx"));
    }

    #[test]
    fn include_pruning() {
        let inc = m(&["Dockerfile", "Dockerfile.dockerignore"]);
        assert!(inc.matches("Dockerfile"));
        assert!(!inc.could_match_below("node_modules"));
        let deep = m(&["app/src/**"]);
        assert!(deep.could_match_below("app"));
        assert!(deep.could_match_below("app/src"));
        assert!(deep.could_match_below("app/src/x/y"));
        assert!(!deep.could_match_below("lib"));
    }

    #[test]
    fn bad_pattern() {
        assert!(Matcher::new(&["!"]).is_err());
        assert_eq!(clean("/a/./b/../c/"), "a/c");
    }
}
