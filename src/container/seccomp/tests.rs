use super::*;
use crate::error::ErrorKind;
use oci_spec::runtime::LinuxSeccompArg;
use oci_spec::runtime::LinuxSeccompOperator as Op;

const EPERM: u32 = 1;
const ENOSYS: u32 = 38;

fn amd64() -> Host {
    Host {
        name: "amd64",
        arch: Some(Arch::ScmpArchX86_64),
        kernel: Some((6, 8)),
    }
}

fn arm64() -> Host {
    Host {
        name: "arm64",
        arch: Some(Arch::ScmpArchAarch64),
        kernel: Some((6, 8)),
    }
}

/// docker's (and berth's) default capability set.
fn default_caps() -> Vec<String> {
    crate::container::caps::DEFAULT_CAPS
        .iter()
        .map(|c| c.to_string())
        .collect()
}

fn with_cap(cap: &str) -> Vec<String> {
    let mut caps = default_caps();
    caps.push(cap.to_string());
    caps
}

#[derive(Debug, PartialEq)]
enum Verdict {
    Allow,
    Errno(u32),
    Other(LinuxSeccompAction),
}

/// What the filter does with `name(args...)`: the first rule for the name
/// whose argument comparisons all hold, else the default action. Our
/// profiles never give one call two different actions, so order is moot.
fn verdict(p: &LinuxSeccomp, name: &str, args: &[u64]) -> Verdict {
    let arg = |i: usize| args.get(i).copied().unwrap_or(0);
    let holds = |a: &LinuxSeccompArg| {
        let x = arg(a.index());
        match a.op() {
            Op::ScmpCmpNe => x != a.value(),
            Op::ScmpCmpLt => x < a.value(),
            Op::ScmpCmpLe => x <= a.value(),
            Op::ScmpCmpEq => x == a.value(),
            Op::ScmpCmpGe => x >= a.value(),
            Op::ScmpCmpGt => x > a.value(),
            Op::ScmpCmpMaskedEq => x & a.value() == a.value_two().unwrap_or(0),
        }
    };
    let rule = p
        .syscalls()
        .iter()
        .flatten()
        .find(|s| s.names().iter().any(|n| n == name) && s.args().iter().flatten().all(holds));
    let (action, errno) = match rule {
        Some(s) => (s.action(), s.errno_ret()),
        None => (p.default_action(), p.default_errno_ret()),
    };
    match action {
        LinuxSeccompAction::ScmpActAllow => Verdict::Allow,
        LinuxSeccompAction::ScmpActErrno => Verdict::Errno(errno.unwrap_or(EPERM)),
        other => Verdict::Other(other),
    }
}

const THREAD_FLAGS: u64 = 0x003d_0f00; // what glibc's pthread_create passes
const CLONE_NEWUSER: u64 = 0x1000_0000;
const CLONE_NEWNET: u64 = 0x4000_0000;

#[test]
fn default_denies_calls_that_reach_past_the_container() {
    let p = default_for(&amd64(), &default_caps()).unwrap();
    assert_eq!(p.default_action(), LinuxSeccompAction::ScmpActErrno);
    assert_eq!(p.default_errno_ret(), Some(EPERM));
    let names = "\
        mount umount umount2 unshare setns pivot_root keyctl add_key request_key \
        kexec_load kexec_file_load init_module finit_module delete_module reboot \
        swapon swapoff acct settimeofday clock_settime stime bpf perf_event_open \
        open_by_handle_at quotactl syslog iopl ioperm lookup_dcookie userfaultfd \
        fsopen fsconfig fsmount fspick move_mount open_tree mount_setattr vm86 \
        nfsservctl io_uring_setup kcmp process_madvise vhangup mbind sethostname \
        fanotify_init";
    for name in names.split_whitespace() {
        assert_eq!(verdict(&p, name, &[]), Verdict::Errno(EPERM), "{name}");
    }
}

#[test]
fn default_allows_what_programs_need() {
    let p = default_for(&amd64(), &default_caps()).unwrap();
    // ptrace on kernels from 4.8; chroot with the default CAP_SYS_CHROOT
    let names = "\
        read write openat execve mmap futex exit_group rt_sigaction epoll_wait \
        accept4 getrandom statx clock_gettime adjtimex ptrace process_vm_readv chroot \
        arch_prctl modify_ldt";
    for name in names.split_whitespace() {
        assert_eq!(verdict(&p, name, &[]), Verdict::Allow, "{name}");
    }
    assert_eq!(verdict(&p, "clone", &[THREAD_FLAGS]), Verdict::Allow);
    assert_eq!(verdict(&p, "clone", &[0x11]), Verdict::Allow); // fork: SIGCHLD
    for flags in [
        CLONE_NEWUSER,
        CLONE_NEWNET,
        0x0002_0000,
        THREAD_FLAGS | 0x2000_0000,
    ] {
        assert_eq!(
            verdict(&p, "clone", &[flags]),
            Verdict::Errno(EPERM),
            "{flags:#x}"
        );
    }
    assert_eq!(verdict(&p, "clone3", &[]), Verdict::Errno(ENOSYS));
}

