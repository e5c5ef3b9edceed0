//! The "Start from" menu's edit: a proposal begins as a copy of a
//! built-in scheme's source (issue 13, point 5).
//!
//! Choosing a base writes `scheme NAME from BASE`, the base's whole
//! source and `end` right after the text's headers (a block may not
//! stand above a header), with a NAME no block of the text has yet, and
//! adds NAME to the `schemes:` header if there is one (without one,
//! every written scheme is compared anyway). The menu is the page's
//! (`web/src/start_from.rs`); the sources and this splice are this
//! module's, so the first load carries none of them. It splices text,
//! line by line, because it must work on a text with mistakes too.

/// The menu's entries, as `<option>` markup: the base's id as the value,
/// the id and why one starts there as the label and the title (the text
/// is the language's own, escaped all the same).
pub fn options() -> String {
    errseq_lang::STARTERS
        .iter()
        .map(|s| {
            let (base, why) = (errseq_render::xml(s.base.id()), errseq_render::xml(s.why));
            format!("<option value=\"{base}\" title=\"{why}\">{base} — {why}</option>")
        })
        .collect()
}

/// The text with a block for the base whose id is `base` written in, or
/// `None` if no base has that id.
pub fn start_from(text: &str, base: &str) -> Option<String> {
    let starter = errseq_lang::STARTERS.iter().find(|s| s.base.id() == base)?;
    Some(insert(text, base, starter.source).0)
}

/// The text with a block for `base` (whose source is `source`) written
/// in, and the block's name.
pub fn insert(text: &str, base: &str, source: &str) -> (String, String) {
    let name = fresh_name(text, base);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let headers = header_lines(&lines);
    let mut out = String::with_capacity(text.len() + source.len() + 64);
    for line in &lines[..headers] {
        out.push_str(&with_scheme_listed(line, &name));
    }
    if headers > 0 {
        // The canonical text's blank line between the headers and the body.
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
    out.push_str(&format!("scheme {name} from {base}\n"));
    out.push_str(source);
    if !source.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("end\n");
    let rest: String = lines[headers..].concat();
    if !rest.is_empty() && !rest.starts_with('\n') {
        out.push('\n');
    }
    out.push_str(&rest);
    (out, name)
}

/// `my-4.17` for `linux-4.17`, `my-rfc-v2` for `rfc-v2`; then `-2`,
/// `-3`, ... until no block of the text has the name.
pub fn fresh_name(text: &str, base: &str) -> String {
    let stem = format!("my-{}", base.strip_prefix("linux-").unwrap_or(base));
    let taken: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some("scheme")).then(|| words.next()).flatten()
        })
        .collect();
    if !taken.contains(&stem.as_str()) {
        return stem;
    }
    (2..).map(|n| format!("{stem}-{n}")).find(|n| !taken.contains(&n.as_str())).unwrap_or(stem)
}

/// How many of the first lines are the header section, up to its last
/// header: a header line is one whose first word holds a `:`; comment
/// and blank lines may stand among headers (docs/scenario-format.md).
fn header_lines(lines: &[&str]) -> usize {
    let mut last = 0;
    for (i, line) in lines.iter().enumerate() {
        let code = uncommented(line);
        match code.split_whitespace().next() {
            None => continue,
            Some(word) if word.contains(':') => last = i + 1,
            Some(_) => break,
        }
    }
    last
}

fn uncommented(line: &str) -> &str {
    line.split('#').next().unwrap_or("")
}

/// A `schemes:` header with `name` added at the end of its list (before
/// its comment); any other line as it is.
fn with_scheme_listed(line: &str, name: &str) -> String {
    let code = uncommented(line);
    let key = code.split_whitespace().next().and_then(|w| w.split(':').next());
    if key != Some("schemes") {
        return line.to_owned();
    }
    let kept = code.trim_end();
    format!("{kept} {name}{}", &line[kept.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "int errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn 0;\n}\n";

    fn columns(text: &str) -> Vec<String> {
        let parsed = errseq_scenario::parse(text).unwrap_or_else(|d| panic!("{text}\n{d:?}"));
        parsed.scenario.schemes.unwrap_or_default().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_block_goes_after_the_headers_and_into_the_schemes_list() {
        let text = "title: t\nschemes: linux-4.17 # the newest\n\nopen a f\nerror f EIO\nfsync a => EIO\n";
        let (out, name) = insert(text, "linux-4.17", SOURCE);
        assert_eq!(name, "my-4.17");
        assert!(out.starts_with(
            "title: t\nschemes: linux-4.17 my-4.17 # the newest\n\nscheme my-4.17 from linux-4.17\nint errseq_check"
        ));
        assert!(out.ends_with("}\nend\n\nopen a f\nerror f EIO\nfsync a => EIO\n"), "{out}");
        assert_eq!(columns(&out), ["linux-4.17", "my-4.17"]);
        // A canonical text stays canonical (so its mail pastes back as it is).
        let canonical = "schemes: linux-4.17\n\nopen a f\n";
        let (out, _) = insert(canonical, "linux-4.17", SOURCE);
        assert_eq!(errseq_scenario::parse(&out).map(|p| p.scenario.to_string()), Ok(out.clone()));
    }

    #[test]
    fn names_stay_unique_and_a_text_without_headers_gets_the_block_first() {
        let (once, _) = insert("open a f\n", "rfc-v2", SOURCE);
        assert!(once.starts_with("scheme my-rfc-v2 from rfc-v2\n"));
        let (twice, name) = insert(&once, "rfc-v2", SOURCE);
        assert_eq!(name, "my-rfc-v2-2");
        let (thrice, name) = insert(&twice, "rfc-v2", SOURCE);
        assert_eq!(name, "my-rfc-v2-3");
        assert!(errseq_scenario::parse(&thrice).is_ok(), "{thrice}");
        let (empty, _) = insert("", "linux-4.13", SOURCE);
        assert!(errseq_scenario::parse(&empty).is_ok(), "{empty}");
    }

    #[test]
    fn each_base_is_an_option() {
        let options = options();
        assert_eq!(options.matches("<option ").count(), errseq_lang::STARTERS.len());
        assert!(
            options.starts_with("<option value=\"linux-4.17\" title=\"today&#39;s errseq_t"),
            "{options}"
        );
    }

    #[test]
    fn a_base_is_written_from_its_source_and_an_unknown_one_is_refused() {
        let out = start_from("open a f\n", "linux-4.17").expect("a base");
        assert!(out.starts_with("scheme my-4.17 from linux-4.17\n"), "{out}");
        assert!(errseq_scenario::parse(&out).is_ok(), "{out}");
        assert_eq!(start_from("open a f\n", "linux"), None);
    }

    #[test]
    fn a_text_with_mistakes_still_gets_the_block() {
        let (out, _) = insert("schemes:linux-4.13\nfsync nonsense\n", "linux-4.13", SOURCE);
        assert!(out.starts_with("schemes:linux-4.13 my-4.13\n\nscheme my-4.13 from linux-4.13\n"), "{out}");
    }
}
