//! `footprint serve`: the API gives the CLI's JSON, hostile requests get a clear 4xx and the
//! server keeps serving.

use super::{fixture, footprint};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running `footprint serve` on a free loopback port, stopped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl Server {
    /// Starts the server (`--port 0`) with extra arguments and waits for its address line.
    pub fn start(extra: &[&str]) -> Server {
        let bin = assert_cmd::cargo::cargo_bin("footprint");
        let mut child = Command::new(bin)
            .args(["serve", "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("footprint serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("address line");
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server { child, addr }
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Sends raw request bytes; returns (status, headers, body).
    pub fn raw(&self, request: &[u8]) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        s.write_all(request).expect("send");
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        let split = buf
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no response: {:?}", String::from_utf8_lossy(&buf)));
        let head = String::from_utf8_lossy(&buf[..split]).to_string();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("status");
        let mut body = buf[split + 4..].to_vec();
        if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            body = dechunk(&body);
        }
        (status, head, body)
    }

    /// GET a path (with query), connection closed after the response.
    pub fn get(&self, target: &str) -> (u16, String, Vec<u8>) {
        self.raw(
            format!("GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    }

    /// POST a body.
    pub fn post(&self, target: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
        let mut req = format!(
            "POST {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        req.extend_from_slice(body);
        self.raw(&req)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 2 + n + 2..];
    }
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(body)))
}

#[test]
fn api_compare_is_the_cli_json_byte_for_byte() {
    let s = Server::start(&[]);
    let cli = footprint()
        .args(["compare", "Enschede", "Barcelona", "--format", "json"])
        .output()
        .unwrap();
    assert!(cli.status.success());
    let (status, head, body) = s.get("/api/compare?from=Enschede&to=Barcelona");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json")
    );
    assert_eq!(
        String::from_utf8_lossy(&body),
        String::from_utf8_lossy(&cli.stdout)
    );
    // Options map to the CLI's flags: --round-trip --travellers 2 --no-rf.
    let cli = footprint()
        .args([
            "compare",
            "Enschede",
            "Barcelona",
            "--round-trip",
            "--travellers",
            "2",
        ])
        .args(["--no-rf", "--format", "json"])
        .output()
        .unwrap();
    let (_, _, body) =
        s.get("/api/compare?from=Enschede&to=Barcelona&round_trip=true&travellers=2&rf=false");
    assert_eq!(json(&body), json(&cli.stdout));
}

#[test]
fn the_page_and_its_assets_are_served_with_a_strict_policy() {
    let s = Server::start(&[]);
    let (status, head, body) = s.get("/");
    assert_eq!(status, 200);
    let head = head.to_ascii_lowercase();
    assert!(
        head.contains("content-security-policy: default-src 'none'; script-src 'self'"),
        "{head}"
    );
    assert!(head.contains("x-content-type-options: nosniff"));
    let html = String::from_utf8(body).unwrap();
    assert!(html.contains("<script src=\"/app.js\""));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no other host in the page"
    );
    for asset in ["/app.js", "/style.css"] {
        let (status, _, body) = s.get(asset);
        assert_eq!(status, 200, "{asset}");
        let text = String::from_utf8(body).unwrap();
        assert!(
            !text.contains("https://") && !text.contains("http://"),
            "{asset} names another host"
        );
    }
    let (status, _, body) = s.get("/api/places?q=Ensch");
    assert_eq!(status, 200);
    let list = json(&body);
    assert_eq!(list[0]["label"], "Enschede (NL)", "{list}");
    let (_, _, body) = s.get("/api/places?q=BCN");
    assert_eq!(json(&body)[0]["id"], "iata:BCN");
}

#[test]
fn errors_are_json_with_the_cli_message_and_suggestions() {
    let s = Server::start(&[]);
    let cli = footprint()
        .args(["compare", "Enschede", "Barcleona"])
        .output()
        .unwrap();
    assert_eq!(cli.status.code(), Some(1));
    let message = String::from_utf8_lossy(&cli.stderr)
        .trim()
        .trim_start_matches("footprint: error: ")
        .to_string();
    let (status, _, body) = s.get("/api/compare?from=Enschede&to=Barcleona");
    assert_eq!(status, 404);
    let e = json(&body);
    assert_eq!(e["error"], message.as_str());
    assert_eq!(e["field"], "to");
    assert!(
        e["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "Barcelona (ES)"),
        "{e}"
    );
    let (status, _, body) = s.get("/api/compare?from=Enschede&to=Barcelona&travellers=0");
    assert_eq!(status, 422);
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("greater than 0")
    );
    let (status, _, body) = s.get("/api/compare?from=Enschede&to=Barcelona&pack=nope");
    assert_eq!(status, 422, "{}", String::from_utf8_lossy(&body));
    let (status, _, _) = s.get("/api/compare?from=Enschede");
    assert_eq!(status, 400);
}

