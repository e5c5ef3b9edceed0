//! The example gallery: scenarios that tell the story, from the seed's
//! design to the races the explorer finds. Each is a file of examples/,
//! checked by the test suite, built into the page.

use yew::prelude::*;

/// Title (from the file's `title:`), a one-line why, and the text.
pub struct Example {
    pub name: &'static str,
    pub why: &'static str,
    pub text: &'static str,
}

macro_rules! example {
    ($file:literal, $why:literal) => {
        Example { name: $file, why: $why, text: include_str!(concat!("../../examples/", $file, ".errseq")) }
    };
}

pub const EXAMPLES: &[Example] = &[
    example!(
        "01-seed-design",
        "April 2017: a word per mapping, a cursor per open file; everyone hears each error once."
    ),
    example!(
        "02-rfc-v2-open-without-seen",
        "The bug Jeff Layton found in his own patch: open must mark SEEN."
    ),
    example!(
        "03-legacy-second-fd",
        "Before 4.13 the first fsync takes the error; the second writer hears nothing."
    ),
    example!(
        "04-in-kernel-flush",
        "A truncate or getattr flush swallows the error before fsync sees it (4.12)."
    ),
    example!("05-fsync-retry", "PostgreSQL, 2018: the retried fsync returns 0 and the data is gone."),
    example!(
        "06-open-only-to-fsync",
        "The checkpointer opens just to fsync: 4.13 hides the error, 4.17 reports it."
    ),
    example!("07-dup-vs-open", "dup shares one cursor; a second open has its own."),
    example!("08-syncfs", "Before 5.8 syncfs reported no writeback error; 5.8 keeps a superblock word."),
    example!(
        "09-latest-error-wins",
        "errseq_t keeps the latest errno; the legacy flags say EIO when they can."
    ),
    example!("18-counter", "The 19-bit counter moves only when the last error was seen."),
    example!("11-nfs-close", "NFS reports errors at close, from its own flush."),
    example!("12-sync-and-evict", "sync(2) keeps the error for fsync; eviction drops an unseen one."),
    example!(
        "findings/1-set-races-two-fsyncs",
        "Explore: an error racing two fsyncs is told to each fd exactly once."
    ),
    example!(
        "findings/2-unserialized-syncfs",
        "Explore: 5.8's syncfs without f_lock reports one error twice."
    ),
    example!("findings/4-report-once", "Explore: Wilcox's no-loop, safe per description, not per fd."),
];

impl Example {
    pub fn title(&self) -> &'static str {
        self.text.lines().find_map(|l| l.strip_prefix("title:")).map_or(self.name, str::trim)
    }
}

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    pub on_open: Callback<&'static str>,
}

#[function_component(Gallery)]
pub fn gallery(props: &GalleryProps) -> Html {
    html! {
        <section class="gallery" aria-label="examples">
            <h2>{ "Examples" }</h2>
            <ul>
                { for EXAMPLES.iter().map(|ex| {
                    let open = {
                        let on_open = props.on_open.clone();
                        let text = ex.text;
                        Callback::from(move |_| on_open.emit(text))
                    };
                    html! {
                        <li>
                            <button class="example" onclick={ open } data-example={ ex.name }>
                                <span class="example-title">{ ex.title() }</span>
                                <span class="example-why">{ ex.why }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