#[test]
fn default_filters_socket_families_and_personalities() {
    let p = default_for(&amd64(), &default_caps()).unwrap();
    for family in [1, 2, 10, 16, 17, 37, 39, 41, 44] {
        assert_eq!(
            verdict(&p, "socket", &[family]),
            Verdict::Allow,
            "AF {family}"
        );
    }
    // AF_ALG and AF_VSOCK
    for family in [38, 40] {
        assert_eq!(
            verdict(&p, "socket", &[family]),
            Verdict::Errno(EPERM),
            "AF {family}"
        );
    }
    for persona in [0x0, 0x8, 0x2_0000, 0x2_0008, 0xffff_ffff] {
        assert_eq!(
            verdict(&p, "personality", &[persona]),
            Verdict::Allow,
            "{persona:#x}"
        );
    }
    // ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC
    for persona in [0x4_0000, 0x40_0000] {
        assert_eq!(
            verdict(&p, "personality", &[persona]),
            Verdict::Errno(EPERM)
        );
    }
}

#[test]
fn cap_sys_admin_opens_mounts_and_namespaces() {
    let p = default_for(&amd64(), &with_cap("CAP_SYS_ADMIN")).unwrap();
    for name in [
        "mount",
        "umount2",
        "unshare",
        "setns",
        "bpf",
        "fsopen",
        "sethostname",
    ] {
        assert_eq!(verdict(&p, name, &[]), Verdict::Allow, "{name}");
    }
    assert_eq!(
        verdict(&p, "clone", &[CLONE_NEWUSER | CLONE_NEWNET]),
        Verdict::Allow
    );
    assert_eq!(verdict(&p, "clone3", &[]), Verdict::Allow);
    // still denied: no capability unlocks them in the default profile
    for name in [
        "keyctl",
        "kexec_load",
        "pivot_root",
        "reboot",
        "init_module",
    ] {
        assert_eq!(verdict(&p, name, &[]), Verdict::Errno(EPERM), "{name}");
    }
}

#[test]
fn each_capability_unlocks_its_calls() {
    let cases = [
        ("CAP_SYS_BOOT", "reboot"),
        ("CAP_SYS_MODULE", "finit_module"),
        ("CAP_SYS_PACCT", "acct"),
        ("CAP_SYS_PTRACE", "kcmp"),
        ("CAP_SYS_RAWIO", "iopl"),
        ("CAP_SYS_TIME", "clock_settime"),
        ("CAP_SYS_TTY_CONFIG", "vhangup"),
        ("CAP_SYS_NICE", "set_mempolicy"),
        ("CAP_SYSLOG", "syslog"),
        ("CAP_BPF", "bpf"),
        ("CAP_PERFMON", "perf_event_open"),
        ("CAP_DAC_READ_SEARCH", "open_by_handle_at"),
    ];
    for (cap, name) in cases {
        let p = default_for(&amd64(), &with_cap(cap)).unwrap();
        assert_eq!(verdict(&p, name, &[]), Verdict::Allow, "{cap} {name}");
        assert_eq!(verdict(&p, "mount", &[]), Verdict::Errno(EPERM), "{cap}");
    }
    // chroot goes when CAP_SYS_CHROOT is dropped
    let caps: Vec<String> = default_caps()
        .into_iter()
        .filter(|c| c != "CAP_SYS_CHROOT")
        .collect();
    let p = default_for(&amd64(), &caps).unwrap();
    assert_eq!(verdict(&p, "chroot", &[]), Verdict::Errno(EPERM));
}

#[test]
fn ptrace_needs_kernel_4_8() {
    let old = Host {
        kernel: Some((4, 4)),
        ..amd64()
    };
    let p = default_for(&old, &default_caps()).unwrap();
    assert_eq!(verdict(&p, "ptrace", &[]), Verdict::Errno(EPERM));
    let p = default_for(&old, &with_cap("CAP_SYS_PTRACE")).unwrap();
    assert_eq!(verdict(&p, "ptrace", &[]), Verdict::Allow);
}

