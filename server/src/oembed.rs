//! Paste-a-link embedding: oEmbed (<https://oembed.com>), which WordPress-based course
//! platforms, Discourse and Ghost follow when an author pastes a lab's address.
//!
//! - `GET oembed?url=<a lab's address>&format=json` answers the lab's iframe snippet (its
//!   parameters, `embed=1`) as a `rich` oEmbed response. A `url` that is not one of this
//!   server's lab pages gets a 404 and nothing else; a format other than JSON, 501.
//! - Each lab page this server serves carries the discovery link for its own address
//!   (`<link rel="alternate" type="application/json+oembed" href="...">`), written into the
//!   build's `index.html` as it goes out.
//!
//! The public address of the page is the request's (`Host`, or a proxy's `X-Forwarded-Host`,
//! `X-Forwarded-Proto` and `X-Forwarded-Prefix`), unless `--public-url` gives it.

use std::path::Path;

use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// The iframe's height in the snippet, CSS pixels (a lab's form and results fit).
const HEIGHT: u64 = 900;
/// The width the response gives (the snippet itself is `width="100%"`).
const WIDTH: u64 = 720;

/// Where the server is reached, when the request cannot tell (behind a proxy that strips a
/// prefix and says nothing of it).
#[derive(Clone, Debug, Default)]
pub struct PublicUrl(pub Option<String>);

/// The address the page is served at, ending in `/`: `--public-url`, or the request's.
pub fn public_base(headers: &HeaderMap, configured: &PublicUrl) -> Option<String> {
    if let Some(url) = &configured.0 {
        let url = url.trim();
        return Some(if url.ends_with('/') {
            url.to_string()
        } else {
            format!("{url}/")
        });
    }
    let first = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let proto = first("x-forwarded-proto").unwrap_or_else(|| "http".to_string());
    if proto != "http" && proto != "https" {
        return None;
    }
    let host = first("x-forwarded-host").or_else(|| first("host"))?;
    let host_ok = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    if !host_ok {
        return None;
    }
    let prefix = first("x-forwarded-prefix").unwrap_or_default();
    let prefix = prefix.trim_matches('/');
    let prefix_ok = prefix
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~/".contains(c));
    if !prefix_ok {
        return None;
    }
    Some(if prefix.is_empty() {
        format!("{proto}://{host}/")
    } else {
        format!("{proto}://{host}/{prefix}/")
    })
}

/// The lab a page address under `base` opens, with its query: `None` if the address is not one
/// of this server's lab pages (another host, another path, no known `lab`).
pub fn lab_page(url: &str, base: &str) -> Option<(&'static labs::LabSpec, String)> {
    let rest = url.strip_prefix(base)?;
    let rest = rest.split('#').next().unwrap_or_default();
    let (path, query) = rest.split_once('?')?;
    if !path.is_empty() && path != "index.html" {
        return None;
    }
    let lab = form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == "lab")
        .and_then(|(_, id)| labs::find(&id))?;
    Some((lab, query.to_string()))
}

/// The snippet's address: the lab page's query with `embed=1`.
fn embed_src(base: &str, query: &str) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if key != "embed" {
            out.append_pair(&key, &value);
        }
    }
    out.append_pair("embed", "1");
    format!("{base}?{}", out.finish())
}

/// `text` safe inside a double-quoted HTML attribute or as text.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The iframe snippet of the lab page `query` under `base`, titled `title`.
pub fn snippet(base: &str, query: &str, title: &str) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{HEIGHT}\" loading=\"lazy\" \
         style=\"border:0\"></iframe>",
        escaped(&embed_src(base, query)),
        escaped(title)
    )
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found.\n").into_response()
}

/// `GET oembed`: the lab's snippet as a `rich` oEmbed response.
pub async fn answer(
    State(configured): State<PublicUrl>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let param = |name: &str| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    if param("format").is_some_and(|f| f != "json") {
        return (
            StatusCode::NOT_IMPLEMENTED,
            "Only format=json is answered.\n",
        )
            .into_response();
    }
    let Some(base) = public_base(&headers, &configured) else {
        return not_found();
    };
    let Some(url) = param("url") else {
        return not_found();
    };
    let Some((lab, lab_query)) = lab_page(&url, &base) else {
        return not_found();
    };
    let limit = |name: &str, default: u64| {
        param(name)
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|v| *v > 0)
            .map_or(default, |v| v.min(default))
    };
    let title = format!("Async Playground: {}", lab.title);
    let body = json!({
        "version": "1.0",
        "type": "rich",
        "provider_name": "Async Playground",
        "provider_url": base,
        "title": title,
        "html": snippet(&base, &lab_query, &title),
        "width": limit("maxwidth", WIDTH),
        "height": limit("maxheight", HEIGHT),
        "thumbnail_url": format!("{base}posters/{}.png", lab.id),
        "thumbnail_width": 1200,
        "thumbnail_height": 630,
    });
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The discovery link of the lab page at `page_url` (under `base`).
pub fn discovery_link(base: &str, page_url: &str, title: &str) -> String {
    let href = format!(
        "{base}oembed?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("url", page_url)
            .append_pair("format", "json")
            .finish()
    );
    format!(
        "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{}\" title=\"{}\">",
        escaped(&href),
        escaped(title)
    )
}