#[test]
fn hostile_requests_get_a_clear_4xx_and_the_server_keeps_serving() {
    let s = Server::start(&[
        "--inventory",
        fixture("../../data/examples/ut/inventory.json")
            .to_str()
            .unwrap(),
    ]);
    let huge = format!("/api/compare?from={}&to=Barcelona", "a".repeat(100_000));
    assert_eq!(s.get(&huge).0, 414);
    let (status, _, body) = s.get("/api/compare?from=%FF%FE&to=Barcelona");
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    assert!(json(&body)["error"].is_string());
    let (status, _, _) =
        s.raw(b"GET /api/places?q=\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!((400..500).contains(&status), "raw invalid UTF-8: {status}");
    for target in [
        "/../../../../etc/passwd",
        "/app.js/../../Cargo.toml",
        "/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/src/cli/web/assets/app.js",
        "/api/nope",
    ] {
        let (status, _, body) = s.get(target);
        assert_eq!(status, 404, "{target}");
        let text = String::from_utf8_lossy(&body);
        assert!(
            !text.contains("[package]") && !text.contains("root:"),
            "{target}: {text}"
        );
        assert!(json(&body)["error"].is_string(), "{target}");
    }
    let (status, _, body) = s.post("/api/meet", b"{\"participants\": [");
    assert_eq!(status, 400);
    assert!(
        json(&body)["error"]
            .as_str()
            .unwrap()
            .contains("request body")
    );
    let (status, _, _) = s.post("/api/meet", &vec![b' '; 400 * 1024]);
    assert_eq!(status, 413);
    let one = r#"{"type": "reduce", "share": 0.001, "filter": {"category": "business"}}"#;
    let many = format!(
        r#"{{"name": "many", "description": "hostile", "interventions": [{}]}}"#,
        vec![one; 1000].join(",")
    );
    let (status, _, body) = s.post("/api/scenario", many.as_bytes());
    assert_eq!(status, 422, "{}", String::from_utf8_lossy(&body));
    assert!(json(&body)["error"].as_str().unwrap().contains("at most"));
    let (status, _, body) = s.post("/api/scenario", b"{\"name\": 1}");
    assert_eq!(status, 422, "{}", String::from_utf8_lossy(&body));
    // Still serving, and a real scenario works.
    let rail = std::fs::read(fixture("../../data/scenarios/rail-under-700km.json")).unwrap();
    let (status, _, body) = s.post("/api/scenario", &rail);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(json(&body)["scenarios"][0]["saving_t"].as_f64().unwrap() > 0.0);
    assert_eq!(s.get("/api/health").0, 200);
}

#[test]
fn matrix_and_meet_over_the_api_are_the_cli_json() {
    let s = Server::start(&[]);
    let cli = footprint()
        .args([
            "matrix",
            "Enschede",
            "Aalborg",
            "Lyon",
            "--modes",
            "train,flight",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(cli.status.success());
    let (status, _, body) = s.get("/api/matrix?places=Enschede;Aalborg;Lyon&modes=train,flight");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(json(&body), json(&cli.stdout));
    let cli = footprint()
        .arg("meet")
        .arg(fixture("meet/participants.csv"))
        .args([
            "--candidates",
            "Enschede",
            "Barcelona",
            "Lyon",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let req = r#"{"participants": [{"home": "Enschede", "count": 5}, {"home": "Hengelo", "count": 1},
        {"home": "Barcelona", "count": 1}], "candidates": ["Enschede", "Barcelona", "Lyon"]}"#;
    let (status, _, body) = s.post("/api/meet", req.as_bytes());
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(json(&body)["candidates"], json(&cli.stdout)["candidates"]);
}