#[test]
fn default_architectures_follow_the_host() {
    let p = default_for(&amd64(), &default_caps()).unwrap();
    assert_eq!(
        p.architectures().as_deref(),
        Some(&[Arch::ScmpArchX86_64, Arch::ScmpArchX86, Arch::ScmpArchX32][..])
    );
    let p = default_for(&arm64(), &default_caps()).unwrap();
    assert_eq!(
        p.architectures().as_deref(),
        Some(&[Arch::ScmpArchAarch64, Arch::ScmpArchArm][..])
    );
    assert_eq!(verdict(&p, "set_tls", &[]), Verdict::Allow);
    assert_eq!(verdict(&p, "arch_prctl", &[]), Verdict::Errno(EPERM));
    assert_eq!(
        verdict(&p, "clone", &[CLONE_NEWUSER]),
        Verdict::Errno(EPERM)
    );
}

#[test]
fn allowlist_has_no_duplicates_and_known_size() {
    let rules = default_data::rules();
    let names = &rules[0].names;
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        names.len(),
        "duplicate names in the allowlist"
    );
    assert_eq!(names.len(), 360);
    for gated in [
        "clone",
        "clone3",
        "socket",
        "personality",
        "ptrace",
        "mount",
        "chroot",
    ] {
        assert!(
            !names.iter().any(|n| n == gated),
            "{gated} must be filtered"
        );
    }
}

#[test]
fn public_default_profile_runs_on_this_host() {
    let p = default_profile(&default_caps()).unwrap();
    assert_eq!(verdict(&p, "read", &[]), Verdict::Allow);
    assert_eq!(verdict(&p, "mount", &[]), Verdict::Errno(EPERM));
}

