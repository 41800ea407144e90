//! The content height, told to the host page in every form course platforms listen for, from
//! this one place. Each form is plain data (the browser edge posts it as it is, or as its JSON
//! text where the form is a string):
//!
//! | form | posted as | who listens |
//! | --- | --- | --- |
//! | `{type: "async-playground:resize", height}` | object | our snippet, `examples/course-page.js` |
//! | `{context: "iframe.resize", height}` | object | hosts that read the object form |
//! | `{subject: "lti.frameResize", height}` | object | Canvas and most LTI consumers |
//! | `{"subject": "lti.frameResize", "height": N}` | JSON text | consumers that `JSON.parse` it (IMathAS, older Canvas, Sakai) |
//! | `{"context": "iframe.resize", "src": "<page URL>", "height": N}` | JSON text | hosts of Embedly's protocol, which find the frame by `src` |
//! | H5P's handshake (`hello`, `prepareResize`, `resize`) | object | `h5p-resizer.js`: H5P embeds, Moodle's H5P filter, `sphinx-iframes` |
//!
//! H5P's resizer talks back, so its side is a small state machine ([`H5p`]): the framed page
//! says `hello`; once the host has answered `hello`, each height change is a `prepareResize`
//! (with the content's `scrollHeight` and the frame's `clientHeight`); the host shrinks the
//! frame and answers `resizePrepared`; the page then measures its content and posts `resize`
//! with the height as `height` (today's resizer) and as `scrollHeight` (older ones). The host
//! posts `resize` when its own window resizes (answered with `prepareResize`) and `ready` once
//! at its load (answered with `hello`).

use serde::Serialize;

/// `{type: "async-playground:resize", height}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResizeMessage {
    /// Always `async-playground:resize`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Content height in CSS pixels.
    pub height: u32,
}

/// `{context: "iframe.resize", height}`, and with the page's address as `src` (Embedly's
/// protocol, posted as JSON text).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContextResizeMessage {
    /// Always `iframe.resize`.
    pub context: &'static str,
    /// The framed page's address (Embedly's form only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub src: Option<String>,
    /// Content height in CSS pixels.
    pub height: u32,
}

/// `{subject: "lti.frameResize", height}`, the LTI form.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LtiResizeMessage {
    /// Always `lti.frameResize`.
    pub subject: &'static str,
    /// Content height in CSS pixels.
    pub height: u32,
}

/// One of the forms, as it is posted.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Resize {
    Ours(ResizeMessage),
    Context(ContextResizeMessage),
    Lti(LtiResizeMessage),
    H5p(H5pMessage),
}

/// A message to post, and whether it goes as its JSON text rather than as an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Post {
    pub message: Resize,
    pub as_text: bool,
}

impl Post {
    fn object(message: Resize) -> Post {
        Post {
            message,
            as_text: false,
        }
    }

    fn text(message: Resize) -> Post {
        Post {
            message,
            as_text: true,
        }
    }
}

/// Every form that needs no answer for `height`, in the order they are posted; `src` is the
/// framed page's address.
pub fn height_posts(height: u32, src: &str) -> Vec<Post> {
    let lti = || {
        Resize::Lti(LtiResizeMessage {
            subject: "lti.frameResize",
            height,
        })
    };
    vec![
        Post::object(Resize::Ours(ResizeMessage {
            kind: "async-playground:resize",
            height,
        })),
        Post::object(Resize::Context(ContextResizeMessage {
            context: "iframe.resize",
            src: None,
            height,
        })),
        Post::object(lti()),
        Post::text(lti()),
        Post::text(Resize::Context(ContextResizeMessage {
            context: "iframe.resize",
            src: Some(src.to_string()),
            height,
        })),
    ]
}

/// What H5P's messages say.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum H5pAction {
    Hello,
    Ready,
    PrepareResize,
    ResizePrepared,
    Resize,
}

impl H5pAction {
    /// The action a host's `{context: "h5p", action}` names, if the page knows it.
    pub fn parse(action: &str) -> Option<H5pAction> {
        Some(match action {
            "hello" => H5pAction::Hello,
            "ready" => H5pAction::Ready,
            "prepareResize" => H5pAction::PrepareResize,
            "resizePrepared" => H5pAction::ResizePrepared,
            "resize" => H5pAction::Resize,
            _ => return None,
        })
    }
}

/// `{context: "h5p", action, ...}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct H5pMessage {
    /// Always `h5p`.
    pub context: &'static str,
    pub action: H5pAction,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scroll_height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

impl H5pMessage {
    fn new(action: H5pAction) -> H5pMessage {
        H5pMessage {
            context: "h5p",
            action,
            scroll_height: None,
            client_height: None,
            height: None,
        }
    }
}

/// The page's heights when it answers: its content's, and its frame's as the page sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Heights {
    pub content: u32,
    pub frame: u32,
}

