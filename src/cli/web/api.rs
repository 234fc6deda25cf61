//! Handlers of `/api/*`. Every JSON body is the same serde struct the command line prints
//! with `--format json` (written by the same pretty printer), so the two cannot drift.

use super::AppState;
use crate::cli::scenario_cmd::Report as ScenarioReport;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use mobility_footprint::chart::{ChartFormat, MapLine, destination_map};
use mobility_footprint::compare::{CompareOptions, Comparison, compare as compare_options};
use mobility_footprint::door_to_door::{DoorToDoor, door_to_door};
use mobility_footprint::factors::PackSet;
use mobility_footprint::journey::{CalcOptions, Stop, TripSpec, estimate};
use mobility_footprint::matrix::{self, MatrixMode, MatrixPlace};
use mobility_footprint::meet::{self, Participants};
use mobility_footprint::places::{Gazetteer, PlaceError, choose_by_context};
use mobility_footprint::scenario::{self, Evaluate, InventoryEval, RunOptions};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Most places in one matrix request (40 places = 1,560 ordered pairs).
pub const MAX_MATRIX_PLACES: usize = 40;
/// Most participant rows and candidates in one meeting request.
pub const MAX_MEET_ROWS: usize = 200;
/// Most interventions in one scenario request.
pub const MAX_INTERVENTIONS: usize = 100;

/// A JSON error: `{"error": message, "suggestions": [...], "field": "from"}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
}

#[derive(Debug, Serialize)]
struct ErrorBody {
    error: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
}

impl ApiError {
    /// An error with a status and a message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                error: message.into(),
                suggestions: Vec::new(),
                field: None,
            },
        }
    }
    /// 400: the request is malformed.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }
    /// 422: well-formed, but the values cannot be used.
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }
    /// 500.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
    fn field(mut self, field: &str) -> Self {
        self.body.field = Some(field.to_string());
        self
    }
    /// A place that did not resolve: 404 with the gazetteer's message and suggestions (the
    /// CLI prints the same message).
    fn place(field: &str, e: &PlaceError) -> Self {
        let mut err = match e {
            PlaceError::Empty => Self::bad_request(e.to_string()),
            PlaceError::InvalidCoordinates { .. } => Self::unprocessable(e.to_string()),
            _ => Self::not_found(e.to_string()),
        };
        err.body.suggestions = place_suggestions(e);
        err.field(field)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

fn place_suggestions(e: &PlaceError) -> Vec<String> {
    match e {
        PlaceError::Unknown { suggestions, .. }
        | PlaceError::UnknownCountry { suggestions, .. }
        | PlaceError::NotInCountry { suggestions, .. }
        | PlaceError::UnknownPostcode { suggestions, .. } => suggestions.clone(),
        _ => Vec::new(),
    }
}

type ApiResult = Result<Response, ApiError>;

/// The CLI's JSON printer, into a response.
fn json_response<T: Serialize>(value: &T) -> ApiResult {
    let mut buf = Vec::new();
    crate::cli::output::json(&mut buf, value)
        .map_err(|e| ApiError::internal(format!("cannot write JSON: {}", e.message)))?;
    Ok((
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        buf,
    )
        .into_response())
}

/// Runs a computation on the blocking pool; a panic in it becomes a 500.
async fn blocking<F>(f: F) -> ApiResult
where
    F: FnOnce() -> ApiResult + Send + 'static,
{
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|_| {
        Err(ApiError::internal(
            "internal error while computing the answer",
        ))
    })
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(v)| v)
        .map_err(|e| ApiError::bad_request(format!("bad query string: {}", e.body_text())))
}

