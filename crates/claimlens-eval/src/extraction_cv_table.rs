//! The cross-validated extraction comparison ([`CvReport`]) as a text table.

use std::fmt;

use crate::extraction_cv::CvReport;

fn folds_cell(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| format!("{v:.4}"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl fmt::Display for CvReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "article extraction, {}-fold cross-validation by page-id hash ({} pages; folds of {})",
            self.folds,
            self.pages,
            self.fold_sizes
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )?;
        writeln!(
            f,
            "  {:<48} {:<22} {:>7} {:>6} {:>13} {:>7} {:>5} {:>6} {:>7}",
            "candidate",
            "held-out F1 per fold",
            "mean",
            "sd",
            "min-max",
            "all",
            "fail",
            "guard",
            "pages/s"
        )?;
        for row in &self.candidates {
            writeln!(
                f,
                "  {:<48} {:<22} {:>7.4} {:>6.4} {:>6.4}-{:.4} {:>7.4} {:>5} {:>6} {:>7.1}",
                row.label,
                folds_cell(&row.folds),
                row.held_out.mean,
                row.held_out.sd,
                row.held_out.min,
                row.held_out.max,
                row.all_pages_f1,
                row.failures,
                row.depth_guarded,
                row.pages_per_second
            )?;
        }
        for p in &self.procedures {
            writeln!(
                f,
                "  {:<48} {:<22} {:>7.4} {:>6.4} {:>6.4}-{:.4}",
                format!("chosen on training folds: {}", p.rule.name()),
                folds_cell(&p.folds),
                p.held_out.mean,
                p.held_out.sd,
                p.held_out.min,
                p.held_out.max
            )?;
            writeln!(
                f,
                "    picked per held-out fold: {}; on all pages: {}",
                p.picked.join(", "),
                p.on_all_pages
            )?;
        }
        write!(
            f,
            "  default ({} on all pages): {}, as options: {}; ExtractOptions::default: {}",
            self.default_rule.name(),
            self.chosen_on_all,
            self.chosen_on_all_options.as_deref().unwrap_or("none"),
            self.default_label
        )?;
        for selector in &self.selectors {
            write!(f, "\n{selector}")?;
        }
        if self.show_pages {
            write!(f, "\n\n  {:<16} {:>4}", "page", "fold")?;
            for column in &self.page_columns {
                write!(f, " {column:>28}")?;
            }
            for row in &self.page_rows {
                write!(f, "\n  {:<16} {:>4}", row.id, row.fold)?;
                for v in &row.f1 {
                    write!(f, " {v:>28.4}")?;
                }
            }
        }
        Ok(())
    }
}
