//! The parameter form's fields: what each shows, and why its last edit was refused.

use super::PageModel;

impl PageModel {
    /// What a field shows: what the user last typed there while it means the same value,
    /// otherwise the value as the URL writes it (so typing `2.50` is not rewritten to `2.5`).
    pub fn field_text(&self, key: &str) -> String {
        let value = self.url.values.get(key);
        let typed = self
            .field_texts
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, t)| t);
        let spec = self.url.lab.and_then(|l| l.param(key));
        match (typed, spec, value) {
            (Some(text), Some(spec), Some(value)) if spec.parse(text).as_ref() == Ok(value) => {
                text.clone()
            }
            _ => value.map(|v| v.to_url()).unwrap_or_default(),
        }
    }

    pub(super) fn set_param(&mut self, key: &str, raw: &str, commit: bool) {
        let Some(spec) = self.url.lab.and_then(|l| l.param(key)) else {
            return;
        };
        self.field_texts.retain(|(k, _)| *k != spec.key);
        self.field_texts.push((spec.key, raw.to_string()));
        let parsed = spec.parse(raw);
        if parsed.is_err() && !commit {
            return;
        }
        self.field_errors.retain(|(k, _)| *k != spec.key);
        match parsed {
            Ok(value) => self.url.values.set(spec.key, value),
            Err(e) => self.field_errors.push((
                spec.key,
                format!("{} {e}: enter {}.", spec.label, spec.accepted()),
            )),
        }
    }

    /// Why a field's last edit was refused, if it was.
    pub fn field_error(&self, key: &str) -> Option<&str> {
        self.field_errors
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, e)| e.as_str())
    }
}