/// `index_html` with `link` written after its `<title>` (or at its start, if it has none).
pub fn with_link(index_html: &str, link: &str) -> String {
    match index_html.find("</title>") {
        Some(at) => {
            let end = at + "</title>".len();
            format!("{}{link}{}", &index_html[..end], &index_html[end..])
        }
        None => format!("{link}{index_html}"),
    }
}

/// Serves a lab page (`/` or `/index.html` with a known `lab`) with its discovery link;
/// every other request goes on as it came.
pub async fn discovery(
    State((dist, configured)): State<(std::path::PathBuf, PublicUrl)>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let is_page = path == "/" || path == "/index.html";
    let lab_page = is_page
        .then(|| public_base(request.headers(), &configured))
        .flatten()
        .and_then(|base| {
            let page = format!("{base}{}", path.trim_start_matches('/'));
            let query = request.uri().query()?;
            let url = format!("{page}?{query}");
            let (lab, _) = lab_page(&url, &base)?;
            Some((base, url, lab))
        });
    let Some((base, url, lab)) = lab_page else {
        return next.run(request).await;
    };
    let Ok(index) = read_index(&dist).await else {
        return next.run(request).await;
    };
    let title = format!("Async Playground: {}", lab.title);
    // The link, and the lab's poster as its preview image (`cargo xtask` builds write them).
    let preview = format!(
        "<meta property=\"og:title\" content=\"{}\"><meta property=\"og:image\" content=\"{}\">",
        escaped(&title),
        escaped(&format!("{base}posters/{}.png", lab.id))
    );
    let html = with_link(&index, &(discovery_link(&base, &url, &title) + &preview));
    let mut response = html.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

async fn read_index(dist: &Path) -> std::io::Result<String> {
    tokio::fs::read_to_string(dist.join("index.html")).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn the_public_address_is_the_requests_or_the_proxys_or_the_configured_one() {
        let none = PublicUrl::default();
        let base = |h: &[(&'static str, &str)]| public_base(&headers(h), &none);
        assert_eq!(
            base(&[("host", "127.0.0.1:8080")]).as_deref(),
            Some("http://127.0.0.1:8080/")
        );
        assert_eq!(
            base(&[
                ("host", "127.0.0.1:8080"),
                ("x-forwarded-host", "example.org"),
                ("x-forwarded-proto", "https"),
                ("x-forwarded-prefix", "/courses/async/")
            ])
            .as_deref(),
            Some("https://example.org/courses/async/")
        );
        assert_eq!(base(&[("host", "evil\"><script>")]), None);
        assert_eq!(
            base(&[("host", "a"), ("x-forwarded-proto", "javascript")]),
            None
        );
        assert_eq!(base(&[]), None);
        let configured = PublicUrl(Some("https://example.org/play".into()));
        assert_eq!(
            public_base(&headers(&[("host", "x")]), &configured).as_deref(),
            Some("https://example.org/play/")
        );
    }

    #[test]
    fn only_this_servers_lab_pages_are_lab_pages() {
        let base = "https://example.org/play/";
        let (lab, query) = lab_page("https://example.org/play/?lab=hello&tasks=3", base).unwrap();
        assert_eq!((lab.id, query.as_str()), ("hello", "lab=hello&tasks=3"));
        assert!(lab_page("https://example.org/play/index.html?lab=sleep#top", base).is_some());
        for foreign in [
            "https://evil.example/play/?lab=hello",
            "https://example.org/other/?lab=hello",
            "https://example.org/play/?lab=nope",
            "https://example.org/play/",
            "https://example.org/play/api/delay?lab=hello",
            "https://example.org/play.evil/?lab=hello",
        ] {
            assert!(lab_page(foreign, base).is_none(), "{foreign}");
        }
    }

    #[test]
    fn the_snippet_is_the_labs_iframe_with_embed_1_and_escaped() {
        let html = snippet(
            "https://example.org/play/",
            "lab=hello&tasks=3&embed=0&id=a\"b",
            "Async Playground: Hello, await",
        );
        assert_eq!(
            html,
            "<iframe src=\"https://example.org/play/?lab=hello&amp;tasks=3&amp;id=a%22b&amp;embed=1\" \
             title=\"Async Playground: Hello, await\" width=\"100%\" height=\"900\" \
             loading=\"lazy\" style=\"border:0\"></iframe>"
        );
    }

    #[test]
    fn the_discovery_link_follows_the_title_with_its_ampersand_written_as_amp() {
        let link = discovery_link("http://h/", "http://h/?lab=hello&tasks=2", "T");
        assert_eq!(
            link,
            "<link rel=\"alternate\" type=\"application/json+oembed\" \
             href=\"http://h/oembed?url=http%3A%2F%2Fh%2F%3Flab%3Dhello%26tasks%3D2&amp;format=json\" \
             title=\"T\">"
        );
        assert_eq!(
            with_link("<head><title>A</title><meta x></head>", "<L>"),
            "<head><title>A</title><L><meta x></head>"
        );
    }
}
