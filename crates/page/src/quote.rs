//! How text from a link, a file or a browser is quoted in a notice: without the characters
//! that would hide or reorder it, and cut when long. Nothing quoted is ever markup (Yew
//! escapes text); this keeps it readable.

/// Shows a raw URL value in a notice: trimmed, short, without control characters.
pub fn shown(raw: &str) -> String {
    let clean: String = raw.chars().filter(|c| !is_hidden_char(*c)).collect();
    if clean.chars().count() > 40 {
        format!(
            "\u{201c}{}\u{2026}\u{201d}",
            clean.chars().take(40).collect::<String>()
        )
    } else {
        format!("\u{201c}{clean}\u{201d}")
    }
}

/// Characters that would hide or reorder text in a notice: controls and bidi overrides.
pub fn is_hidden_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}
