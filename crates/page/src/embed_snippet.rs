//! The options of the embed snippet a course author copies (the frame's `id` in result
//! messages, `run=1`, the theme, the frame's height). The page writes the snippet from them
//! (`crate::state::PageModel::embed_snippet`).

use crate::url_state::{Theme, MAX_ID_CHARS};

/// The frame's height the snippet starts with, px: a lab before a run, embedded.
pub const DEFAULT_HEIGHT: u32 = 900;
/// The heights the snippet accepts, px.
pub const HEIGHTS: std::ops::RangeInclusive<u32> = 200..=4000;

/// What the author chose for the frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedOptions {
    /// The frame's `id` (empty: none), echoed in its result messages.
    pub id: String,
    /// Whether the frame runs the lab as soon as it opens (`run=1`).
    pub run: bool,
    /// The frame's theme (`None`: the reader's system setting).
    pub theme: Option<Theme>,
    /// The frame's height attribute, px.
    pub height: u32,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            id: String::new(),
            run: false,
            theme: None,
            height: DEFAULT_HEIGHT,
        }
    }
}

/// One control of the snippet changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmbedChange {
    /// The "Frame id" field: at most [`MAX_ID_CHARS`] characters are kept.
    Id(String),
    /// "Run when the frame opens".
    Run(bool),
    /// The "Frame theme" select.
    Theme(Option<Theme>),
    /// The "Frame height (px)" field, as typed: a whole number in [`HEIGHTS`] is taken,
    /// anything else leaves the height as it was.
    Height(String),
}

impl EmbedOptions {
    /// The options after `change`.
    pub fn changed(mut self, change: EmbedChange) -> Self {
        match change {
            EmbedChange::Id(id) => self.id = id.trim().chars().take(MAX_ID_CHARS).collect(),
            EmbedChange::Run(run) => self.run = run,
            EmbedChange::Theme(theme) => self.theme = theme,
            EmbedChange::Height(raw) => {
                if let Ok(height) = raw.trim().parse::<u32>() {
                    if HEIGHTS.contains(&height) {
                        self.height = height;
                    }
                }
            }
        }
        self
    }
}
