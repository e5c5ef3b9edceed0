//! Results side by side: events down, schemes across. A row where the
//! schemes disagree (or a result varies with the interleaving) is marked;
//! a result that breaks the line's expectation is flagged. Choosing a cell
//! shows the state after that event under that scheme.

use yew::prelude::*;

use crate::analysis::Grid;

#[derive(Properties, PartialEq)]
pub struct GridProps {
    pub grid: Option<Grid>,
    /// The grid is from the last text that parsed, not the current one.
    pub stale: bool,
    /// Why there are no results for the text yet, or none at all: its
    /// exploration is coming, or stopped.
    #[prop_or_default]
    pub note: Option<AttrValue>,
    pub selected: Option<usize>,
    pub column: usize,
    pub on_pick: Callback<(usize, usize)>,
}

#[function_component(GridView)]
pub fn grid_view(props: &GridProps) -> Html {
    let Some(grid) = &props.grid else {
        return html! {
            <section class="results" aria-label="results">
                <h2>{ "Results" }</h2>
                <p class="muted" role="status">{ props.note.clone().unwrap_or_else(|| "Results appear when the scenario has no problems.".into()) }</p>
            </section>
        };
    };
    let failures = grid.failures();
    let summary = match failures {
        0 => "every expectation holds".to_owned(),
        1 => "✗ 1 expectation fails".to_owned(),
        n => format!("✗ {n} expectations fail"),
    };
    let results = &grid.0;
    let rows = (0..results.rows.len()).map(|index| {
        let chosen = (props.selected == Some(index)).then_some(props.column);
        html! { <GridRow key={ index } grid={ grid.clone() } { index } { chosen } on_pick={ props.on_pick.clone() } /> }
    });
    html! {
        <section class={ classes!("results", props.stale.then_some("stale")) } aria-label="results">
            <h2>{ "Results" }</h2>
            <p class={ classes!("summary", (failures > 0).then_some("bad")) } aria-live="polite">
                { summary }{ if props.stale { " (from the last text without problems)" } else { "" } }
            </p>
            { for props.note.iter().map(|n| html! { <p class="muted" role="status">{ n.clone() }</p> }) }
            <div class="table-wrap">
                <table id="grid">
                    <thead><tr>
                        <th scope="col">{ "line" }</th><th scope="col">{ "event" }</th>
                        { for results.columns.iter().map(|c| html! { <th scope="col">{ c.as_str() }</th> }) }
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    grid: Grid,
    index: usize,
    /// The chosen column, when this row is the selected one.
    chosen: Option<usize>,
    on_pick: Callback<(usize, usize)>,
}

/// One event's row: a component of its own, so that Yew skips every row
/// whose props are unchanged (the grid compares by pointer).
#[function_component(GridRow)]
fn grid_row(props: &RowProps) -> Html {
    let results = &props.grid.0;
    let r = &results.rows[props.index];
    let cells = r.cells.iter().enumerate().map(|(c, cell)| {
        let pick = {
            let on_pick = props.on_pick.clone();
            let e = r.event;
            Callback::from(move |_| on_pick.emit((e, c)))
        };
        let text = cell.text();
        let label = match &cell.failed {
            Some(f) => format!("{} under {}: {}, expected {}", r.text, results.columns[c], if text.is_empty() { "nothing" } else { &text }, f.expected),
            None => format!("{} under {}: {}", r.text, results.columns[c], if text.is_empty() { "returns nothing" } else { &text }),
        };
        let chosen = props.chosen == Some(c);
        html! {
            <td class={ classes!(cell.failed.is_some().then_some("failed"), r.differs.then_some("differs")) }>
                <button class={ classes!("cell", chosen.then_some("chosen")) } aria-label={ label } aria-pressed={ chosen.to_string() } onclick={ pick }>
                    { text }{ if cell.failed.is_some() { " ✗" } else { "" } }
                </button>
            </td>
        }
    });
    html! {
        <tr class={ classes!(props.chosen.is_some().then_some("selected"), r.differs.then_some("differs")) }>
            <td class="line">{ r.line }</td>
            <td class={ classes!("event", r.block.map(|_| "in-par")) }>{ if r.differs { "* " } else { "  " } }{ r.text.clone() }</td>
            { for cells }
        </tr>
    }
}