const DOCKER_FORMAT: &str = r#"{
    "defaultAction": "SCMP_ACT_ERRNO",
    "defaultErrnoRet": 1,
    "archMap": [
        {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]},
        {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": null}
    ],
    "syscalls": [
        {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW", "comment": "ignored"},
        {"name": "getpid", "action": "SCMP_ACT_ALLOW"},
        {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
        {"names": ["chroot"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
        {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64"]}},
        {"names": ["set_tls"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm64"]}},
        {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "5.10"}},
        {"names": ["kcmp"], "action": "SCMP_ACT_ALLOW", "excludes": {"minKernel": "5.10"}},
        {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
        {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}
    ]
}"#;

fn names(p: &LinuxSeccomp) -> Vec<String> {
    p.syscalls()
        .iter()
        .flatten()
        .flat_map(|s| s.names().clone())
        .collect()
}

#[test]
fn docker_format_decides_conditions_for_host_and_caps() {
    let p = parse(DOCKER_FORMAT.as_bytes())
        .unwrap()
        .resolve(&amd64(), &default_caps())
        .unwrap();
    assert_eq!(
        p.architectures().as_deref(),
        Some(&[Arch::ScmpArchX86_64, Arch::ScmpArchX86][..])
    );
    assert_eq!(
        names(&p),
        [
            "read",
            "write",
            "getpid",
            "chroot",
            "arch_prctl",
            "ptrace",
            "clone",
            "clone3"
        ]
    );
    let clone = p
        .syscalls()
        .iter()
        .flatten()
        .find(|s| s.names() == &["clone"])
        .unwrap();
    let arg = clone.args().as_ref().unwrap()[0];
    assert_eq!(
        (arg.index(), arg.value(), arg.value_two()),
        (0, 0x7E02_0000, Some(0))
    );
    assert_eq!(arg.op(), Op::ScmpCmpMaskedEq);
    assert_eq!(verdict(&p, "clone3", &[]), Verdict::Errno(ENOSYS));

    let old_arm = Host {
        kernel: Some((5, 4)),
        ..arm64()
    };
    let p = parse(DOCKER_FORMAT.as_bytes())
        .unwrap()
        .resolve(&old_arm, &with_cap("sys_admin"))
        .unwrap();
    assert_eq!(
        p.architectures().as_deref(),
        Some(&[Arch::ScmpArchAarch64][..])
    );
    assert_eq!(
        names(&p),
        [
            "read", "write", "getpid", "mount", "set_tls", "kcmp", "clone", "clone3"
        ]
    );
}

#[test]
fn oci_format_passes_through() {
    let oci = r#"{
        "defaultAction": "SCMP_ACT_KILL_PROCESS",
        "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X32"],
        "flags": ["SECCOMP_FILTER_FLAG_LOG"],
        "listenerPath": "/run/agent.sock",
        "listenerMetadata": "meta",
        "syscalls": [
            {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
            {"names": ["socket"], "action": "SCMP_ACT_ERRNO", "errnoRet": 97,
             "args": [{"index": 0, "value": 10, "op": "SCMP_CMP_EQ"}]},
            {"names": ["write"], "action": "SCMP_ACT_LOG"}
        ]
    }"#;
    let want: LinuxSeccomp = serde_json::from_str(oci).unwrap();
    let got = parse(oci.as_bytes())
        .unwrap()
        .resolve(&amd64(), &[])
        .unwrap();
    assert_eq!(got, want);
    assert_eq!(verdict(&got, "socket", &[10]), Verdict::Errno(97));
    assert_eq!(
        verdict(&got, "openat", &[]),
        Verdict::Other(LinuxSeccompAction::ScmpActKillProcess)
    );
}

#[test]
fn no_flags_stays_none_and_empty_flags_stay_empty() {
    // runc adds SPEC_ALLOW only when flags are absent
    let p = from_json(br#"{"defaultAction": "SCMP_ACT_ALLOW"}"#, &[]).unwrap();
    assert_eq!(p.flags(), &None);
    let p = from_json(br#"{"defaultAction": "SCMP_ACT_ALLOW", "flags": []}"#, &[]).unwrap();
    assert_eq!(p.flags(), &Some(vec![]));
}

fn error_of(json: &str) -> String {
    let err = from_json(json.as_bytes(), &default_caps()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{}", err.message());
    err.message().to_string()
}

#[test]
fn bad_profiles_are_errors_that_say_what_is_wrong() {
    let cases = [
        ("{\"defaultAction\": ", "not valid JSON"),
        ("[1, 2]", "not a seccomp profile"),
        (r#"{"defaultAction": 5}"#, "not a seccomp profile"),
        (r#"{"syscalls": []}"#, "defaultAction is missing"),
        (
            r#"{"defaultAction": "SCMP_ACT_NOPE"}"#,
            r#"unknown action "SCMP_ACT_NOPE""#,
        ),
        (
            r#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "ALLOW"}]}"#,
            r#"syscalls[0]: unknown action "ALLOW""#,
        ),
        (
            r#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"},
               {"names": ["x"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_ABOUT"}]}]}"#,
            r#"syscalls[1]: args[0]: unknown operator "SCMP_CMP_ABOUT""#,
        ),
        (
            r#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["x"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 6, "op": "SCMP_CMP_EQ"}]}]}"#,
            "args[0]: index 6 is out of range",
        ),
        (
            r#"{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_Z80"]}"#,
            r#"unknown architecture "SCMP_ARCH_Z80""#,
        ),
        (
            r#"{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86"], "archMap": [{"architecture": "SCMP_ARCH_X86_64"}]}"#,
            "both architectures and archMap",
        ),
        (
            r#"{"defaultAction": "SCMP_ACT_ERRNO", "flags": ["SECCOMP_FILTER_FLAG_FAST"]}"#,
            "unknown flag",
        ),
        (
            r#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"name": "a", "names": ["b"], "action": "SCMP_ACT_ALLOW"}]}"#,
            "syscalls[0]: both name and names",
        ),
        (
            r#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"]}]}"#,
            "syscalls[0]: no action",
        ),
        (
            r#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": [""], "action": "SCMP_ACT_ALLOW"}]}"#,
            "empty syscall name",
        ),
        (
            r#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8.1"}}]}"#,
            r#"syscalls[0]: includes: minKernel "4.8.1""#,
        ),
        (
            r#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ALLOW", "excludes": {"minKernel": "0.0"}}]}"#,
            r#"syscalls[0]: excludes: minKernel "0.0""#,
        ),
    ];
    for (json, want) in cases {
        let got = error_of(json);
        assert!(got.contains(want), "{json}\n  got: {got}\n  want: {want}");
    }
}

#[test]
fn min_kernel_without_a_known_kernel_is_an_error() {
    let host = Host {
        kernel: None,
        ..amd64()
    };
    let json = r#"{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
        {"names": ["a"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}}]}"#;
    let err = parse(json.as_bytes())
        .unwrap()
        .resolve(&host, &[])
        .unwrap_err();
    assert!(
        err.message().starts_with("syscalls[0]: minKernel"),
        "{}",
        err.message()
    );
}

#[test]
fn kernel_release_strings() {
    assert_eq!(parse_release("6.8.0-45-generic\n"), Some((6, 8)));
    assert_eq!(
        parse_release("5.15.153.1-microsoft-standard-WSL2"),
        Some((5, 15))
    );
    assert_eq!(parse_release("4.19-rc1"), Some((4, 19)));
    assert_eq!(parse_release("garbage"), None);
}
