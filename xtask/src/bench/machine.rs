//! The machine a bench ran on, and when: cores, memory, CPU model, the browser's and the
//! interpreter's versions, the commit; and the UTC time the report is named after.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::table::bytes;
use crate::process::capture;
use crate::Ctx;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Machine {
    /// When the bench started, `2026-12-02 00:40 UTC`.
    pub started_utc: String,
    pub cores: usize,
    pub cpu_model: String,
    pub memory_bytes: u64,
    pub os: String,
    pub chromium: Option<String>,
    pub python: Option<String>,
    pub node: Option<String>,
    /// The commit measured, `-dirty` when the checkout had changes.
    pub commit: Option<String>,
    /// How long the whole bench took, build included, s.
    pub seconds: f64,
    /// The one-minute load average as the measurements start and as they end: a machine busy
    /// with other work measures slower.
    #[serde(default)]
    pub load_average: [Option<f64>; 2],
}

/// The one-minute load average (`/proc/loadavg`).
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

impl Machine {
    /// What can be known before the run: the hardware, the OS, the commit, the time.
    pub fn describe(ctx: &Ctx, now: SystemTime) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let os_release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
        let git = |args: &[&str]| capture(Command::new("git").current_dir(&ctx.root).args(args));
        let commit = git(&["rev-parse", "--short=12", "HEAD"]).map(|commit| {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|changes| !changes.is_empty());
            if dirty {
                format!("{commit}-dirty")
            } else {
                commit
            }
        });
        Machine {
            started_utc: utc(now).display,
            cores: std::thread::available_parallelism().map_or(0, usize::from),
            cpu_model: field(&cpuinfo, "model name").unwrap_or_else(|| "unknown CPU".to_string()),
            memory_bytes: field(&meminfo, "MemTotal")
                .and_then(|kb| kb.trim_end_matches("kB").trim().parse::<u64>().ok())
                .map_or(0, |kb| kb * 1024),
            os: field_eq(&os_release, "PRETTY_NAME").unwrap_or_else(|| "unknown OS".to_string()),
            chromium: None,
            python: None,
            node: capture(Command::new("node").arg("--version")),
            commit,
            seconds: 0.0,
            load_average: [None; 2],
        }
    }

    /// One line for the README: where and when the figures were measured.
    pub fn line(&self) -> String {
        let or_unknown = |v: &Option<String>| v.clone().unwrap_or_else(|| "unknown".to_string());
        let load = |l: Option<f64>| l.map_or("?".to_string(), |l| format!("{l:.2}"));
        format!(
            "Measured {} on {} cores ({}), {} of memory, {}; Chromium {}, {}, commit {}; load \
             average {} as the measurements started, {} as they ended; the whole bench took {} \
             min {} s.",
            self.started_utc,
            self.cores,
            self.cpu_model,
            bytes(self.memory_bytes as f64),
            self.os,
            or_unknown(&self.chromium),
            self.python
                .clone()
                .unwrap_or_else(|| "no CPython".to_string()),
            or_unknown(&self.commit),
            load(self.load_average[0]),
            load(self.load_average[1]),
            (self.seconds / 60.0).floor(),
            (self.seconds % 60.0).floor(),
        )
    }
}

/// The value of the first `key: value` line of a /proc file.
fn field(text: &str, key: &str) -> Option<String> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim().to_string())
}

/// The value of a `KEY="value"` line of os-release.
fn field_eq(text: &str, key: &str) -> Option<String> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
}

/// A UTC time for a file name (`20261202T004012Z`) and for a person (`2026-12-02 00:40 UTC`).
pub struct Utc {
    pub stamp: String,
    pub display: String,
}

pub fn utc(time: SystemTime) -> Utc {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    let (hh, mm, ss) = (rest / 3600, rest / 60 % 60, rest % 60);
    Utc {
        stamp: format!("{y:04}{m:02}{d:02}T{hh:02}{mm:02}{ss:02}Z"),
        display: format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02} UTC"),
    }
}

/// The proleptic Gregorian date of a count of days since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn utc_names_the_day_and_time() {
        let at = |secs| UNIX_EPOCH + Duration::from_secs(secs);
        assert_eq!(utc(at(0)).stamp, "19700101T000000Z");
        // 2000-02-29 12:34:56, a leap day.
        assert_eq!(utc(at(951_827_696)).stamp, "20000229T123456Z");
        assert_eq!(utc(at(951_827_696)).display, "2000-02-29 12:34 UTC");
        // 2026-12-31 23:59:59.
        assert_eq!(utc(at(1_798_761_599)).stamp, "20261231T235959Z");
    }

    #[test]
    fn reads_proc_files() {
        let cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags\t: fpu\n";
        assert_eq!(
            field(cpuinfo, "model name").as_deref(),
            Some("AMD EPYC 7B13")
        );
        assert_eq!(
            field_eq(
                "NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
                "PRETTY_NAME"
            )
            .as_deref(),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
    }
}