/// The stops of one journey, resolved as the CLI's `trip` and `compare` do: every candidate of
/// an ambiguous name, then the one the journey's other stops make likely
/// ([`choose_by_context`]); the notes say which namesake was taken.
fn resolve_stops(
    g: &Gazetteer,
    queries: &[(&str, &str)],
) -> Result<(Vec<Stop>, Vec<String>), ApiError> {
    let mut resolved = queries
        .iter()
        .map(|(field, q)| g.resolve_all(q).map_err(|e| ApiError::place(field, &e)))
        .collect::<Result<Vec<_>, _>>()?;
    choose_by_context(&mut resolved, None);
    let notes = resolved
        .iter()
        .filter(|r| r.is_ambiguous())
        .map(|r| r.note())
        .collect();
    let stops = resolved
        .iter()
        .map(|r| Stop::from_place(r.place()))
        .collect();
    Ok((stops, notes))
}

fn positive(field: &str, v: Option<f64>, default: f64, min: f64) -> Result<f64, ApiError> {
    let v = v.unwrap_or(default);
    if v.is_finite() && v >= min && v > 0.0 {
        Ok(v)
    } else if min >= 1.0 {
        Err(
            ApiError::unprocessable(format!("{field} must be at least {min}, got {v}"))
                .field(field),
        )
    } else {
        Err(
            ApiError::unprocessable(format!("{field} must be greater than 0, got {v}"))
                .field(field),
        )
    }
}

/// Pack and boundary, as the CLI's `--pack`, `--no-rf`, `--ttw-only`, `--flight-haul`.
#[derive(Debug, Default, Clone)]
pub struct CalcQuery {
    pack: Option<String>,
    /// Include radiative forcing (default true; the CLI's `--no-rf` is `rf=false`).
    rf: Option<bool>,
    /// Include well-to-tank (default true; the CLI's `--ttw-only` is `wtt=false`).
    wtt: Option<bool>,
    flight_haul: Option<String>,
}

/// (Query strings cannot use `#[serde(flatten)]`: it turns every typed field into text.)
fn calc_of(
    pack: &Option<String>,
    rf: Option<bool>,
    wtt: Option<bool>,
    flight_haul: &Option<String>,
) -> Result<CalcOptions, ApiError> {
    CalcQuery {
        pack: pack.clone(),
        rf,
        wtt,
        flight_haul: flight_haul.clone(),
    }
    .options()
}

impl CalcQuery {
    fn options(&self) -> Result<CalcOptions, ApiError> {
        let pack = self
            .pack
            .clone()
            .unwrap_or_else(|| CalcOptions::default().pack);
        PackSet::bundled()
            .get(&pack)
            .map_err(|e| ApiError::unprocessable(e.to_string()).field("pack"))?;
        Ok(CalcOptions {
            pack,
            include_rf: self.rf.unwrap_or(true),
            include_wtt: self.wtt.unwrap_or(true),
            haul_override: self.flight_haul.clone(),
            ..CalcOptions::default()
        })
    }
}

/// `GET /api/places?q=Ensch`: suggestions as you type.
#[derive(Debug, Deserialize)]
pub struct PlacesQuery {
    q: String,
}

#[derive(Debug, Serialize)]
struct Suggestion {
    /// Text that resolves back to the place when submitted (`Enschede (NL)`).
    label: String,
    id: String,
    kind: String,
    name: String,
    country_code: String,
}

/// Up to 8 places for the text typed so far: the exact match first (a code, id, postcode or
/// name), then the gazetteer's closest names.
pub async fn places(
    State(s): State<Arc<AppState>>,
    q: Result<Query<PlacesQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    if q.q.chars().count() > 100 {
        return Err(ApiError::unprocessable("at most 100 characters").field("q"));
    }
    blocking(move || {
        let g = s.places;
        let mut out: Vec<Suggestion> = Vec::new();
        let mut push = |label: String, p: mobility_footprint::places::Place| {
            if !out.iter().any(|x| x.id == p.id) && out.len() < 8 {
                out.push(Suggestion {
                    label,
                    id: p.id.clone(),
                    kind: p.kind.to_string(),
                    name: p.name.clone(),
                    country_code: p.country_code.clone(),
                });
            }
        };
        if q.q.trim().chars().count() >= 2 {
            if let Ok(p) = g.resolve(&q.q) {
                let label = if matches!(p.kind, mobility_footprint::places::PlaceKind::City) {
                    p.to_string()
                } else {
                    q.q.trim().to_string()
                };
                push(label, p);
            }
            for label in g.suggest(&q.q, 8) {
                if let Ok(p) = g.resolve(&label) {
                    push(label, p);
                }
            }
        }
        json_response(&out)
    })
    .await
}

