//! The preview's HTTP side (axum): GET and HEAD of the outputs held in memory, the event stream
//! that tells pages to reload, and the checks that keep a local preview local: only the Host
//! names of this server, no file that is not an output (nothing is read from disk at all), no
//! CORS header.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use super::{PageEvent, Shared};

/// Where the event stream is served; outputs never use this prefix.
pub const EVENTS: &str = "/__chanjiao/events";

/// The script added to every served page (never to `build`): reloads when the page's own output
/// or anything it shows changed, swaps the stylesheet, shows and clears the overlay.
const SCRIPT: &str = r#"<script>(function(){var es=new EventSource("/__chanjiao/events");function here(){var p=location.pathname.replace(/^\//,"");return p.replace(/index\.html$/,"")}es.addEventListener("reload",function(e){var urls=JSON.parse(e.data);var h=here();if(urls.some(function(u){return u===h||!/\.(css|svg|csv|json|xml|txt)$/.test(u)}))location.reload()});es.addEventListener("css",function(){document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){var u=new URL(l.href);u.searchParams.set("v",Date.now());l.href=u.href})});es.addEventListener("overlay",function(e){var o=document.getElementById("chanjiao-overlay");if(o)o.remove();document.body.insertAdjacentHTML("beforeend",JSON.parse(e.data))});es.addEventListener("clear",function(){location.reload()})})();</script>"#;

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS, get(events))
        .fallback_service(get(output).with_state(Arc::clone(&shared)))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&shared),
            check_host,
        ))
        .with_state(shared)
}

/// Refuses a request whose Host is not this server (a page elsewhere reaching the preview
/// through DNS rebinding).
async fn check_host(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let known = shared.hosts.contains(&host);
    let ip_literal = shared.any_ip.is_some_and(|port| {
        host.rsplit_once(':').is_some_and(|(name, p)| {
            p.parse::<u16>() == Ok(port)
                && name
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .is_ok()
        })
    });
    if known || ip_literal {
        next.run(req).await
    } else {
        (
            StatusCode::MISDIRECTED_REQUEST,
            format!("{}\n", msg!("serve.wrong_host")),
        )
            .into_response()
    }
}

/// The output at a request path: percent-decoded once, `…/` meaning `…/index.html`. Anything
/// that is not an output (including every form of `..`) is the 404 page.
async fn output(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let raw = req.uri().path();
    // A path that does not decode to UTF-8 names no output: it is asked for as is.
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_or_else(|_| raw.to_string(), |s| s.into_owned());
    let mut path = decoded.trim_start_matches('/').to_string();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    let served = shared
        .served
        .read()
        .expect("no thread panics while holding this lock");
    let suspicious = path.contains('\\') || path.split('/').any(|s| s == ".." || s == ".");
    let (status, path, bytes) = match (suspicious, served.render.get(&path)) {
        (false, Some(b)) => (StatusCode::OK, path, b),
        _ => {
            // A folder asked for without its slash goes to the slash.
            let folder = format!("{path}/index.html");
            if !suspicious && served.render.contains(&folder) {
                let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
                // The output's own path (one leading slash: `//name` must not become a host).
                if let Ok(loc) = HeaderValue::from_str(&format!("/{}/", path.trim_end_matches('/')))
                {
                    r.headers_mut().insert(header::LOCATION, loc);
                }
                return r;
            }
            let page = served.render.get("404.html");
            let status = StatusCode::NOT_FOUND;
            match page {
                Some(b) => (status, "404.html".to_string(), b),
                // Nothing built yet (a broken site): a bare page to carry the overlay.
                None => (
                    status,
                    "404.html".to_string(),
                    b"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>chanjiao serve</title></head><body></body></html>\n".to_vec(),
                ),
            }
        }
    };
    let body = if path.ends_with(".html") {
        inject(&bytes, served.overlay.as_deref())
    } else {
        bytes
    };
    drop(served);
    let mime = mime_guess::from_path(&path).first_or_octet_stream();
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(mime.essence_str()) {
        let v = if mime.type_() == "text" || mime.subtype() == "svg" || mime.subtype() == "json" {
            HeaderValue::from_str(&format!("{}; charset=utf-8", mime.essence_str())).unwrap_or(v)
        } else {
            v
        };
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A page with the reload script (and the overlay, while the site has problems) before `</body>`.
fn inject(html: &[u8], overlay: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let extra = format!("{}{SCRIPT}", overlay.unwrap_or_default());
    match text.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

/// Server-Sent Events: `reload` (JSON list of changed URL paths), `css`, `overlay` (JSON string of
/// HTML), `clear`.
async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let rx = shared.changes.subscribe();
    // A page that fell behind skips what it missed; the next change reaches it.
    let stream = BroadcastStream::new(rx)
        .take_while(|change| !matches!(change, Ok(PageEvent::Shutdown)))
        .filter_map(|change| {
            let change = change.ok()?;
            let event = match change {
                PageEvent::Reload(urls) => Event::default().event("reload").data(json(&urls)),
                PageEvent::Css => Event::default().event("css").data("{}"),
                PageEvent::Overlay(html) => Event::default().event("overlay").data(json(&html)),
                PageEvent::Clear(urls) => Event::default().event("clear").data(json(&urls)),
                PageEvent::Shutdown => return None,
            };
            Some(Ok::<Event, Infallible>(event))
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("strings serialise")
}
