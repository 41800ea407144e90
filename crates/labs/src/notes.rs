//! A lab's prose: what to notice, where the article is wrong, the generators' versions and the
//! pitfalls' explanations. It lives in a file of the build, `www/notes/<lab>.txt`, which the
//! page reads when the lab opens: the prose of every lab is not part of the first download.
//!
//! The format: lines starting with `#` are comments; a `[section]` line starts a section; every
//! other non-blank line is one paragraph of the current section.

use std::fmt;

/// The sections a lab's notes may have.
pub mod section {
    /// What to notice on the lab.
    pub const NOTICE: &str = "notice";
    /// Where the article's text or code is wrong, and what is right.
    pub const CORRECTIONS: &str = "corrections";

    /// What to notice in version `number` of the generators lab.
    pub fn version(number: u8) -> String {
        format!("version-{number}")
    }

    /// Why a pitfall's Python (`python-why`) or Rust (`rust-why`) says what it says.
    pub fn why(pitfall: &str, language: &str) -> String {
        format!("{pitfall}.{language}-why")
    }
}

/// The largest notes file the page reads, bytes.
pub const MAX_BYTES: usize = 64 * 1024;

/// Where the page finds lab `id`'s notes, relative to the page.
pub fn path(id: &str) -> String {
    format!("notes/{id}.txt")
}

/// A lab's notes, by section.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Notes {
    sections: Vec<(String, Vec<String>)>,
}

/// Why a text is not a notes file.
#[derive(Clone, Debug, PartialEq)]
pub enum NotesError {
    /// Bigger than [`MAX_BYTES`].
    TooBig(usize),
    /// A paragraph before the first `[section]` line (an HTML error page, say).
    NoSection(usize),
    /// A `[` line that does not end in `]`, or an empty name.
    BadSection(usize),
}

impl fmt::Display for NotesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotesError::TooBig(n) => write!(f, "it is {n} bytes, more than a notes file can be"),
            NotesError::NoSection(line) => {
                write!(
                    f,
                    "line {line} comes before any [section]: it is not a notes file"
                )
            }
            NotesError::BadSection(line) => write!(f, "line {line} is not a [section] line"),
        }
    }
}

impl Notes {
    /// Reads a notes file.
    pub fn parse(text: &str) -> Result<Notes, NotesError> {
        if text.len() > MAX_BYTES {
            return Err(NotesError::TooBig(text.len()));
        }
        let mut sections: Vec<(String, Vec<String>)> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(name) = line.strip_prefix('[') {
                let name = name
                    .strip_suffix(']')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .ok_or(NotesError::BadSection(i + 1))?;
                sections.push((name.to_string(), Vec::new()));
            } else {
                let (_, paragraphs) = sections.last_mut().ok_or(NotesError::NoSection(i + 1))?;
                paragraphs.push(line.to_string());
            }
        }
        Ok(Notes { sections })
    }

    /// The paragraphs of `section` (none if it is missing).
    pub fn get(&self, section: &str) -> &[String] {
        self.sections
            .iter()
            .find(|(name, _)| name == section)
            .map_or(&[], |(_, paragraphs)| paragraphs.as_slice())
    }

    /// The names of its sections, in file order.
    pub fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().map(|(name, _)| name.as_str())
    }
}

/// Where the page stands on the open lab's notes.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum NotesState {
    /// Asked for, not arrived.
    #[default]
    Loading,
    /// Read.
    Ready(std::rc::Rc<Notes>),
    /// Could not be read: why, in words.
    Failed(String),
}

impl NotesState {
    /// The state once the notes file's text (or the reason the fetch failed) arrived.
    pub fn arrived(text: Result<String, String>) -> NotesState {
        match text.and_then(|t| Notes::parse(&t).map_err(|e| e.to_string())) {
            Ok(notes) => NotesState::Ready(std::rc::Rc::new(notes)),
            Err(why) => NotesState::Failed(why),
        }
    }

    /// The paragraphs of `section`, once read.
    pub fn get(&self, section: &str) -> &[String] {
        match self {
            NotesState::Ready(notes) => notes.get(section),
            _ => &[],
        }
    }
}

