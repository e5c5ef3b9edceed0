//! The document the playground edits: the scenario text, with undo and
//! redo.
//!
//! The text is the source of truth; the timeline edits the AST and hands
//! back canonical text. Typing is coalesced: keystrokes less than a second
//! apart are one undo step, so undo goes back by bursts, not letters.
//! Every other change (a timeline edit, an example, an opened link) is a
//! step of its own. At most [`HISTORY`] steps are kept each way.

/// Undo (and redo) steps kept.
pub const HISTORY: usize = 200;

/// Keystrokes closer than this (ms) are one undo step.
const TYPING_PAUSE_MS: f64 = 1000.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    text: String,
    undo: Vec<String>,
    redo: Vec<String>,
    /// When the current typing burst last changed the text.
    typing_since: Option<f64>,
}

impl Doc {
    pub fn new(text: impl Into<String>) -> Doc {
        Doc { text: text.into(), undo: Vec::new(), redo: Vec::new(), typing_since: None }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    fn push_undo(&mut self) {
        self.undo.push(self.text.clone());
        if self.undo.len() > HISTORY {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// A keystroke at time `now` (ms).
    pub fn typed(&mut self, text: String, now: f64) {
        if text == self.text {
            return;
        }
        let burst = self.typing_since.is_some_and(|t| now - t < TYPING_PAUSE_MS);
        if !burst {
            self.push_undo();
        } else {
            self.redo.clear();
        }
        self.typing_since = Some(now);
        self.text = text;
    }

    /// A change that is one undo step of its own.
    pub fn replace(&mut self, text: String) {
        if text == self.text {
            return;
        }
        self.push_undo();
        self.typing_since = None;
        self.text = text;
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo(&mut self) -> bool {
        let Some(prev) = self.undo.pop() else { return false };
        self.redo.push(std::mem::replace(&mut self.text, prev));
        self.typing_since = None;
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some(next) = self.redo.pop() else { return false };
        self.undo.push(std::mem::replace(&mut self.text, next));
        self.typing_since = None;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_bursts_are_one_step() {
        let mut d = Doc::new("");
        d.typed("o".into(), 0.0);
        d.typed("op".into(), 100.0);
        d.typed("ope".into(), 300.0);
        d.typed("open".into(), 2000.0);
        assert!(d.undo());
        assert_eq!(d.text(), "ope");
        assert!(d.undo());
        assert_eq!(d.text(), "");
        assert!(!d.undo());
        assert!(d.redo() && d.redo());
        assert_eq!(d.text(), "open");
        assert!(!d.redo());
    }

    #[test]
    fn replacements_are_steps_and_clear_redo() {
        let mut d = Doc::new("a");
        d.replace("b".into());
        d.replace("c".into());
        assert!(d.undo());
        d.replace("d".into());
        assert!(!d.can_redo());
        assert!(d.undo());
        assert_eq!(d.text(), "b");
    }

    #[test]
    fn at_least_a_hundred_steps_are_kept() {
        let mut d = Doc::new("0");
        for i in 1..=250 {
            d.replace(i.to_string());
        }
        let mut n = 0;
        while d.undo() {
            n += 1;
        }
        assert_eq!(n, HISTORY);
        assert_eq!(d.text(), (250 - HISTORY).to_string());
    }
}
