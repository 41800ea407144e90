//! The embed snippet a course author copies: the frame's address for the page as it stands
//! (`embed=1`), with the options the author chooses beside it (the frame's `id` in result
//! messages, `run=1`, the theme, the frame's height), and the `<iframe>` element itself.

use crate::state::PageModel;
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

impl PageModel {
    /// The query of the embed snippet's frame: the page as it stands, embedded, with the
    /// author's options in place of the page's own `run`, `theme` and `id`.
    pub fn embed_query(&self) -> String {
        let options = &self.embed;
        let mut url = self.url.clone();
        url.embed = true;
        url.run = options.run;
        url.theme = options.theme;
        url.id = (!options.id.is_empty()).then(|| options.id.clone());
        url.to_query()
    }

    /// The `<iframe>` a course page pastes, framing `address` (the page's own, without a
    /// query) with the embed query, titled after `title`.
    pub fn embed_snippet(&self, address: &str, title: &str) -> String {
        format!(
            "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{}\" loading=\"lazy\" style=\"border:0\"></iframe>",
            attribute(&format!("{address}?{}", self.embed_query())),
            attribute(&format!("Async Playground: {title}")),
            self.embed.height
        )
    }
}

/// Escapes text for an HTML attribute value in the snippet.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::PageAction;
    use crate::url_state::UrlState;

    fn hello() -> PageModel {
        PageModel::new(UrlState::parse("?lab=hello&theme=dark&id=mine"))
    }

    fn with(model: PageModel, changes: Vec<EmbedChange>) -> PageModel {
        changes.into_iter().fold(model, |model, change| {
            model.update(PageAction::Embed(change)).0
        })
    }

    #[test]
    fn the_frame_opens_the_page_as_it_stands_embedded_with_the_author_s_options() {
        let model = hello();
        let plain = UrlState::parse(&format!("?{}", model.embed_query()));
        assert!(plain.embed && !plain.run);
        assert_eq!((plain.theme, plain.id), (None, None));
        assert_eq!(plain.lab.map(|l| l.id), Some("hello"));

        let model = with(
            model,
            vec![
                EmbedChange::Id("  week 3 & <quiz>  ".into()),
                EmbedChange::Run(true),
                EmbedChange::Theme(Some(Theme::Light)),
            ],
        );
        let chosen = UrlState::parse(&format!("?{}", model.embed_query()));
        assert!(chosen.embed && chosen.run);
        assert_eq!(chosen.theme, Some(Theme::Light));
        assert_eq!(chosen.id.as_deref(), Some("week 3 & <quiz>"));
        assert!(chosen.notices.is_empty(), "{:?}", chosen.notices);
    }

    #[test]
    fn the_snippet_escapes_its_attributes_and_takes_only_a_sensible_height() {
        let model = with(
            hello(),
            vec![
                EmbedChange::Id("a\"b".into()),
                EmbedChange::Height("640".into()),
                EmbedChange::Height("12".into()),
                EmbedChange::Height("tall".into()),
            ],
        );
        let snippet = model.embed_snippet("https://example.org/play/", "Hello, await");
        assert!(snippet.starts_with("<iframe src=\"https://example.org/play/?"));
        assert!(snippet.contains("embed=1"));
        assert!(snippet.contains("title=\"Async Playground: Hello, await\""));
        assert!(snippet.contains("height=\"640\""));
        assert!(snippet.contains("&amp;"));
        let src = snippet.split('"').nth(1).unwrap();
        assert!(!src.contains('"') && !src.contains('<'));
        let long = with(hello(), vec![EmbedChange::Id("x".repeat(300))]);
        assert_eq!(long.embed.id.chars().count(), MAX_ID_CHARS);
    }
}
