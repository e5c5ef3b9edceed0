//! What an example's text says about itself, read the same way by the
//! crate and by its build script (which writes the gallery's cards).

/// The `title:` header's value, or `name` when there is none.
pub fn title<'a>(name: &'a str, text: &'a str) -> &'a str {
    text.lines().find_map(|l| l.strip_prefix("title:")).map_or(name, str::trim)
}

/// Whether the text has `par` blocks (and so needs the explorer).
pub fn has_par(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.split('#').next().unwrap_or("").trim();
        l == "par" || l.starts_with("par ")
    })
}
