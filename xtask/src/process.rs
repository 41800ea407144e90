//! Running tools: show the command, run it, capture versions, and keep child servers on a leash
//! (killed when dropped, and by the kernel when xtask itself dies).

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::Result;

/// A command line as the user would type it.
pub fn show(cmd: &Command) -> String {
    let mut parts = vec![quote(cmd.get_program())];
    parts.extend(cmd.get_args().map(quote));
    parts.join(" ")
}

fn quote(word: &OsStr) -> String {
    let word = word.to_string_lossy();
    if word.is_empty() || word.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'') {
        format!("'{}'", word.replace('\'', r"'\''"))
    } else {
        word.into_owned()
    }
}

/// Run with the terminal attached; an error names the command and its exit status.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .map_err(|err| format!("could not start `{}`: {err}", show(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", show(cmd)))
    }
}

/// Stdout of a successful run, trimmed; `None` when the program is missing or fails.
pub fn capture(cmd: &mut Command) -> Option<String> {
    let output = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// The first match of `name` on `PATH` (the PATH xtask set up: ~/.cargo/bin first).
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// "12.3 s"
pub fn secs(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}

/// Ask the kernel to send SIGTERM to the child when xtask dies, however it dies (Ctrl-C,
/// `kill`, panic), so no server outlives the command that started it.
pub fn die_with_parent(cmd: &mut Command) -> &mut Command {
    #[cfg(target_os = "linux")]
    {
        use nix::sys::{prctl, signal::Signal};
        use std::os::unix::process::CommandExt;
        let parent = nix::unistd::getpid();
        // SAFETY: prctl and getppid are async-signal-safe and allocate nothing.
        unsafe {
            cmd.pre_exec(move || {
                prctl::set_pdeathsig(Signal::SIGTERM)?;
                // The parent may have died before prctl took effect: then the child does not
                // start (the error ends it).
                if nix::unistd::getppid() != parent {
                    return Err(std::io::Error::other("xtask exited while starting it"));
                }
                Ok(())
            });
        }
    }
    cmd
}

/// A child process that is killed (and reaped) when this guard is dropped.
pub struct Guard {
    child: Child,
    name: String,
}

impl Guard {
    pub fn new(child: Child, name: &str) -> Guard {
        Guard {
            child,
            name: name.to_string(),
        }
    }

    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            // Ask politely first so the server can close its sockets, then insist.
            #[cfg(unix)]
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(self.child.id() as i32),
                nix::sys::signal::Signal::SIGTERM,
            );
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    println!("stopped {}", self.name);
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
            println!("killed {}", self.name);
        }
    }
}

/// The URL in the server's readiness line `listening on http://HOST:PORT/`.
pub fn listening_url(line: &str) -> Option<String> {
    let (_, rest) = line.split_once("listening on ")?;
    let url = rest.split_whitespace().next()?;
    (url.starts_with("http://") || url.starts_with("https://")).then(|| url.to_string())
}

/// Start the local server and wait for its `listening on` line. Its stdout is passed through
/// (each line after `prefix`), its stderr goes straight to the terminal.
pub fn start_server(
    binary: &Path,
    dist: &Path,
    host: &str,
    port: u16,
    prefix: &'static str,
) -> Result<(Guard, String)> {
    let mut cmd = Command::new(binary);
    cmd.arg("--dist")
        .arg(dist)
        .arg("--host")
        .arg(host)
        .arg("--port")
        .arg(port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    die_with_parent(&mut cmd);
    let shown = show(&cmd);
    println!("$ {shown}");
    let mut child = cmd
        .spawn()
        .map_err(|err| format!("could not start the server `{shown}`: {err}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut guard = Guard::new(child, "the server");

    let (ready_tx, ready_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut ready_tx = Some(ready_tx);
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            println!("{prefix}{line}");
            if let Some(url) = listening_url(&line) {
                if let Some(tx) = ready_tx.take() {
                    let _ = tx.send(url);
                }
            }
        }
    });

    const READY_TIMEOUT: Duration = Duration::from_secs(30);
    match ready_rx.recv_timeout(READY_TIMEOUT) {
        Ok(url) => Ok((guard, url)),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let status = guard
                .child_mut()
                .wait()
                .map(|s| s.to_string())
                .unwrap_or_else(|e| e.to_string());
            let hint = if port != 0 {
                format!(" (is port {port} already in use? try `--port 0` for a free port)")
            } else {
                String::new()
            };
            Err(format!(
                "the server stopped before it was ready ({status}){hint}"
            ))
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "the server printed no `listening on` line within {} s",
            READY_TIMEOUT.as_secs()
        )),
    }
}

#[cfg(unix)]
mod interrupt {
    use nix::sys::signal::{kill, Signal};
    use nix::unistd::Pid;
    use signal_hook::consts::{SIGINT, SIGTERM};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, OnceLock};

    /// Set by the signal handler itself, so it is true before the child can see the signal.
    static INTERRUPTED: OnceLock<Arc<AtomicBool>> = OnceLock::new();

    /// Handles SIGINT and SIGTERM from now on: the first is passed to `pid` as SIGINT, any
    /// later one kills it.
    pub fn forward_to(pid: u32) -> std::io::Result<()> {
        let flag = INTERRUPTED.get_or_init(Arc::default);
        for signal in [SIGINT, SIGTERM] {
            signal_hook::flag::register(signal, Arc::clone(flag))?;
        }
        let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
        let child = Pid::from_raw(pid as i32);
        std::thread::spawn(move || {
            for (index, _) in signals.forever().enumerate() {
                let signal = if index == 0 {
                    Signal::SIGINT
                } else {
                    Signal::SIGKILL
                };
                let _ = kill(child, signal);
            }
        });
        Ok(())
    }

    pub fn interrupted() -> bool {
        INTERRUPTED
            .get()
            .is_some_and(|flag| flag.load(Ordering::SeqCst))
    }
}

/// From now on Ctrl-C (SIGINT) and SIGTERM are passed to the child instead of ending xtask;
/// a second Ctrl-C kills it. xtask then sees the child exit and returns normally.
pub fn forward_interrupts_to(child: &Child) -> Result<()> {
    #[cfg(unix)]
    interrupt::forward_to(child.id()).map_err(|err| format!("could not handle Ctrl-C: {err}"))?;
    #[cfg(not(unix))]
    let _ = child;
    Ok(())
}

/// Whether Ctrl-C was pressed since `forward_interrupts_to`.
pub fn interrupted() -> bool {
    #[cfg(unix)]
    {
        interrupt::interrupted()
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_readiness_line() {
        assert_eq!(
            listening_url("listening on http://127.0.0.1:41234/").as_deref(),
            Some("http://127.0.0.1:41234/")
        );
        assert_eq!(
            listening_url("  listening on http://[::1]:8080/ \r").as_deref(),
            Some("http://[::1]:8080/")
        );
        assert_eq!(listening_url("GET /api/delay?ms=10 200"), None);
        assert_eq!(listening_url("listening on port 8080"), None);
    }

    #[test]
    fn shows_commands_as_typed() {
        let mut cmd = Command::new("cargo");
        cmd.args(["clippy", "--", "-D", "warnings", "two words"]);
        assert_eq!(show(&cmd), "cargo clippy -- -D warnings 'two words'");
    }
}
