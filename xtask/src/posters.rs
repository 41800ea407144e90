//! A poster per lab, written beside the build (`dist/posters/<lab>.svg` and `.png`): the lab's
//! title and summary and, for a lab that runs a workload, the timelines of a reference run at
//! its defaults, laid out by the core's own `sim::timeline::layout` from a run in virtual time.
//! It stands in for the lab where the lab cannot run (a course's print or PDF build, a link
//! preview: our server gives it as each lab page's `og:image`). The PNG is the SVG rasterised
//! by resvg with Debian's DejaVu Sans (`fonts-dejavu-core`).

use std::path::Path;

use labs::plan::PlanItem;
use labs::{LabSpec, LABS};
use sim::cpu::Calibration;
use sim::executors::{ExecutorId, Placement};
use sim::timeline::{layout, SegmentKind};

use crate::Result;

/// The poster's size: the 1.91:1 of link previews.
const WIDTH: f64 = 1200.0;
const HEIGHT: f64 = 630.0;
const MARGIN: f64 = 56.0;
/// The font the PNG is drawn with (Debian's `fonts-dejavu-core`).
pub const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const FONT_BOLD: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

/// The most executors, and rows of each, a poster draws.
const MAX_EXECUTORS: usize = 4;
const MAX_ROWS: usize = 4;

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `text` in lines of at most `width` characters, broken at spaces.
fn wrapped(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// A bar's colour, as the page's light theme draws it.
fn colour(kind: SegmentKind) -> Option<&'static str> {
    Some(match kind {
        SegmentKind::Task => return None,
        SegmentKind::Sleep => "#3b82c4",
        SegmentKind::BlockingSleep | SegmentKind::Failed => "#d2452f",
        SegmentKind::Cpu => "#8e44ad",
        SegmentKind::Queued => "#8a94a0",
        SegmentKind::InFlight | SegmentKind::Ready => "#23804a",
        SegmentKind::GilWait => "#d9c6e6",
    })
}

/// The reference run of `lab` at its defaults: each default executor that runs in virtual
/// time (a pool's workers do not), with its trace.
fn reference_runs(lab: &'static LabSpec) -> Vec<(ExecutorId, sim::trace::Trace)> {
    let calibration = Calibration::default();
    lab.default_executors
        .iter()
        .filter_map(|executor| {
            let item = PlanItem::new(lab, lab.default_values(), *executor, &calibration);
            let workload = item.workload(&calibration);
            if matches!(executor.placement(&workload), Placement::Pool { .. }) {
                return None;
            }
            let machine = item.machine(&calibration);
            let (trace, _) =
                sim::exec::virtual_time::run_virtual_on(*executor, &workload, &machine);
            Some((*executor, trace))
        })
        .take(MAX_EXECUTORS)
        .collect()
}

