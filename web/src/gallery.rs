//! The example gallery: scenarios that tell the story, from the seed's
//! design to the races the explorer finds. Each is a file of examples/,
//! checked by the test suite; which ones, in what order and with what
//! one-line why is `examples/gallery.txt`. The page's first load carries
//! the cards (title and why) and the first example's text; the deferred
//! module carries the texts, and gives one when its card is chosen.

use yew::prelude::*;

/// The gallery's cards, in its order (`examples/gallery.txt`, read with
/// the rest of the corpus at build time by `errseq-examples`).
pub use errseq_examples::{Card, FIRST_TEXT, GALLERY_CARDS as CARDS};

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    /// The card chosen.
    pub on_open: Callback<&'static Card>,
}

#[function_component(Gallery)]
pub fn gallery(props: &GalleryProps) -> Html {
    html! {
        <section class="gallery" aria-label="examples">
            <h2>{ "Examples" }</h2>
            <ul>
                { for CARDS.iter().map(|ex| {
                    let open = {
                        let on_open = props.on_open.clone();
                        Callback::from(move |_| on_open.emit(ex))
                    };
                    html! {
                        <li>
                            <button class="example" onclick={ open } data-example={ ex.name }>
                                <span class="example-title">{ ex.title }</span>
                                <span class="example-why">{ ex.why }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