/// `GET /api/place?q=AMS`: the CLI's `footprint place Q --format json` (an array of one).
pub async fn place(
    State(s): State<Arc<AppState>>,
    q: Result<Query<PlacesQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    #[derive(Serialize)]
    struct Resolved {
        query: String,
        #[serde(flatten)]
        place: mobility_footprint::places::Place,
    }
    let p = s
        .places
        .resolve(&q.q)
        .map_err(|e| ApiError::place("q", &e))?;
    json_response(&[Resolved {
        query: q.q.trim().to_string(),
        place: p,
    }])
}

/// `GET /api/trip?from=..&to=..&mode=train`: the CLI's `footprint trip --format json`.
#[derive(Debug, Deserialize)]
pub struct TripQuery {
    from: String,
    to: String,
    mode: String,
    /// Stopovers separated by `;`.
    via: Option<String>,
    cabin: Option<String>,
    round_trip: Option<bool>,
    travellers: Option<f64>,
    occupancy: Option<f64>,
    size: Option<String>,
    fuel: Option<String>,
    kind: Option<String>,
    distance_km: Option<f64>,
    pack: Option<String>,
    /// Include radiative forcing (default true; the CLI's `--no-rf` is `rf=false`).
    rf: Option<bool>,
    /// Include well-to-tank (default true; the CLI's `--ttw-only` is `wtt=false`).
    wtt: Option<bool>,
    flight_haul: Option<String>,
}

fn parse_field<T: std::str::FromStr>(
    field: &str,
    v: Option<&str>,
    default: T,
) -> Result<T, ApiError>
where
    T::Err: std::fmt::Display,
{
    match v {
        None => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|e: T::Err| ApiError::unprocessable(e.to_string()).field(field)),
    }
}

/// One journey.
pub async fn trip(
    State(s): State<Arc<AppState>>,
    q: Result<Query<TripQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    blocking(move || {
        let g = s.places;
        let calc = calc_of(&q.pack, q.rf, q.wtt, &q.flight_haul)?;
        let mut queries = vec![("from", q.from.as_str())];
        for v in q
            .via
            .iter()
            .flat_map(|v| v.split(';'))
            .filter(|v| !v.trim().is_empty())
        {
            queries.push(("via", v));
        }
        queries.push(("to", q.to.as_str()));
        let (stops, _) = resolve_stops(g, &queries)?;
        let spec = TripSpec {
            mode: parse_field("mode", Some(&q.mode), mobility_footprint::mode::Mode::Train)?,
            cabin: parse_field("cabin", q.cabin.as_deref(), Default::default())?,
            size: parse_field("size", q.size.as_deref(), Default::default())?,
            fuel: parse_field("fuel", q.fuel.as_deref(), Default::default())?,
            kind: q.kind.clone(),
            round_trip: q.round_trip.unwrap_or(false),
            travellers: positive("travellers", q.travellers, 1.0, 0.0)?,
            occupancy: positive("occupancy", q.occupancy, 1.0, 1.0)?,
            distance_km: match q.distance_km {
                Some(d) => Some(positive("distance_km", Some(d), 1.0, 0.0)?),
                None => None,
            },
        };
        let e = estimate(PackSet::bundled(), &stops, &spec, &calc)
            .map_err(|e| ApiError::unprocessable(e.to_string()))?;
        json_response(&e)
    })
    .await
}

