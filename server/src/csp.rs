//! The Content-Security-Policy, built once at startup from `dist/index.html`.
//!
//! Trunk's release build starts the app with an inline `<script type="module">`. A strict CSP
//! must allow exactly that script and nothing else inline, so we allow it by its SHA-256 hash
//! (never `'unsafe-inline'`). The hashes are computed here from the built page itself, so they
//! always match what the browser will see.

use base64::{engine::general_purpose::STANDARD, Engine as _};
use sha2::{Digest, Sha256};

/// The policy of the example course page and its scripts (`examples/`): a page of a course
/// site, not of the playground, so it frames any http(s) page (the labs wherever they are
/// served) and keeps its own `<style>`; everything else only from this site.
pub const EXAMPLES_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     frame-src http: https:; object-src 'none'; base-uri 'self'; frame-ancestors * file:";

/// Builds the full policy for a page whose inline scripts are those of `index_html`.
///
/// `frame-ancestors * file:` is deliberate: course sites embed the page from any origin, so the
/// page must never refuse to be framed (and the server never sends `X-Frame-Options`); `*`
/// matches every http(s) origin but not a page opened from disk, which `file:` adds (the
/// example course page works opened from disk, as the README says).
/// `connect-src` allows any http(s) URL because a lab may `fetch` a user's own `url`.
/// `worker-src blob:` is there because worker helpers such as gloo spawn from a `blob:` URL.
pub fn policy_for(index_html: &str) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in inline_script_hashes(index_html) {
        script_src.push(' ');
        script_src.push_str(&hash);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self' http: https:; worker-src 'self' blob:; \
         frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors * file:"
    )
}

/// Returns `'sha256-<base64>'` for every inline script of the page, in document order,
/// without duplicates (two identical scripts need only one source expression).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes: Vec<String> = Vec::new();
    for body in inline_scripts(html) {
        let hash = sha256_source(&body);
        if !hashes.contains(&hash) {
            hashes.push(hash);
        }
    }
    hashes
}

/// The CSP source expression for one script text.
///
/// The browser hashes the element's text *after* HTML input preprocessing, which turns every
/// CR LF and lone CR into LF. A page saved with Windows line endings would otherwise get a hash
/// that never matches, so we normalise the same way before hashing.
pub fn sha256_source(script_text: &str) -> String {
    let normalised = script_text.replace("\r\n", "\n").replace('\r', "\n");
    let digest = Sha256::digest(normalised.as_bytes());
    format!("'sha256-{}'", STANDARD.encode(digest))
}

/// The exact text of every `<script>` element that has no `src` attribute, in document order.
///
/// The page is read by `lol_html`'s HTML tokenizer, so comments, `<style>` bodies, quoted
/// attribute values holding `>` and end tags such as `</SCRIPT >` are read as a browser reads
/// them. A page it cannot read (never one Trunk writes) has no inline script it knows of.
pub fn inline_scripts(html: &str) -> Vec<String> {
    let scripts = std::cell::RefCell::new(Vec::<String>::new());
    let settings = lol_html::Settings::new()
        .append_element_content_handler(lol_html::element!("script:not([src])", |_| {
            scripts.borrow_mut().push(String::new());
            Ok(())
        }))
        .append_element_content_handler(lol_html::text!("script:not([src])", |chunk| {
            if let Some(script) = scripts.borrow_mut().last_mut() {
                script.push_str(chunk.as_str());
            }
            Ok(())
        }));
    match lol_html::rewrite_str(html, settings) {
        Ok(_) => scripts.into_inner(),
        Err(_) => Vec::new(),
    }
}

/// The CSP header for a build, re-derived whenever its `index.html` changes on disk.
pub struct LivePolicy {
    index_path: std::path::PathBuf,
    cached: std::sync::Mutex<(Option<std::time::SystemTime>, axum::http::HeaderValue)>,
}

impl LivePolicy {
    /// Reads `index_path` now; fails when it cannot be read.
    pub fn new(index_path: std::path::PathBuf) -> std::io::Result<Self> {
        let (modified, value) = Self::read(&index_path)?;
        Ok(LivePolicy {
            index_path,
            cached: std::sync::Mutex::new((modified, value)),
        })
    }

    fn read(
        path: &std::path::Path,
    ) -> std::io::Result<(Option<std::time::SystemTime>, axum::http::HeaderValue)> {
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        let html = std::fs::read_to_string(path)?;
        // Built from our own hashes and fixed text: always a valid header value.
        let value = axum::http::HeaderValue::from_str(&policy_for(&html))
            .expect("the CSP is visible ASCII");
        Ok((modified, value))
    }

    /// The policy for the build on disk now (the last good one if the file cannot be read,
    /// e.g. in the middle of a rebuild).
    pub fn current(&self) -> axum::http::HeaderValue {
        let modified = std::fs::metadata(&self.index_path)
            .and_then(|m| m.modified())
            .ok();
        let mut cached = self
            .cached
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if modified.is_some() && modified != cached.0 {
            if let Ok(fresh) = Self::read(&self.index_path) {
                *cached = fresh;
            }
        }
        cached.1.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html><head>
<!-- <script>not me</script> -->
<!--><script>inline after an abrupt comment</script>
<script src="/external.js" defer></script>
<SCRIPT type="module" data-x='a > b'>
import init from '/app-0123456789abcdef.js';
await init();
</SCRIPT >
<style>p::after { content: "<script>no</script>"; }</style>
<script data-src="x">console.log("</scripts> is not an end tag");</script>
<script src=/unquoted.js></script>
</head><body></body></html>"#;

    #[test]
    fn finds_inline_scripts_and_skips_external_commented_and_style() {
        let scripts = inline_scripts(PAGE);
        assert_eq!(
            scripts,
            vec![
                "inline after an abrupt comment",
                "\nimport init from '/app-0123456789abcdef.js';\nawait init();\n",
                r#"console.log("</scripts> is not an end tag");"#,
            ]
        );
    }

    #[test]
    fn hash_matches_known_value() {
        // `echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            sha256_source("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
        assert_eq!(sha256_source("a\r\nb\rc"), sha256_source("a\nb\nc"));
    }

    #[test]
    fn policy_lists_each_hash_once_and_allows_framing() {
        let page = "<script>x()</script><script>x()</script><script>y()</script>";
        let policy = policy_for(page);
        assert!(policy.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' {} {};",
            sha256_source("x()"),
            sha256_source("y()")
        )));
        assert!(policy.ends_with("frame-ancestors * file:"));
        assert!(!policy.contains("unsafe-inline"));
    }

    #[test]
    fn truncated_markup_is_read_as_a_browser_would() {
        for page in [
            "<script",
            "<script>abc",
            "<!--",
            "<script a='",
            "<script a=",
            "<",
            "</",
        ] {
            let _ = inline_scripts(page);
        }
        assert_eq!(inline_scripts("<script>abc"), vec!["abc"]);
        assert!(inline_scripts("<scripts>abc</scripts>").is_empty());
    }

    #[test]
    fn a_rebuilt_index_gets_a_new_policy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.html");
        std::fs::write(&path, "<script>one()</script>").unwrap();
        let live = LivePolicy::new(path.clone()).unwrap();
        let before = live.current();
        std::fs::write(&path, "<script>two()</script>").unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(later)
            .unwrap();
        let after = live.current();
        assert_ne!(before, after);
        assert!(after.to_str().unwrap().contains(&sha256_source("two()")));
    }
}
