//! `Snapshots/Commit` with a parent (field 5 of CommitSnapshotRequest,
//! containerd 2.2+ with a snapshotter advertising `rebase`): an active
//! snapshot prepared without a parent is committed on top of one. The
//! generated client predates the field, so the message is declared here.

use std::collections::HashMap;

use crate::client::Client;

#[derive(Clone, PartialEq, prost::Message)]
struct CommitSnapshotRequest {
    #[prost(string, tag = "1")]
    snapshotter: String,
    #[prost(string, tag = "2")]
    name: String,
    #[prost(string, tag = "3")]
    key: String,
    #[prost(map = "string, string", tag = "4")]
    labels: HashMap<String, String>,
    #[prost(string, tag = "5")]
    parent: String,
}

/// The response carries nothing berth reads.
#[derive(Clone, PartialEq, prost::Message)]
struct Empty {}

const COMMIT: &str = "/containerd.services.snapshots.v1.Snapshots/Commit";

/// Commits active snapshot `key` as `name` on top of `parent`.
pub async fn commit_with_parent(
    client: &Client,
    key: &str,
    name: &str,
    parent: &str,
) -> std::result::Result<(), tonic::Status> {
    let mut grpc = tonic::client::Grpc::new(client.raw_service());
    grpc.ready()
        .await
        .map_err(|e| tonic::Status::unavailable(e.to_string()))?;
    let req = CommitSnapshotRequest {
        snapshotter: client.snapshotter().to_string(),
        name: name.to_string(),
        key: key.to_string(),
        labels: HashMap::new(),
        parent: parent.to_string(),
    };
    let path = tonic::codegen::http::uri::PathAndQuery::from_static(COMMIT);
    let codec = tonic_prost::ProstCodec::<CommitSnapshotRequest, Empty>::default();
    grpc.unary(tonic::Request::new(req), path, codec).await?;
    Ok(())
}