/// `GET /api/compare?from=..&to=..`: the CLI's `footprint compare --format json`.
#[derive(Debug, Deserialize, Clone)]
pub struct CompareQuery {
    from: String,
    to: String,
    round_trip: Option<bool>,
    travellers: Option<f64>,
    /// People in the shared-car option (the CLI's `--shared`).
    shared: Option<f64>,
    /// Airport to airport only (the CLI's `--no-airport-access`).
    no_airport_access: Option<bool>,
    pack: Option<String>,
    /// Include radiative forcing (default true; the CLI's `--no-rf` is `rf=false`).
    rf: Option<bool>,
    /// Include well-to-tank (default true; the CLI's `--ttw-only` is `wtt=false`).
    wtt: Option<bool>,
    flight_haul: Option<String>,
}

/// The comparison and the notes on ambiguous names (which the CLI prints to stderr).
fn comparison(g: &Gazetteer, q: &CompareQuery) -> Result<(Comparison, Vec<String>), ApiError> {
    let calc = calc_of(&q.pack, q.rf, q.wtt, &q.flight_haul)?;
    let (stops, notes) = resolve_stops(g, &[("from", &q.from), ("to", &q.to)])?;
    let (from, to) = (&stops[0], &stops[1]);
    let o = CompareOptions {
        round_trip: q.round_trip.unwrap_or(false),
        travellers: positive("travellers", q.travellers, 1.0, 0.0)?,
        shared_occupancy: positive("shared", q.shared, 3.0, 1.0)?,
        airport_access: !q.no_airport_access.unwrap_or(false),
        calc,
    };
    let c = compare_options(PackSet::bundled(), g, from, to, &o)
        .map_err(|e| ApiError::unprocessable(e.to_string()))?;
    Ok((c, notes))
}

/// Ranked options.
pub async fn compare(
    State(s): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
    q: Result<Query<CompareQuery>, QueryRejection>,
) -> ApiResult {
    let key = raw.unwrap_or_default();
    if let Some(hit) = s
        .compare_cache
        .lock()
        .ok()
        .and_then(|c| c.get(&key).cloned())
    {
        return Ok(json_bytes(hit));
    }
    let q = query(q)?;
    let state = s.clone();
    blocking(move || {
        let mut buf = Vec::new();
        crate::cli::output::json(&mut buf, &comparison(state.places, &q)?.0)
            .map_err(|e| ApiError::internal(format!("cannot write JSON: {}", e.message)))?;
        let bytes = Bytes::from(buf);
        if let Ok(mut c) = state.compare_cache.lock() {
            if c.len() >= super::CACHE_ENTRIES {
                c.clear();
            }
            c.insert(key, bytes.clone());
        }
        Ok(json_bytes(bytes))
    })
    .await
}

fn json_bytes(b: Bytes) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        b,
    )
        .into_response()
}

/// What the page shows for a comparison: the CLI's JSON plus door-to-door hours, the bar
/// chart and the route map (SVG text).
#[derive(Debug, Serialize)]
struct ComparePage {
    comparison: Comparison,
    /// Which namesake was taken for an ambiguous name (the CLI's `note:` lines).
    place_notes: Vec<String>,
    /// One per option, in the same order.
    door_to_door: Vec<DoorToDoor>,
    chart_svg: String,
    map_svg: String,
}

/// The `compare` bar chart, as the CLI draws it for `--chart`.
fn compare_bars(c: &Comparison) -> Result<String, ApiError> {
    svg_text(mobility_footprint::chart::compare_bars(c, ChartFormat::Svg))
}

fn svg_text(r: Result<Vec<u8>, mobility_footprint::chart::ChartError>) -> Result<String, ApiError> {
    let bytes = r.map_err(|e| ApiError::unprocessable(e.to_string()))?;
    String::from_utf8(bytes).map_err(|_| ApiError::internal("chart is not UTF-8"))
}

