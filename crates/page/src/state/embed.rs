//! The embed snippet of the page as it stands: the frame's address (`embed=1`) with the
//! author's options ([`crate::embed_snippet::EmbedOptions`]), and the `<iframe>` element.

use super::PageModel;

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
    use crate::embed_snippet::EmbedChange;
    use crate::state::PageAction;
    use crate::url_state::{Theme, UrlState, MAX_ID_CHARS};

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
