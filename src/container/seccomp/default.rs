//! The data of berth's default seccomp profile: which system calls a
//! container may make when the user names no profile.
//!
//! The effect matches docker's default profile: everything not listed fails
//! with EPERM; ordinary programs find every call they need; calls that reach
//! past the container (kernel modules, the clock, mounts, namespaces, kernel
//! keyrings, tracing and BPF) are allowed only with the capability the kernel
//! itself would check. Names unknown on an architecture are harmless: runc
//! skips names libseccomp cannot resolve.

use oci_spec::runtime::{Arch, LinuxSeccompAction, LinuxSeccompOperator};

use super::{Condition, Rule, arg};

/// Files: opening, reading and writing, and the descriptors that name them.
#[rustfmt::skip]
const FILE_IO: &[&str] = &[
    "open", "openat", "openat2", "creat", "close", "close_range",
    "read", "readv", "pread64", "preadv", "preadv2",
    "write", "writev", "pwrite64", "pwritev", "pwritev2",
    "lseek", "_llseek", "dup", "dup2", "dup3", "fcntl", "fcntl64", "ioctl", "flock",
    "fsync", "fdatasync", "sync", "syncfs", "sync_file_range",
    "fallocate", "fadvise64", "fadvise64_64", "readahead", "cachestat",
    "truncate", "truncate64", "ftruncate", "ftruncate64",
    // zero-copy transfers between descriptors
    "copy_file_range", "sendfile", "sendfile64", "splice", "tee", "vmsplice",
];

/// The file tree: looking at it and changing names, modes and owners. The
/// kernel's own permission checks (and the capability set) still apply.
#[rustfmt::skip]
const FILE_TREE: &[&str] = &[
    "stat", "stat64", "lstat", "lstat64", "fstat", "fstat64", "fstatat64", "newfstatat", "statx",
    "statfs", "statfs64", "fstatfs", "fstatfs64",
    "access", "faccessat", "faccessat2", "getcwd", "chdir", "fchdir",
    "getdents", "getdents64", "readlink", "readlinkat",
    "mkdir", "mkdirat", "mknod", "mknodat", "rmdir",
    "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat",
    "unlink", "unlinkat",
    "chmod", "fchmod", "fchmodat", "fchmodat2", "umask",
    "chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32",
    "utime", "utimes", "utimensat", "utimensat_time64", "futimesat",
    // Encoding a handle is harmless; opening one (open_by_handle_at) can
    // escape the container's root and needs CAP_DAC_READ_SEARCH below.
    "name_to_handle_at",
    // read-only views of the mount table (the container's own namespace)
    "statmount", "listmount",
];

/// Extended attributes.
#[rustfmt::skip]
const XATTRS: &[&str] = &[
    "getxattr", "lgetxattr", "fgetxattr", "getxattrat",
    "setxattr", "lsetxattr", "fsetxattr", "setxattrat",
    "listxattr", "llistxattr", "flistxattr", "listxattrat",
    "removexattr", "lremovexattr", "fremovexattr", "removexattrat",
];

/// Waiting on descriptors, change notification and asynchronous I/O.
/// io_uring stays out: it has been a steady source of kernel exploits.
#[rustfmt::skip]
const EVENTS: &[&str] = &[
    "poll", "ppoll", "ppoll_time64", "select", "_newselect", "pselect6", "pselect6_time64",
    "epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old",
    "epoll_wait", "epoll_wait_old", "epoll_pwait", "epoll_pwait2",
    "eventfd", "eventfd2", "pipe", "pipe2",
    "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch",
    // marks only; creating the fanotify group needs CAP_SYS_ADMIN
    "fanotify_mark",
    "io_setup", "io_destroy", "io_submit", "io_cancel",
    "io_getevents", "io_pgetevents", "io_pgetevents_time64",
];

/// Memory of the calling process.
#[rustfmt::skip]
const MEMORY: &[&str] = &[
    "brk", "mmap", "mmap2", "munmap", "mremap", "mprotect", "madvise", "mincore", "msync",
    "mlock", "mlock2", "mlockall", "munlock", "munlockall", "remap_file_pages",
    "membarrier", "memfd_create", "memfd_secret", "mseal", "map_shadow_stack",
    "pkey_alloc", "pkey_free", "pkey_mprotect",
];