/// The framed page's side of H5P's resize handshake.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct H5p {
    /// The host answered `hello`: it resizes this frame.
    host_listens: bool,
}

impl H5p {
    /// The first message, at load.
    pub fn hello() -> H5pMessage {
        H5pMessage::new(H5pAction::Hello)
    }

    fn prepare(heights: Heights) -> H5pMessage {
        H5pMessage {
            scroll_height: Some(heights.content),
            client_height: Some(heights.frame),
            ..H5pMessage::new(H5pAction::PrepareResize)
        }
    }

    /// The answer to the host's `action`, measured at `heights`, if it needs one.
    pub fn on_host(&mut self, action: H5pAction, heights: Heights) -> Option<H5pMessage> {
        match action {
            H5pAction::Ready => Some(H5p::hello()),
            H5pAction::Hello => {
                self.host_listens = true;
                Some(H5p::prepare(heights))
            }
            H5pAction::Resize if self.host_listens => Some(H5p::prepare(heights)),
            H5pAction::ResizePrepared if self.host_listens => Some(H5pMessage {
                scroll_height: Some(heights.content),
                height: Some(heights.content),
                ..H5pMessage::new(H5pAction::Resize)
            }),
            _ => None,
        }
    }

    /// What a change of the content's height asks of the host: a new round of the
    /// handshake, once the host has said it listens.
    pub fn on_height(&self, heights: Heights) -> Option<H5pMessage> {
        self.host_listens.then(|| H5p::prepare(heights))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, to_value};

    const AT: Heights = Heights {
        content: 1_234,
        frame: 400,
    };

    #[test]
    fn a_height_goes_out_in_every_form_course_platforms_read() {
        let posts = height_posts(640, "https://play.example/?lab=hello&embed=1");
        let shapes: Vec<(serde_json::Value, bool)> = posts
            .iter()
            .map(|p| (to_value(&p.message).unwrap(), p.as_text))
            .collect();
        assert_eq!(
            shapes,
            [
                (
                    json!({"type": "async-playground:resize", "height": 640}),
                    false
                ),
                (json!({"context": "iframe.resize", "height": 640}), false),
                (json!({"subject": "lti.frameResize", "height": 640}), false),
                (json!({"subject": "lti.frameResize", "height": 640}), true),
                (
                    json!({"context": "iframe.resize",
                           "src": "https://play.example/?lab=hello&embed=1", "height": 640}),
                    true
                ),
            ]
        );
    }

    #[test]
    fn h5ps_handshake_goes_hello_prepare_resize() {
        let mut h5p = H5p::default();
        assert_eq!(
            to_value(H5p::hello()).unwrap(),
            json!({"context": "h5p", "action": "hello"})
        );
        // Until the host says hello, a new height asks nothing of it.
        assert_eq!(h5p.on_height(AT), None);
        let prepare = h5p.on_host(H5pAction::Hello, AT).unwrap();
        assert_eq!(
            to_value(prepare).unwrap(),
            json!({"context": "h5p", "action": "prepareResize",
                   "scrollHeight": 1234, "clientHeight": 400})
        );
        let resize = h5p.on_host(H5pAction::ResizePrepared, AT).unwrap();
        assert_eq!(
            to_value(resize).unwrap(),
            json!({"context": "h5p", "action": "resize", "scrollHeight": 1234, "height": 1234})
        );
        // The content grows: another round; the host's window resizes: another round.
        assert_eq!(
            h5p.on_height(AT).map(|m| m.action),
            Some(H5pAction::PrepareResize)
        );
        assert_eq!(
            h5p.on_host(H5pAction::Resize, AT).map(|m| m.action),
            Some(H5pAction::PrepareResize)
        );
    }

    #[test]
    fn a_hosts_ready_is_answered_with_hello_and_its_echoes_with_nothing() {
        let mut h5p = H5p::default();
        assert_eq!(h5p.on_host(H5pAction::Ready, AT), Some(H5p::hello()));
        // Before hello, the host's resize rounds are not ours to answer.
        assert_eq!(h5p.on_host(H5pAction::Resize, AT), None);
        assert_eq!(h5p.on_host(H5pAction::ResizePrepared, AT), None);
        assert_eq!(h5p.on_host(H5pAction::PrepareResize, AT), None);
    }

    #[test]
    fn only_h5ps_own_actions_are_read() {
        for action in [
            "hello",
            "ready",
            "prepareResize",
            "resizePrepared",
            "resize",
        ] {
            let parsed = H5pAction::parse(action).expect(action);
            assert_eq!(to_value(parsed).unwrap(), json!(action));
        }
        assert_eq!(H5pAction::parse("Hello"), None);
        assert_eq!(H5pAction::parse(""), None);
    }
}