fn route_map(c: &Comparison) -> Result<String, ApiError> {
    let line = MapLine {
        to_label: Some(c.to.name.clone()),
        to_lat_deg: c.to.position.lat_deg,
        to_lon_deg: c.to.position.lon_deg,
        weight: 1.0,
        colour_key: c
            .options
            .first()
            .map_or("train", |o| o.mode.key())
            .to_string(),
    };
    svg_text(destination_map(
        &format!(
            "{} → {}: {:.0} km great circle",
            c.from.name, c.to.name, c.great_circle_km
        ),
        (
            &c.from.name,
            c.from.position.lat_deg,
            c.from.position.lon_deg,
        ),
        &[line],
        ChartFormat::Svg,
    ))
}

/// `GET /api/compare/page?...`: the comparison with hours, chart and map.
pub async fn compare_page(
    State(s): State<Arc<AppState>>,
    q: Result<Query<CompareQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    blocking(move || {
        let (c, place_notes) = comparison(s.places, &q)?;
        let page = ComparePage {
            place_notes,
            door_to_door: c.options.iter().map(door_to_door).collect(),
            chart_svg: if c.options.is_empty() {
                String::new()
            } else {
                compare_bars(&c)?
            },
            map_svg: route_map(&c)?,
            comparison: c,
        };
        json_response(&page)
    })
    .await
}

/// `GET /api/matrix?places=Enschede;Aalborg` or `?partners=eciu`, `modes=train,flight`,
/// `format=json|csv`: the CLI's `footprint matrix --format json|csv`.
#[derive(Debug, Deserialize)]
pub struct MatrixQuery {
    /// Places separated by `;`.
    places: Option<String>,
    partners: Option<String>,
    /// Modes separated by `,`.
    modes: Option<String>,
    round_trip: Option<bool>,
    format: Option<String>,
    pack: Option<String>,
    /// Include radiative forcing (default true; the CLI's `--no-rf` is `rf=false`).
    rf: Option<bool>,
    /// Include well-to-tank (default true; the CLI's `--ttw-only` is `wtt=false`).
    wtt: Option<bool>,
    flight_haul: Option<String>,
}

fn matrix_places(g: &Gazetteer, q: &MatrixQuery) -> Result<Vec<MatrixPlace>, ApiError> {
    let places = match (&q.partners, &q.places) {
        (Some(a), _) => {
            let p = matrix::partner_places(g, a);
            if p.is_empty() {
                return Err(ApiError::not_found(format!(
                    "no partners of `{a}` in the bundled partner table; try `eciu`"
                ))
                .field("partners"));
            }
            p
        }
        (None, Some(list)) => {
            let names: Vec<&str> = list.split(';').filter(|s| !s.trim().is_empty()).collect();
            if names.len() > MAX_MATRIX_PLACES {
                return Err(ApiError::unprocessable(format!(
                    "{} places; at most {MAX_MATRIX_PLACES} in one matrix",
                    names.len()
                ))
                .field("places"));
            }
            names
                .iter()
                .map(|n| {
                    let p = g.resolve(n).map_err(|e| ApiError::place("places", &e))?;
                    Ok(MatrixPlace {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        stop: Stop::from_place(&p),
                    })
                })
                .collect::<Result<_, ApiError>>()?
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "give `places` (separated by ;) or `partners`",
            ));
        }
    };
    if places.len() < 2 {
        return Err(ApiError::unprocessable("a matrix needs at least two places").field("places"));
    }
    Ok(places)
}

