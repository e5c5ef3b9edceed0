//! The page's entry point (Trunk builds this binary).

fn main() {
    errseq_web::start();
}
