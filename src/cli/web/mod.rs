//! The local web server of `footprint serve`: the page (assets compiled into the binary) and
//! the JSON API under `/api/`, built from the same library functions and serde structs as the
//! command line's `--format json`.
//!
//! Limits: request bodies up to [`MAX_BODY_BYTES`], URIs up to [`MAX_URI_BYTES`], each
//! request answered within [`REQUEST_TIMEOUT`] (408 otherwise); computations run on the
//! blocking pool, so a panic there becomes a 500 JSON error, and a catch-panic layer turns
//! any other panic into one too. Every response carries a strict Content-Security-Policy: the
//! page may load nothing but its own assets and talk to nothing but this server.

mod api;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use mobility_footprint::inventory::{EvalOptions, InventoryConfig, InventoryRows};
use mobility_footprint::places::Gazetteer;
use mobility_footprint::scenario::InventoryRow;
use std::sync::Arc;
use std::time::Duration;

pub use api::ApiError;

/// Largest request body accepted (a scenario or a participants list), bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Longest request target (path and query) accepted, bytes.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Time limit of one request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// The page's Content-Security-Policy: own scripts, styles and fetches only; images from the
/// server or `data:` URLs (charts returned as SVG text); no frames, plugins, forms elsewhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// An inventory loaded once at start for the scenario playground.
pub struct LoadedInventory {
    /// The configuration file as given.
    pub file: String,
    /// The configuration.
    pub config: InventoryConfig,
    /// Its rows.
    pub rows: InventoryRows,
    /// The rows as scenario rows.
    pub scenario_rows: Vec<InventoryRow>,
    /// Evaluation options of the configuration.
    pub eval: EvalOptions,
}

/// What every handler can read.
pub struct AppState {
    /// The run's gazetteer (bundled tables plus `--aliases`).
    pub places: &'static Gazetteer,
    /// The scenario playground's inventory, with `--inventory`.
    pub inventory: Option<LoadedInventory>,
    /// Answers of `/api/compare` by query string (a pure function of it), at most
    /// [`CACHE_ENTRIES`]; emptied when full, so memory stays bounded.
    pub compare_cache: std::sync::Mutex<std::collections::HashMap<String, axum::body::Bytes>>,
}

/// Most cached `/api/compare` answers (~25 KB each: at most ~13 MB).
pub const CACHE_ENTRIES: usize = 512;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");

fn asset(body: &'static str, media_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// The router: the page, its two assets and the API.
pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/places", get(api::places))
        .route("/place", get(api::place))
        .route("/trip", get(api::trip))
        .route("/compare", get(api::compare))
        .route("/compare/page", get(api::compare_page))
        .route("/matrix", get(api::matrix))
        .route("/meet", post(api::meet))
        .route("/scenario", post(api::scenario))
        .route("/scenario/info", get(api::scenario_info))
        .fallback(|| async { ApiError::not_found("no such API route") });
    Router::new()
        .route(
            "/",
            get(|| async { asset(INDEX_HTML, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { asset(APP_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/style.css",
            get(|| async { asset(STYLE_CSS, "text/css; charset=utf-8") }),
        )
        .nest("/api", api)
        .fallback(|| async { ApiError::not_found("not found: this server has one page, at /") })
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(limits_and_headers))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                ApiError::internal("internal error while answering the request").into_response()
            },
        ))
}

/// Refuses overlong URIs before any parsing, and adds the security headers to every response.
async fn limits_and_headers(req: Request<Body>, next: Next) -> Response {
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    let query_is_utf8 = req.uri().query().is_none_or(percent_decoded_is_utf8);
    let mut res = if !query_is_utf8 {
        ApiError::bad_request("the query string is not valid UTF-8 once percent-decoded")
            .into_response()
    } else if uri_len > MAX_URI_BYTES {
        ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!(
                "request target of {uri_len} bytes is longer than the limit of {MAX_URI_BYTES}"
            ),
        )
        .into_response()
    } else {
        next.run(req).await
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// Whether the query string's percent-escapes decode to UTF-8 (the query parser would
/// otherwise replace bad bytes with U+FFFD and answer "unknown place `��`").
fn percent_decoded_is_utf8(query: &str) -> bool {
    let b = query.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).and_then(|&c| hex(c)),
            b.get(i + 2).and_then(|&c| hex(c)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    std::str::from_utf8(&out).is_ok()
}

/// Serves `router` on an already bound listener until the process ends.
pub async fn serve(listener: tokio::net::TcpListener, state: Arc<AppState>) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}
