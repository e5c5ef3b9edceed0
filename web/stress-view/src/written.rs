//! The schemes the page's scenario writes, as the throughput run offers
//! them beside the built-in ones.
//!
//! The view checks the page's text on each edit (`scenario::parse`, the
//! whole checker, which compiles each `scheme NAME from BASE` block with
//! `errseq_lang`); each block that compiles is offered twice over: as its
//! program, which the plan carries (its base, its word layout, checked
//! by `Plan::validate`), and as its text, which the workers are sent
//! (`errseq_stress_protocol::WrittenSource`) and compile once each. A
//! text that does not check offers none: its programs are not the text's.

use errseq_scenario::Parsed;
use errseq_stress::Written;
use errseq_stress_protocol::WrittenSource;

/// One written scheme the run can stress.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    pub written: Written,
    pub source: WrittenSource,
}

impl Offer {
    /// What the scheme select shows.
    pub fn label(&self) -> String {
        format!("{} — written in the scenario, from {}", self.written.name, self.written.program.base())
    }
}

/// The written schemes of a checked scenario, in text order.
pub fn offers(parsed: &Parsed) -> Vec<Offer> {
    parsed
        .scenario
        .scheme_blocks()
        .zip(&parsed.source.schemes)
        .filter_map(|(block, src)| {
            let w = parsed.bindings.written(block.name)?;
            let source = WrittenSource {
                name: block.name.to_string(),
                base: block.base.id().to_owned(),
                source: block.source(),
                first_line: src.first_line,
                line: w.line,
            };
            Some(Offer {
                written: Written { name: w.name, line: w.line, program: w.program.clone() },
                source,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "schemes: linux-4.17 mine\nscheme mine from linux-4.17\nint errseq_check(errseq_t *eseq, errseq_t since)\n{\n\treturn 0;\n}\nend\nopen a f\n";

    #[test]
    fn a_written_scheme_is_offered_as_program_and_text_that_compile_alike() {
        let parsed = errseq_scenario::parse(TEXT).expect("checks");
        let offers = offers(&parsed);
        assert_eq!(offers.len(), 1);
        let o = &offers[0];
        assert_eq!((o.source.name.as_str(), o.source.base.as_str()), ("mine", "linux-4.17"));
        assert_eq!((o.source.first_line, o.source.line), (3, 2));
        assert!(o.source.source.starts_with("int errseq_check"));
        // What a worker compiles from the text is the program the plan carries.
        let s = &o.source;
        let compiled = Written::compile(&s.name, &s.base, &s.source, s.first_line, s.line).expect("compiles");
        assert_eq!(compiled, o.written);
        assert_eq!(o.label(), "mine — written in the scenario, from linux-4.17");
    }

    #[test]
    fn a_text_without_written_schemes_offers_none() {
        let parsed = errseq_scenario::parse("open a f\nfsync a\n").expect("checks");
        assert!(offers(&parsed).is_empty());
    }
}
