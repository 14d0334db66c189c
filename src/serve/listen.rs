//! Accepting connections so that a LAN neighbour cannot starve the editor's browser. Every
//! connection must send a request's head within `HEADER_TIMEOUT`, and an idle kept-alive one is
//! closed after the same time (hyper times both). At most `MAX_CONNECTIONS` are open: when one
//! more arrives, the oldest that never sent a request (a silent or slow one) is closed, then the
//! oldest idle between requests; connections busy with a request or holding the event stream are
//! never closed. So thousands of silent connections cost a few hundred descriptors, and a normal
//! request still gets its answer at once.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// How long a connection may take to send a request's head, and may stay idle between requests.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The most connections open at once (well under the usual limit of 1,024 descriptors).
pub const MAX_CONNECTIONS: usize = 256;

/// What a connection is doing, as the eviction order sees it.
const FRESH: u8 = 0;
const IDLE: u8 = 1;
const BUSY: u8 = 2;
const STREAMING: u8 = 3;

struct Open {
    state: Arc<AtomicU8>,
    close: oneshot::Sender<()>,
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let open: Arc<Mutex<VecDeque<Open>>> = Arc::default();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors or a connection reset before it was taken: try again soon.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
            },
            () = &mut shutdown => return,
        };
        let Some((state, closed)) = admit(&open) else {
            continue;
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let app = app.clone();
                    let state = Arc::clone(&state);
                    state.store(BUSY, Ordering::SeqCst);
                    async move {
                        let response =
                            tower::ServiceExt::oneshot(app, req.map(axum::body::Body::new)).await;
                        let streaming = response.as_ref().is_ok_and(|r| {
                            r.headers()
                                .get(axum::http::header::CONTENT_TYPE)
                                .is_some_and(|t| t.as_bytes().starts_with(b"text/event-stream"))
                        });
                        state.store(if streaming { STREAMING } else { IDLE }, Ordering::SeqCst);
                        response
                    }
                });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .keep_alive(true);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = connection => {}
                _ = closed => {}
            }
        });
    }
}

/// Makes room for one more connection and registers it: its state and what tells it to close.
/// `None` when every open connection is busy (the new one is then dropped).
fn admit(open: &Mutex<VecDeque<Open>>) -> Option<(Arc<AtomicU8>, oneshot::Receiver<()>)> {
    let mut open = open.lock().ok()?;
    // A connection that ended dropped its receiver.
    open.retain(|o| !o.close.is_closed());
    if open.len() >= MAX_CONNECTIONS {
        let victim = [FRESH, IDLE].iter().find_map(|wanted| {
            open.iter()
                .position(|o| o.state.load(Ordering::SeqCst) == *wanted)
        })?;
        if let Some(o) = open.remove(victim) {
            let _ = o.close.send(());
        }
    }
    let state = Arc::new(AtomicU8::new(FRESH));
    let (close, closed) = oneshot::channel();
    open.push_back(Open {
        state: Arc::clone(&state),
        close,
    });
    Some((state, closed))
}