/// Starting, running and ending processes and threads. clone and clone3 are
/// not here: they can create namespaces and get their own rules below.
#[rustfmt::skip]
const PROCESSES: &[&str] = &[
    "fork", "vfork", "execve", "execveat", "exit", "exit_group",
    "wait4", "waitid", "waitpid", "kill", "tkill", "tgkill",
    "pidfd_open", "pidfd_send_signal", "process_mrelease",
    "set_tid_address", "set_robust_list", "get_robust_list", "rseq",
    "futex", "futex_time64", "futex_wait", "futex_wake", "futex_requeue", "futex_waitv",
    "get_thread_area", "set_thread_area", "prctl", "seccomp", "restart_syscall",
    // randomness, as from /dev/urandom
    "getrandom",
    // the return path of uretprobes, placed by the kernel itself
    "uretprobe",
    // self-sandboxing
    "landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self",
];

/// Scheduling and priorities; the kernel checks CAP_SYS_NICE for raising them.
#[rustfmt::skip]
const SCHEDULING: &[&str] = &[
    "sched_yield", "sched_getaffinity", "sched_setaffinity", "sched_getattr", "sched_setattr",
    "sched_getparam", "sched_setparam", "sched_getscheduler", "sched_setscheduler",
    "sched_get_priority_max", "sched_get_priority_min",
    "sched_rr_get_interval", "sched_rr_get_interval_time64",
    "getcpu", "getpriority", "setpriority", "ioprio_get", "ioprio_set",
];

/// Who the process is: ids, groups, sessions, capabilities and limits.
#[rustfmt::skip]
const IDENTITY: &[&str] = &[
    "getpid", "getppid", "gettid", "getpgid", "getpgrp", "getsid", "setpgid", "setsid",
    "getuid", "getuid32", "geteuid", "geteuid32", "getgid", "getgid32", "getegid", "getegid32",
    "getresuid", "getresuid32", "getresgid", "getresgid32", "getgroups", "getgroups32",
    "setuid", "setuid32", "setgid", "setgid32", "setreuid", "setreuid32",
    "setregid", "setregid32", "setresuid", "setresuid32", "setresgid", "setresgid32",
    "setgroups", "setgroups32", "setfsuid", "setfsuid32", "setfsgid", "setfsgid32",
    "capget", "capset",
    "getrlimit", "ugetrlimit", "setrlimit", "prlimit64", "getrusage", "times",
    "sysinfo", "uname",
];

/// Signals.
#[rustfmt::skip]
const SIGNALS: &[&str] = &[
    "rt_sigaction", "rt_sigprocmask", "rt_sigpending", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
    "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64",
    "sigaltstack", "sigprocmask", "sigreturn", "signalfd", "signalfd4", "pause", "alarm",
];

/// Reading clocks, sleeping and timers. adjtimex and clock_adjtime are here
/// because they also read the clock state; changing it needs CAP_SYS_TIME,
/// which the kernel checks.
#[rustfmt::skip]
const TIME: &[&str] = &[
    "time", "gettimeofday", "clock_gettime", "clock_gettime64",
    "clock_getres", "clock_getres_time64", "clock_nanosleep", "clock_nanosleep_time64",
    "nanosleep", "getitimer", "setitimer",
    "timer_create", "timer_delete", "timer_getoverrun",
    "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64",
    "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
    "timerfd_settime", "timerfd_settime64",
    "adjtimex", "clock_adjtime", "clock_adjtime64",
];

/// Sockets once created (socket itself is filtered by address family below).
#[rustfmt::skip]
const NETWORK: &[&str] = &[
    "socketpair", "bind", "connect", "listen", "accept", "accept4", "shutdown",
    "getsockname", "getpeername", "getsockopt", "setsockopt",
    "send", "sendto", "sendmsg", "sendmmsg",
    "recv", "recvfrom", "recvmsg", "recvmmsg", "recvmmsg_time64",
    // 32-bit multiplexer: seccomp cannot see its arguments, so the address
    // family filter on socket does not reach it (docker leaves that to its LSM)
    "socketcall",
];

