//! `footprint serve`: the local web page and JSON API.

use super::web::{AppState, LoadedInventory};
use super::{CliError, inventory_cmd};
use clap::Args;
use mobility_footprint::inventory::EvalOptions;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

/// Arguments of `footprint serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// TCP port (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Address to bind. The default is loopback, reachable from this machine only; another
    /// address makes the page and API reachable by others on the network (a warning says so).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// An inventory configuration for the scenario playground, loaded once at start.
    #[arg(long, value_name = "CONFIG.json")]
    pub inventory: Option<PathBuf>,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Runs the server until the process is stopped.
pub fn serve<W: Write>(a: ServeArgs, out: &mut W) -> Result<(), CliError> {
    let places = super::places();
    let inventory = match &a.inventory {
        Some(path) => {
            let config = inventory_cmd::read_config(path)?;
            let rows = inventory_cmd::load_rows(&config)?;
            let scenario_rows = mobility_footprint::scenario::rows_of(&rows);
            let eval = EvalOptions::from_config(&config);
            Some(LoadedInventory {
                file: path.display().to_string(),
                config,
                rows,
                scenario_rows,
                eval,
            })
        }
        None => None,
    };
    if !a.host.is_loopback() {
        eprintln!(
            "footprint: warning: binding {} makes the page and the API reachable from other \
             machines; there is no authentication{}",
            a.host,
            if inventory.is_some() {
                ", and the scenario playground shows the inventory's totals"
            } else {
                ""
            }
        );
    }
    let state = Arc::new(AppState {
        places,
        inventory,
        compare_cache: Default::default(),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| CliError::data(format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(async move {
        let addr = SocketAddr::new(a.host, a.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| CliError::data(format!("cannot listen on {addr}: {e}")))?;
        let local = listener.local_addr().map_err(super::io_err)?;
        let url = format!("http://{local}/");
        writeln!(
            out,
            "footprint serve: listening on {url} (stop with Ctrl-C)"
        )
        .and_then(|()| out.flush())
        .map_err(super::io_err)?;
        if a.open {
            open_browser(&url);
        }
        super::web::serve(listener, state)
            .await
            .map_err(|e| CliError::data(format!("server error: {e}")))
    })
}

/// Best effort: the platform's opener; a failure is a warning, the server keeps running.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("footprint: warning: cannot open a browser ({opener}: {e}); open {url} yourself");
    }
}