/// Lab `id`'s notes file in this checkout (`www/notes/<id>.txt`), for the native tests and the
/// CPython checks: `None` if there is none.
#[cfg(any(test, feature = "fidelity"))]
pub fn bundled(id: &str) -> Option<Notes> {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../www")
        .join(path(id));
    let text = std::fs::read_to_string(file).ok()?;
    Some(Notes::parse(&text).expect("the build's notes files parse"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{pitfalls::PITFALLS, LABS};

    #[test]
    fn a_notes_file_is_read_by_section_one_paragraph_a_line() {
        let notes =
            Notes::parse("# about\n\n[notice]\nOne.\n  Two.  \n[corrections]\nThree.\n").unwrap();
        assert_eq!(notes.get("notice"), ["One.", "Two."]);
        assert_eq!(notes.get("corrections"), ["Three."]);
        assert!(notes.get("version-9").is_empty());
        assert_eq!(
            notes.section_names().collect::<Vec<_>>(),
            ["notice", "corrections"]
        );
    }

    #[test]
    fn what_is_not_a_notes_file_is_refused_in_words() {
        let html = "<!doctype html>\n<title>Not found</title>";
        assert_eq!(Notes::parse(html), Err(NotesError::NoSection(1)));
        assert_eq!(Notes::parse("[notice"), Err(NotesError::BadSection(1)));
        assert_eq!(Notes::parse("[ ]"), Err(NotesError::BadSection(1)));
        let big = "x".repeat(MAX_BYTES + 1);
        assert!(matches!(Notes::parse(&big), Err(NotesError::TooBig(_))));
        let state = NotesState::arrived(Ok(html.to_string()));
        assert_eq!(
            state,
            NotesState::Failed(
                "line 1 comes before any [section]: it is not a notes file".to_string()
            )
        );
        assert!(state.get("notice").is_empty());
        let failed = NotesState::arrived(Err("the server answered 404 Not Found".into()));
        assert!(matches!(failed, NotesState::Failed(w) if w.contains("404")));
    }

    #[test]
    fn the_million_sleeps_figure_for_cpython_is_the_cost_models() {
        use sim::cpython::{durations, range, versions};
        let notes = bundled("sleep").expect("the sleep lab's notes");
        let (low, high) = range(|c| Some(c.gather_sleeps_ms(1_000_000, 1_000.0))).unwrap();
        let (_, bytes) = range(|c| Some(c.sleeps_bytes(1_000_000))).unwrap();
        let gb = sim::format::fixed(bytes / 1e9, 1);
        let sentence = format!(
            "a million sleeps took {} {} and {gb} GB",
            versions(),
            durations((low, high))
        );
        assert!(
            notes
                .get(section::NOTICE)
                .iter()
                .any(|p| p.contains(&sentence)),
            "sleep.txt should say: {sentence}"
        );
    }

    #[test]
    fn free_threaded_cpython_is_slower_on_one_thread_by_the_stored_figure() {
        let notes = bundled("is-prime").expect("the is-prime lab's notes");
        let percent = ((sim::cpython::FREE_THREADED_SLOWDOWN - 1.0) * 100.0).round() as u32;
        let words = format!("about {percent}% slower on one thread by the Python docs");
        assert!(
            notes
                .get(section::NOTICE)
                .iter()
                .any(|p| p.contains(&words)),
            "is-prime.txt should say: {words}"
        );
    }

    #[test]
    fn every_lab_with_a_page_has_notes_with_what_to_notice() {
        for lab in LABS {
            let notes = bundled(lab.id).unwrap_or_else(|| panic!("{}: no notes file", lab.id));
            assert!(!notes.get(section::NOTICE).is_empty(), "{}", lab.id);
            for name in notes.section_names() {
                assert!(!notes.get(name).is_empty(), "{}: [{name}] is empty", lab.id);
            }
        }
    }

    #[test]
    fn every_generators_version_and_every_pitfall_is_explained() {
        let generators = bundled("generators").unwrap();
        for solution in sim::generators::Solution::ALL {
            let name = section::version(solution.number());
            assert_eq!(generators.get(&name).len(), 2, "{name}");
        }
        let pitfalls = bundled("pitfalls").unwrap();
        for p in PITFALLS {
            for language in ["python", "rust"] {
                let name = section::why(p.id, language);
                assert_eq!(pitfalls.get(&name).len(), 1, "{name}");
            }
        }
    }
}