/// System V and POSIX IPC, confined by the container's IPC namespace.
#[rustfmt::skip]
const IPC: &[&str] = &[
    "ipc", "msgget", "msgsnd", "msgrcv", "msgctl",
    "semget", "semop", "semtimedop", "semtimedop_time64", "semctl",
    "shmget", "shmat", "shmdt", "shmctl",
    "mq_open", "mq_unlink", "mq_getsetattr", "mq_notify",
    "mq_timedsend", "mq_timedsend_time64", "mq_timedreceive", "mq_timedreceive_time64",
];

/// Calls that only exist on one architecture family, keyed by libseccomp's
/// names for the host ("amd64", "arm64", ...).
#[rustfmt::skip]
const ARCH_SPECIFIC: &[(&[&str], &[&str])] = &[
    (&["amd64", "x32"], &["arch_prctl"]),
    (&["amd64", "x32", "x86"], &["modify_ldt"]),
    (&["arm", "arm64"], &[
        "arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2",
        "breakpoint", "cacheflush", "set_tls",
    ]),
    (&["ppc64le"], &["sync_file_range2", "swapcontext"]),
    (&["s390", "s390x"], &["s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr"]),
    (&["riscv64"], &["riscv_flush_icache", "riscv_hwprobe"]),
];

/// Calls allowed only when the container holds the capability the kernel
/// checks for them; without it they fail with EPERM, as the kernel would.
#[rustfmt::skip]
const BY_CAPABILITY: &[(&str, &[&str])] = &[
    // Opening a file handle bypasses path lookup, so it can reach files
    // outside the container's root ("shocker").
    ("CAP_DAC_READ_SEARCH", &["open_by_handle_at"]),
    ("CAP_SYS_ADMIN", &[
        // mounts and namespaces
        "mount", "umount", "umount2", "mount_setattr", "move_mount", "open_tree",
        "fsopen", "fsconfig", "fsmount", "fspick", "unshare", "setns", "clone", "clone3",
        "sethostname", "setdomainname",
        // kernel-wide observation and control
        "bpf", "perf_event_open", "fanotify_init", "lookup_dcookie", "syslog",
        "quotactl", "quotactl_fd", "lsm_get_self_attr", "lsm_set_self_attr", "lsm_list_modules",
    ]),
    ("CAP_SYS_BOOT", &["reboot"]),
    ("CAP_SYS_CHROOT", &["chroot"]),
    ("CAP_SYS_MODULE", &["init_module", "finit_module", "delete_module"]),
    ("CAP_SYS_PACCT", &["acct"]),
    ("CAP_SYS_PTRACE", &[
        "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise", "kcmp", "pidfd_getfd",
    ]),
    ("CAP_SYS_RAWIO", &["iopl", "ioperm"]),
    ("CAP_SYS_TIME", &["settimeofday", "stime", "clock_settime", "clock_settime64"]),
    ("CAP_SYS_TTY_CONFIG", &["vhangup"]),
    ("CAP_SYS_NICE", &["mbind", "get_mempolicy", "set_mempolicy", "set_mempolicy_home_node"]),
    ("CAP_SYSLOG", &["syslog"]),
    ("CAP_BPF", &["bpf"]),
    ("CAP_PERFMON", &["perf_event_open"]),
];

/// clone flags that create namespaces: NEWNS, NEWCGROUP, NEWUTS, NEWIPC,
/// NEWUSER, NEWPID and NEWNET.
const CLONE_NAMESPACE_FLAGS: u64 =
    0x0002_0000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000 | 0x1000_0000 | 0x2000_0000 | 0x4000_0000;

/// personality(2) values programs use: PER_LINUX, PER_LINUX32 (plain and
/// with UNAME26) and the 0xffffffff query. Others change how the kernel
/// treats the process (e.g. ADDR_NO_RANDOMIZE switches ASLR off).
const PERSONALITIES: &[u64] = &[0x0, 0x8, 0x2_0000, 0x2_0008, 0xffff_ffff];

const AF_ALG: u64 = 38;
const AF_VSOCK: u64 = 40;
const EPERM: u32 = 1;
const ENOSYS: u32 = 38;