/// The matrix as JSON or CSV.
pub async fn matrix(
    State(s): State<Arc<AppState>>,
    q: Result<Query<MatrixQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    blocking(move || {
        let g = s.places;
        let modes: Vec<MatrixMode> = match &q.modes {
            Some(m) => m
                .split(',')
                .map(|x| {
                    x.parse()
                        .map_err(|e: String| ApiError::unprocessable(e).field("modes"))
                })
                .collect::<Result<_, _>>()?,
            None => MatrixMode::DEFAULT.to_vec(),
        };
        if modes.is_empty() || modes.len() > MatrixMode::ALL.len() {
            return Err(ApiError::unprocessable("give one to ten modes").field("modes"));
        }
        let o = CompareOptions {
            round_trip: q.round_trip.unwrap_or(false),
            calc: calc_of(&q.pack, q.rf, q.wtt, &q.flight_haul)?,
            ..CompareOptions::default()
        };
        let places = matrix_places(g, &q)?;
        let m = matrix::matrix(PackSet::bundled(), g, places, &modes, &o)
            .map_err(|e| ApiError::unprocessable(e.to_string()))?;
        match q.format.as_deref() {
            None | Some("json") => json_response(&m),
            Some("csv") => Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"matrix.csv\"",
                    ),
                ],
                mobility_footprint::report::tables::render(&matrix::table(&m)),
            )
                .into_response()),
            Some(other) => Err(ApiError::unprocessable(format!(
                "unknown format `{other}`; expected json or csv"
            ))
            .field("format")),
        }
    })
    .await
}

/// `POST /api/meet` with `{"participants": [{"home": "Enschede", "count": 3}], "candidates":
/// ["Lyon"], "round_trip": true}`: the CLI's `footprint meet --format json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetRequest {
    participants: Vec<MeetRow>,
    #[serde(default)]
    candidates: Vec<String>,
    round_trip: Option<bool>,
    #[serde(default)]
    pack: Option<String>,
    #[serde(default)]
    rf: Option<bool>,
}

/// One participants' row.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetRow {
    home: String,
    count: Option<f64>,
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        ApiError::bad_request(format!("request body: field `{path}`: {}", e.inner()))
    })
}

