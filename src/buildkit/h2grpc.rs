//! A minimal gRPC server on one HTTP/2 connection, for the BuildKit session:
//! inside `Control.Session` buildkitd is the gRPC client and berth serves.
//! Each incoming call becomes a [`Call`] handed to the handler on its own
//! task; messages are length-prefixed protobuf (no compression), the status
//! goes in the trailers. Sending waits for HTTP/2 flow-control capacity, so
//! a large file never piles up in memory.

use std::future::Future;

use bytes::{Buf, Bytes, BytesMut};
use h2::server::SendResponse;
use h2::{RecvStream, SendStream};
use http::{HeaderMap, HeaderValue, Response};
use tokio::io::{AsyncRead, AsyncWrite};

/// gRPC status codes berth returns.
pub const OK: u32 = 0;
pub const UNKNOWN: u32 = 2;
pub const INVALID_ARGUMENT: u32 = 3;
pub const NOT_FOUND: u32 = 5;
pub const UNIMPLEMENTED: u32 = 12;

/// Largest message accepted from buildkitd.
const MAX_MESSAGE: usize = 32 << 20;

#[derive(Debug)]
pub struct CallError(pub String);

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err(e: impl std::fmt::Display) -> CallError {
    CallError(e.to_string())
}

/// The receiving half of a call.
pub struct Inbound {
    recv: RecvStream,
    buf: BytesMut,
}

impl Inbound {
    /// The next message, or None when the client ended its side.
    pub async fn recv<M: prost::Message + Default>(&mut self) -> Result<Option<M>, CallError> {
        loop {
            if self.buf.len() >= 5 {
                if self.buf[0] != 0 {
                    return Err(err("compressed gRPC messages are not supported"));
                }
                let len = u32::from_be_bytes([self.buf[1], self.buf[2], self.buf[3], self.buf[4]])
                    as usize;
                if len > MAX_MESSAGE {
                    return Err(err(format!("gRPC message of {len} bytes is too large")));
                }
                if self.buf.len() >= 5 + len {
                    self.buf.advance(5);
                    let body = self.buf.split_to(len);
                    return M::decode(body).map(Some).map_err(err);
                }
            }
            match self.recv.data().await {
                Some(Ok(chunk)) => {
                    let _ = self.recv.flow_control().release_capacity(chunk.len());
                    self.buf.extend_from_slice(&chunk);
                }
                Some(Err(e)) => return Err(err(e)),
                None if self.buf.is_empty() => return Ok(None),
                None => return Err(err("gRPC stream ended inside a message")),
            }
        }
    }
}

/// The sending half of a call: response headers go out with the first
/// message (or with the status).
pub struct Outbound {
    respond: Option<SendResponse<Bytes>>,
    send: Option<SendStream<Bytes>>,
}

impl Outbound {
    fn stream(&mut self) -> Result<&mut SendStream<Bytes>, CallError> {
        if self.send.is_none() {
            let respond = self
                .respond
                .as_mut()
                .ok_or_else(|| err("call already finished"))?;
            let response = Response::builder()
                .status(200)
                .header("content-type", "application/grpc")
                .body(())
                .map_err(err)?;
            self.send = Some(respond.send_response(response, false).map_err(err)?);
        }
        Ok(self.send.as_mut().expect("set above"))
    }

    pub async fn send<M: prost::Message>(&mut self, msg: &M) -> Result<(), CallError> {
        let len = msg.encoded_len();
        let mut frame = BytesMut::with_capacity(5 + len);
        frame.extend_from_slice(&[0]);
        frame.extend_from_slice(&(len as u32).to_be_bytes());
        msg.encode(&mut frame).map_err(err)?;
        send_flow_controlled(self.stream()?, frame.freeze()).await
    }

    /// Ends the call with a status (0 = OK).
    pub fn finish(mut self, code: u32, message: &str) {
        let Ok(stream) = self.stream() else { return };
        let mut trailers = HeaderMap::new();
        trailers.insert("grpc-status", HeaderValue::from(code));
        if !message.is_empty() {
            if let Ok(v) = HeaderValue::from_str(&percent_encode(message)) {
                trailers.insert("grpc-message", v);
            }
        }
        let _ = stream.send_trailers(trailers);
    }
}

async fn send_flow_controlled(
    stream: &mut SendStream<Bytes>,
    mut data: Bytes,
) -> Result<(), CallError> {
    while !data.is_empty() {
        stream.reserve_capacity(data.len());
        let granted = std::future::poll_fn(|cx| stream.poll_capacity(cx))
            .await
            .ok_or_else(|| err("the peer closed the stream"))?
            .map_err(err)?;
        if granted == 0 {
            continue;
        }
        let chunk = data.split_to(granted.min(data.len()));
        stream.send_data(chunk, false).map_err(err)?;
    }
    Ok(())
}

/// grpc-message is percent-encoded outside printable ASCII.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if (0x20..0x7f).contains(&b) && b != b'%' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One incoming call: its method path and metadata, and both halves.
pub struct Call {
    pub path: String,
    pub metadata: HeaderMap,
    pub inbound: Inbound,
    pub outbound: Outbound,
}

impl Call {
    /// Every value of a metadata key (gRPC sends repeated keys).
    pub fn metadata_values(&self, key: &str) -> Vec<String> {
        self.metadata
            .get_all(key)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    }

    /// A unary call: one request in, one response (or an error status) out.
    pub async fn unary<Req, Resp, F, Fut>(mut self, f: F)
    where
        Req: prost::Message + Default,
        Resp: prost::Message,
        F: FnOnce(Req) -> Fut,
        Fut: Future<Output = Result<Resp, (u32, String)>>,
    {
        let req = match self.inbound.recv::<Req>().await {
            Ok(Some(r)) => r,
            Ok(None) => return self.outbound.finish(INVALID_ARGUMENT, "missing request"),
            Err(e) => return self.outbound.finish(INVALID_ARGUMENT, &e.0),
        };
        match f(req).await {
            Ok(resp) => match self.outbound.send(&resp).await {
                Ok(()) => self.outbound.finish(OK, ""),
                Err(e) => tracing::debug!("session reply failed: {e}"),
            },
            Err((code, msg)) => self.outbound.finish(code, &msg),
        }
    }
}

/// Serves HTTP/2 on `io` until the peer goes away, running `handler` for
/// each call on its own task.
pub async fn serve<IO, H, Fut>(io: IO, handler: H) -> Result<(), CallError>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    H: Fn(Call) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut conn = h2::server::Builder::new()
        .initial_window_size(4 << 20)
        .initial_connection_window_size(16 << 20)
        .max_frame_size(1 << 20)
        .handshake::<_, Bytes>(io)
        .await
        .map_err(err)?;
    while let Some(next) = conn.accept().await {
        let (request, respond) = match next {
            Ok(r) => r,
            Err(e) if e.is_go_away() || e.is_io() => break,
            Err(e) => return Err(err(e)),
        };
        let (parts, recv) = request.into_parts();
        let call = Call {
            path: parts.uri.path().to_string(),
            metadata: parts.headers,
            inbound: Inbound {
                recv,
                buf: BytesMut::new(),
            },
            outbound: Outbound {
                respond: Some(respond),
                send: None,
            },
        };
        tokio::spawn(handler(call));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_message_is_percent_encoded() {
        assert_eq!(
            percent_encode("no such secret: a%b\n"),
            "no such secret: a%25b%0A"
        );
    }
}
