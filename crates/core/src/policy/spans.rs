//! Where mistakes are: the checking context ([`Ctx`]) that turns a byte span of the file
//! into a [`PolicyError`] at `file:line:column`, and toml's own messages made readable.

use std::ops::Range;

use toml::Spanned;

use super::PolicyError;

/// The file being checked: its name (for errors) and its text (to turn spans into lines
/// and columns). The checks of each part of the file are methods on it.
pub(super) struct Ctx<'a> {
    pub(super) file: &'a str,
    pub(super) text: &'a str,
}

impl Ctx<'_> {
    /// An error at the start of `span`.
    pub(super) fn error(&self, span: Range<usize>, message: impl Into<String>) -> PolicyError {
        let offset = span.start.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        PolicyError {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }

    /// `value`, or an error at `table` saying the field is missing.
    pub(super) fn required<'v, T>(
        &self,
        value: &'v Option<Spanned<T>>,
        table: &Range<usize>,
        message: &str,
    ) -> Result<&'v Spanned<T>, PolicyError> {
        value
            .as_ref()
            .ok_or_else(|| self.error(table.clone(), message))
    }
}

/// Where `value` was written; the start of the file when it was not (defaults).
pub(super) fn span_of<T>(value: &Option<Spanned<T>>) -> Range<usize> {
    value.as_ref().map_or(0..0, Spanned::span)
}

/// toml's messages, made to read as a sentence about the file.
pub(super) fn syntax_message(message: &str) -> String {
    let message = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(": ");
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "the file is not valid TOML".to_owned(),
    }
}
