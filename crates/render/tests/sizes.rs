//! BENCHMARKS.md's tables for documents and mail, over the gallery:
//! the link each mail carries (in characters and in lines of the mail,
//! with a public base), against the page's whole link; and the SVG
//! pictures' sizes. Run with `--nocapture` to print them:
//!
//!     cargo test -p errseq-render --test sizes -- --nocapture

use errseq_explorer::Bounds;
use errseq_render::Analysis;
use errseq_scenario::parse;
use errseq_share::mail::{self, MAIL_WIDTH};

const BASE: &str = "https://errseq.example.org/";

#[test]
fn mail_links_and_pictures_of_the_gallery() {
    println!("| example | whole link | mail's link | lines | SVG bytes |");
    println!("|---|---:|---:|---:|---:|");
    let (mut whole_sum, mut mail_sum, mut svg_sum) = (0, 0, 0);
    for e in errseq_examples::GALLERY {
        let p = parse(e.text).expect("valid");
        let r = errseq_explorer::check(&p, Bounds::default()).expect("explores");
        let a = Analysis::explored(&p, r);
        let whole = errseq_share::link(BASE, &p.scenario, None);
        let in_mail = mail::link(BASE, &p.scenario).link;
        let lines = mail::link_lines(&in_mail, MAIL_WIDTH);
        assert!(lines.iter().all(|l| l.chars().count() <= MAIL_WIDTH), "{}", e.name);
        let svg = errseq_render::svg(&p, &a, &whole).len();
        assert!(svg < 50_000, "{}: {svg} bytes", e.name);
        println!("| {} | {} | {} | {} | {svg} |", e.name, whole.len(), in_mail.len(), lines.len());
        whole_sum += whole.len();
        mail_sum += in_mail.len();
        svg_sum += svg;
    }
    let n = errseq_examples::GALLERY.len();
    println!("| mean of {n} | {} | {} | | {} |", whole_sum / n, mail_sum / n, svg_sum / n);
}
