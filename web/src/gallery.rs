//! The example gallery: scenarios that tell the story, from the seed's
//! design to the races the explorer finds. Each is a file of examples/,
//! checked by the test suite, built into the page; which ones, in what
//! order and with what one-line why is `examples/gallery.txt`.

use yew::prelude::*;

/// The gallery's examples, in its order (`examples/gallery.txt`, read
/// with the rest of the corpus at build time by `errseq-examples`).
pub use errseq_examples::GALLERY as EXAMPLES;

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