/// The poster of `lab`, as SVG.
pub fn svg(lab: &'static LabSpec) -> String {
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"DejaVu Sans, system-ui, sans-serif\">\n\
         <title>Async Playground: {}</title>\n\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#f7f7f4\"/>\n\
         <text x=\"{MARGIN}\" y=\"76\" font-size=\"22\" fill=\"#5b6570\">Async Playground</text>\n\
         <text x=\"{MARGIN}\" y=\"140\" font-size=\"52\" font-weight=\"bold\" fill=\"#1f2328\">{}</text>\n",
        escaped(lab.title),
        escaped(lab.title)
    );
    let mut y = 186.0;
    let mut kinds: Vec<SegmentKind> = Vec::new();
    for line in wrapped(lab.summary, 78).iter().take(2) {
        out.push_str(&format!(
            "<text x=\"{MARGIN}\" y=\"{y}\" font-size=\"24\" fill=\"#3c4650\">{}</text>\n",
            escaped(line)
        ));
        y += 32.0;
    }
    let runs = reference_runs(lab);
    if runs.is_empty() {
        out.push_str(&format!(
            "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"24\" fill=\"#5b6570\">Open the lab to run it \
             in your browser.</text>\n",
            HEIGHT - MARGIN
        ));
        out.push_str("</svg>\n");
        return out;
    }
    // One time axis for every executor, as on the page.
    let whole_ms = runs.iter().map(|(_, t)| t.wall_ms).fold(1.0_f64, f64::max);
    let label_width = 190.0;
    let plot_x = MARGIN + label_width;
    let plot_width = WIDTH - MARGIN - plot_x;
    let top = y + 24.0;
    let block = (HEIGHT - MARGIN - 30.0 - top) / runs.len() as f64;
    for (i, (executor, trace)) in runs.iter().enumerate() {
        let block_top = top + i as f64 * block;
        let laid = layout(trace, whole_ms / plot_width);
        let rows: Vec<_> = laid.rows.iter().take(MAX_ROWS).collect();
        let row_height = ((block - 12.0) / rows.len().max(1) as f64).min(26.0);
        out.push_str(&format!(
            "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"20\" fill=\"#1f2328\">{}</text>\n",
            block_top + row_height * 0.75,
            escaped(executor.id())
        ));
        for (r, row) in rows.iter().enumerate() {
            let row_y = block_top + r as f64 * row_height;
            for segment in &row.segments {
                if colour(segment.kind).is_some() && !kinds.contains(&segment.kind) {
                    kinds.push(segment.kind);
                }
                let x = plot_x + segment.start_ms / whole_ms * plot_width;
                let w = ((segment.end_ms - segment.start_ms) / whole_ms * plot_width).max(1.5);
                match colour(segment.kind) {
                    Some(fill) => out.push_str(&format!(
                        "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" rx=\"3\" \
                         fill=\"{fill}\"/>\n",
                        row_y + 2.0,
                        row_height - 6.0
                    )),
                    None => out.push_str(&format!(
                        "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"2\" fill=\"#8a94a0\"/>\n",
                        row_y + row_height / 2.0 - 2.0
                    )),
                }
            }
        }
    }
    // The legend, between the axis's ends: each kind of bar the poster shows.
    let mut x = plot_x + 90.0;
    for kind in kinds {
        let Some(fill) = colour(kind) else { continue };
        let words = kind.describe(false);
        out.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"16\" height=\"16\" rx=\"3\" fill=\"{fill}\"/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"17\" fill=\"#3c4650\">{}</text>\n",
            HEIGHT - MARGIN - 6.0,
            x + 22.0,
            HEIGHT - MARGIN + 8.0,
            escaped(words)
        ));
        x += 22.0 + words.len() as f64 * 9.0 + 26.0;
    }
    out.push_str(&format!(
        "<text x=\"{plot_x}\" y=\"{}\" font-size=\"18\" fill=\"#5b6570\">0 s</text>\n\
         <text x=\"{}\" y=\"{}\" font-size=\"18\" fill=\"#5b6570\" text-anchor=\"end\">{}</text>\n\
         </svg>\n",
        HEIGHT - MARGIN + 8.0,
        WIDTH - MARGIN,
        HEIGHT - MARGIN + 8.0,
        escaped(&sim::format::duration(whole_ms))
    ));
    out
}

/// `svg` as a PNG, drawn with DejaVu Sans.
pub fn png(svg: &str) -> Result<Vec<u8>> {
    let mut options = resvg::usvg::Options::default();
    for font in [FONT, FONT_BOLD] {
        let bytes = std::fs::read(font)
            .map_err(|e| format!("{font}: {e} (install Debian's fonts-dejavu-core)"))?;
        options.fontdb_mut().load_font_data(bytes);
    }
    let tree =
        resvg::usvg::Tree::from_str(svg, &options).map_err(|e| format!("poster SVG: {e}"))?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(WIDTH as u32, HEIGHT as u32).ok_or("poster: no pixmap")?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| format!("poster PNG: {e}"))
}

/// Writes every lab's poster into `dist/posters/`.
pub fn write(dist: &Path) -> Result<()> {
    let dir = dist.join("posters");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for lab in LABS {
        let svg = svg(lab);
        let png = png(&svg)?;
        for (name, bytes) in [
            (format!("{}.svg", lab.id), svg.into_bytes()),
            (format!("{}.png", lab.id), png),
        ] {
            let path = dir.join(&name);
            std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    println!(
        "wrote a poster per lab ({} labs) in {}",
        LABS.len(),
        dir.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lab_has_a_poster_with_its_title_and_the_workload_labs_a_timeline() {
        for lab in LABS {
            let svg = svg(lab);
            assert!(svg.contains(&escaped(lab.title)), "{}", lab.id);
            let bars = svg.matches("rx=\"3\"").count();
            if lab.workload.is_some() {
                assert!(bars > 0, "{}: no bars", lab.id);
            }
        }
    }

    #[test]
    fn a_poster_becomes_a_png_of_its_size() {
        if !Path::new(FONT).exists() {
            return;
        }
        let png = png(&svg(labs::find("hello").unwrap())).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // The IHDR chunk: width and height, big-endian.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 1200);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 630);
    }
}
