//! Integration tests: the real `berth` binary against the real containerd
//! that `scripts/testenv up` starts, each test in a namespace of its own.
//! One test binary (one link step) for every verb's tests.

mod common;

mod archive;
mod archive_legacy;
mod attach;
mod build;
mod build_flags;
mod build_outputs;
mod ci;
mod cli;
mod commit;
mod completion;
mod config;
mod cp;
mod cri_logs;
mod detached;
mod events;
mod exec;
mod faults;
mod flaky_registry;
mod health;
mod hosts;
mod images;
mod inspect;
mod jenkins;
mod k8s_node;
mod lifecycle;
mod links;
mod login;
mod model;
mod network;
mod network_connect;
mod network_endpoint;
mod network_ipam;
mod network_more;
mod ps;
mod pull;
mod push;
mod resources;
mod restart;
mod rm;
mod run;
mod run_attach;
mod run_files;
mod run_runtime;
mod security;
mod sizes_tags;
mod stats;
mod system;
mod token_registry;
mod volumes;