/// Ranks the candidate hosts.
pub async fn meet(State(s): State<Arc<AppState>>, body: Bytes) -> ApiResult {
    let req: MeetRequest = parse_json(&body)?;
    if req.participants.is_empty() || req.participants.len() > MAX_MEET_ROWS {
        return Err(
            ApiError::unprocessable(format!("give 1 to {MAX_MEET_ROWS} participant rows"))
                .field("participants"),
        );
    }
    if req.candidates.len() > MAX_MATRIX_PLACES {
        return Err(
            ApiError::unprocessable(format!("at most {MAX_MATRIX_PLACES} candidates"))
                .field("candidates"),
        );
    }
    blocking(move || {
        let g = s.places;
        let calc = CalcQuery {
            pack: req.pack.clone(),
            rf: req.rf,
            ..CalcQuery::default()
        }
        .options()?;
        let participants = req
            .participants
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let field = format!("participants[{i}].home");
                let p = g
                    .resolve(&r.home)
                    .map_err(|e| ApiError::place(&field, &e))?;
                let count = positive(&format!("participants[{i}].count"), r.count, 1.0, 0.0)?;
                Ok(Participants {
                    home: r.home.trim().to_string(),
                    id: p.id.clone(),
                    stop: Stop::from_place(&p),
                    count,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let candidates = if req.candidates.iter().all(|c| c.trim().is_empty()) {
            meet::homes_as_candidates(&participants)
        } else {
            req.candidates
                .iter()
                .filter(|c| !c.trim().is_empty())
                .enumerate()
                .map(|(i, c)| {
                    let p = g
                        .resolve(c)
                        .map_err(|e| ApiError::place(&format!("candidates[{i}]"), &e))?;
                    Ok(MatrixPlace {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        stop: Stop::from_place(&p),
                    })
                })
                .collect::<Result<_, ApiError>>()?
        };
        let o = CompareOptions {
            round_trip: req.round_trip.unwrap_or(true),
            calc,
            ..CompareOptions::default()
        };
        let m = meet::plan(PackSet::bundled(), g, &participants, candidates, &o)
            .map_err(|e| ApiError::unprocessable(e.to_string()))?;
        json_response(&m)
    })
    .await
}

/// `GET /api/scenario/info`: whether the playground has an inventory, and which.
pub async fn scenario_info(State(s): State<Arc<AppState>>) -> ApiResult {
    #[derive(Serialize)]
    struct Info<'a> {
        available: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        organisation: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        year: Option<i32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        inventory_file: Option<&'a str>,
    }
    let inv = s.inventory.as_ref();
    json_response(&Info {
        available: inv.is_some(),
        organisation: inv.map(|i| i.config.organisation.as_str()),
        year: inv.map(|i| i.config.year),
        inventory_file: inv.map(|i| i.file.as_str()),
    })
}

/// `POST /api/scenario` with a scenario file's JSON (`data/scenarios/README.md`): the CLI's
/// `footprint scenario FILE --inventory CONFIG --format json`, plus `charts` (SVG text of the
/// by-mode bars and the waterfall) when `?charts=true`.
#[derive(Debug, Deserialize)]
pub struct ScenarioQuery {
    charts: Option<bool>,
}

/// Applies one scenario to the loaded inventory.
pub async fn scenario(
    State(s): State<Arc<AppState>>,
    q: Result<Query<ScenarioQuery>, QueryRejection>,
    body: Bytes,
) -> ApiResult {
    let q = query(q)?;
    if s.inventory.is_none() {
        return Err(ApiError::not_found(
            "no inventory loaded: start the server with `footprint serve --inventory CONFIG`",
        ));
    }
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::bad_request("request body is not UTF-8"))?
        .to_string();
    blocking(move || {
        let Some(inv) = s.inventory.as_ref() else {
            return Err(ApiError::not_found("no inventory loaded"));
        };
        let sc = scenario::parse("scenario", &text).map_err(|e| {
            // A scenario that does not parse or validate is well-formed JSON with bad values,
            // or not JSON at all: both are refused before anything runs.
            ApiError::unprocessable(e.to_string())
        })?;
        if sc.interventions.len() > MAX_INTERVENTIONS {
            return Err(ApiError::unprocessable(format!(
                "{} interventions; the playground takes at most {MAX_INTERVENTIONS}",
                sc.interventions.len()
            ))
            .field("interventions"));
        }
        let eval = InventoryEval::new(&inv.rows, &inv.eval);
        let opts = RunOptions {
            combine: false,
            inventory_year: inv.config.year,
            target_year: 2030.max(inv.config.year),
            configured_baseline_t: inv.config.baseline.as_ref().map(|b| b.co2e_t),
            target_reduction_pct: None,
        };
        let cmp = scenario::run(&eval, &inv.scenario_rows, PackSet::bundled(), &[sc], &opts)
            .map_err(|e| ApiError::unprocessable(e.to_string()))?;
        let report = ScenarioReport {
            organisation: &inv.config.organisation,
            inventory_file: inv.file.clone(),
            configured_baseline_source: inv.config.baseline.as_ref().map(|b| b.source.as_str()),
            comparison: &cmp,
        };
        if !q.charts.unwrap_or(false) {
            return json_response(&report);
        }
        let base = eval
            .evaluate(&inv.scenario_rows, PackSet::bundled())
            .map_err(|e| ApiError::unprocessable(e.to_string()))?;
        let journeys = scenario::charts::journey_points(&inv.scenario_rows, &base.rows);
        let campus_name = inv.rows.campus.name.as_str();
        let campus = (
            campus_name,
            inv.rows.campus.position.lat_deg,
            inv.rows.campus.position.lon_deg,
        );
        let images = scenario::charts::render_all(&cmp, &journeys, campus, ChartFormat::Svg)
            .map_err(|e| ApiError::unprocessable(e.to_string()))?;
        #[derive(Serialize)]
        struct WithCharts<'a> {
            #[serde(flatten)]
            report: ScenarioReport<'a>,
            charts: std::collections::BTreeMap<String, String>,
        }
        let charts = images
            .into_iter()
            .map(|(stem, bytes)| (stem, String::from_utf8_lossy(&bytes).into_owned()))
            .collect();
        json_response(&WithCharts { report, charts })
    })
    .await
}