/// The rules, to be filtered for the host and the container's capabilities.
pub(super) fn rules() -> Vec<Rule> {
    let groups = [
        FILE_IO, FILE_TREE, XATTRS, EVENTS, MEMORY, PROCESSES, SCHEDULING, IDENTITY, SIGNALS, TIME,
        NETWORK, IPC,
    ];
    let mut rules = vec![Rule::allow(&groups.concat())];

    // ptrace is safe from kernel 4.8 on, where seccomp is re-checked after
    // the tracer changes a syscall; earlier kernels let a tracee escape.
    rules.push(Rule {
        includes: Condition {
            min_kernel: Some((4, 8)),
            ..Condition::default()
        },
        ..Rule::allow(&["ptrace", "process_vm_readv", "process_vm_writev"])
    });

    // socket for every address family but AF_ALG (the kernel crypto API,
    // see copy.fail) and AF_VSOCK (host/guest sockets). Three rules, not one
    // rule with two conditions: runc splits conditions on one argument into
    // separate rules, which would turn "and" into "or".
    let family = |op, value| Rule {
        args: vec![arg(0, value, op)],
        ..Rule::allow(&["socket"])
    };
    rules.push(family(LinuxSeccompOperator::ScmpCmpLt, AF_ALG));
    rules.push(family(LinuxSeccompOperator::ScmpCmpEq, AF_ALG + 1));
    rules.push(family(LinuxSeccompOperator::ScmpCmpGt, AF_VSOCK));

    for &value in PERSONALITIES {
        rules.push(Rule {
            args: vec![arg(0, value, LinuxSeccompOperator::ScmpCmpEq)],
            ..Rule::allow(&["personality"])
        });
    }

    for (arches, names) in ARCH_SPECIFIC {
        rules.push(Rule {
            includes: Condition::arches(arches),
            ..Rule::allow(names)
        });
    }
    for (cap, names) in BY_CAPABILITY {
        rules.push(Rule {
            includes: Condition::caps(&[*cap]),
            ..Rule::allow(names)
        });
    }
    rules.extend(clone_rules());
    rules
}

/// Without CAP_SYS_ADMIN, clone may make threads and processes but no
/// namespaces, and clone3 says ENOSYS: its flags sit behind a pointer seccomp
/// cannot read, and libc falls back to clone on ENOSYS.
fn clone_rules() -> Vec<Rule> {
    let s390 = ["s390", "s390x"];
    let no_admin = || Condition::caps(&["CAP_SYS_ADMIN"]);
    // MASKED_EQ compares (arg & value) with valueTwo, here left at 0
    let masked = |index| {
        vec![arg(
            index,
            CLONE_NAMESPACE_FLAGS,
            LinuxSeccompOperator::ScmpCmpMaskedEq,
        )]
    };
    vec![
        Rule {
            args: masked(0),
            excludes: Condition {
                arches: strings(&s390),
                ..no_admin()
            },
            ..Rule::allow(&["clone"])
        },
        // s390 passes the stack first and the flags second
        Rule {
            args: masked(1),
            includes: Condition::arches(&s390),
            excludes: no_admin(),
            ..Rule::allow(&["clone"])
        },
        Rule {
            action: LinuxSeccompAction::ScmpActErrno,
            errno_ret: Some(ENOSYS),
            excludes: no_admin(),
            ..Rule::allow(&["clone3"])
        },
    ]
}

/// The default action: EPERM, which programs treat as "not permitted here"
/// rather than as a missing feature.
pub(super) fn default_action() -> (LinuxSeccompAction, u32) {
    (LinuxSeccompAction::ScmpActErrno, EPERM)
}

/// The seccomp architectures a filter on this host covers: the native one
/// plus the compat ABIs its kernel also runs (32-bit x86 and x32 on x86_64,
/// 32-bit ARM on arm64, ...). None: the native architecture alone.
pub(super) fn architectures(native: Arch) -> Option<Vec<Arch>> {
    use Arch::*;
    let all = match native {
        ScmpArchX86_64 => vec![ScmpArchX86_64, ScmpArchX86, ScmpArchX32],
        ScmpArchAarch64 => vec![ScmpArchAarch64, ScmpArchArm],
        ScmpArchS390x => vec![ScmpArchS390x, ScmpArchS390],
        ScmpArchMips64 => vec![ScmpArchMips64, ScmpArchMips, ScmpArchMips64n32],
        ScmpArchMipsel64 => vec![ScmpArchMipsel64, ScmpArchMipsel, ScmpArchMipsel64n32],
        ScmpArchRiscv64 | ScmpArchLoongarch64 => vec![native],
        _ => return None,
    };
    Some(all)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}
