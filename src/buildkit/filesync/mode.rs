//! fsutil carries Go's `os.FileMode` bits, not st_mode.

pub const DIR: u32 = 1 << 31;
pub const SYMLINK: u32 = 1 << 27;
pub const DEVICE: u32 = 1 << 26;
pub const NAMED_PIPE: u32 = 1 << 25;
pub const SOCKET: u32 = 1 << 24;
pub const SETUID: u32 = 1 << 23;
pub const SETGID: u32 = 1 << 22;
pub const CHAR_DEVICE: u32 = 1 << 21;
pub const STICKY: u32 = 1 << 20;

/// st_mode -> Go FileMode.
pub fn to_go(st_mode: u32) -> u32 {
    let mut m = st_mode & 0o777;
    m |= match st_mode & libc::S_IFMT {
        libc::S_IFDIR => DIR,
        libc::S_IFLNK => SYMLINK,
        libc::S_IFBLK => DEVICE,
        libc::S_IFCHR => DEVICE | CHAR_DEVICE,
        libc::S_IFIFO => NAMED_PIPE,
        libc::S_IFSOCK => SOCKET,
        _ => 0,
    };
    if st_mode & libc::S_ISUID != 0 {
        m |= SETUID;
    }
    if st_mode & libc::S_ISGID != 0 {
        m |= SETGID;
    }
    if st_mode & libc::S_ISVTX != 0 {
        m |= STICKY;
    }
    m
}

/// Go FileMode -> permission bits for chmod (with setuid/setgid/sticky).
pub fn to_perm(go: u32) -> u32 {
    let mut m = go & 0o777;
    if go & SETUID != 0 {
        m |= libc::S_ISUID;
    }
    if go & SETGID != 0 {
        m |= libc::S_ISGID;
    }
    if go & STICKY != 0 {
        m |= libc::S_ISVTX;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        assert_eq!(to_go(libc::S_IFDIR | 0o755), DIR | 0o755);
        assert_eq!(to_go(libc::S_IFREG | 0o4755), SETUID | 0o755);
        assert_eq!(to_go(libc::S_IFCHR | 0o666), DEVICE | CHAR_DEVICE | 0o666);
        assert_eq!(
            to_perm(SETGID | STICKY | 0o750),
            libc::S_ISGID | libc::S_ISVTX | 0o750
        );
    }
}
