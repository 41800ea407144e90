//! Paste-a-link embedding, as a platform does it: read the lab's page, follow its oEmbed
//! discovery link, read the JSON, and frame the iframe it gives. Addresses that are not this
//! server's lab pages get a 404 and nothing else.

mod common;

use common::Server;

/// The `href` of the page's oEmbed discovery link, with `&amp;` read as `&`.
fn discovery_href(page: &str) -> Option<String> {
    let at = page.find("type=\"application/json+oembed\"")?;
    let rest = &page[at..];
    let start = rest.find("href=\"")? + "href=\"".len();
    let end = rest[start..].find('"')? + start;
    Some(rest[start..end].replace("&amp;", "&"))
}

#[tokio::test]
async fn a_pasted_lab_link_is_discovered_and_embedded_with_its_parameters() {
    let server = Server::start(10_000, 10).await;
    let page = server.get("/?lab=hello&tasks=3&seconds=0.5", &[]).await;
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let href = discovery_href(&page.text()).expect("the page has a discovery link");
    let base = server.base();
    assert!(href.starts_with(&format!("{base}oembed?url=")), "{href}");

    let path = href.strip_prefix(&base[..base.len() - 1]).unwrap();
    let reply = server.get(path, &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.text());
    let json = reply.json();
    assert_eq!(json["version"], "1.0");
    assert_eq!(json["type"], "rich");
    assert_eq!(json["title"], "Async Playground: Hello, await");
    assert_eq!(json["width"], 720);
    assert_eq!(json["height"], 900);
    let html = json["html"].as_str().unwrap();
    assert!(
        html.starts_with(&format!(
            "<iframe src=\"{base}?lab=hello&amp;tasks=3&amp;seconds=0.5&amp;embed=1\""
        )),
        "{html}"
    );
    // The lab's poster is the thumbnail, and the page's preview image.
    assert_eq!(json["thumbnail_url"], format!("{base}posters/hello.png"));
    assert!(page.text().contains(&format!(
        "<meta property=\"og:image\" content=\"{base}posters/hello.png\">"
    )));
    // The page is still the page: its CSP and its loader.
    assert!(page.header("content-security-policy").is_some());
    assert!(page.text().contains("<script type=\"module\">"));
}

#[tokio::test]
async fn foreign_addresses_get_a_404_and_nothing_else() {
    let server = Server::start(10_000, 10).await;
    let base = server.base();
    let encode = |url: &str| form_urlencoded::byte_serialize(url.as_bytes()).collect::<String>();
    for url in [
        "https://evil.example/?lab=hello".to_string(),
        format!("{base}?lab=nope"),
        format!("{base}sub/?lab=hello"),
        base.clone(),
    ] {
        let reply = server
            .get(&format!("/oembed?url={}&format=json", encode(&url)), &[])
            .await;
        assert_eq!(reply.status, 404, "{url}");
        assert_eq!(reply.text(), "Not found.\n", "{url}");
    }
    let reply = server.get("/oembed", &[]).await;
    assert_eq!(reply.status, 404);
    let url = encode(&format!("{base}?lab=hello"));
    let reply = server
        .get(&format!("/oembed?url={url}&format=xml"), &[])
        .await;
    assert_eq!(reply.status, 501);
}

#[tokio::test]
async fn only_lab_pages_carry_a_discovery_link() {
    let server = Server::start(10_000, 10).await;
    for path in ["/", "/?lab=nope", "/sub/"] {
        let page = server.get(path, &[]).await;
        assert!(discovery_href(&page.text()).is_none(), "{path}");
    }
    // Behind a proxy, the link is for the address the learner used.
    let page = server
        .get(
            "/?lab=sleep",
            &[
                ("X-Forwarded-Host", "example.org"),
                ("X-Forwarded-Proto", "https"),
                ("X-Forwarded-Prefix", "/courses/async"),
            ],
        )
        .await;
    let href = discovery_href(&page.text()).unwrap();
    assert!(
        href.starts_with("https://example.org/courses/async/oembed?url=https%3A%2F%2Fexample.org%2Fcourses%2Fasync%2F%3Flab%3Dsleep"),
        "{href}"
    );
}
