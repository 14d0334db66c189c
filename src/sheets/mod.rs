//! Spreadsheets in and out: a secretariat keeps its 成员单位名单, 培训台账 and 指标 in Excel or
//! WPS. `read` turns a sheet (`.xlsx`, `.xls`, `.ods` by calamine; `.csv` in UTF-8 or GB18030)
//! into a grid of cells that know their A1 place; `import` maps its columns by their headers and
//! writes the TOML files; `export` writes a consortium's tables as a workbook that `import` reads
//! back.

pub mod export;
pub mod import;

use std::path::Path;

use chrono::NaiveDate;

/// Why an import or export did nothing: problems at cells (exit code 1), or a usage or I/O
/// problem (exit code 2).
#[derive(Debug)]
pub enum Failure {
    Cells(Vec<import::Problem>),
    Usage(String),
}

/// What an import did, for its one line of report.
pub struct Summary {
    pub path: std::path::PathBuf,
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    /// The headers of the sheet's columns that were left out.
    pub ignored: Vec<String>,
}

/// `chanjiao import TABLE FILE --consortium ID [--merge]`: reads the sheet, checks every row, and
/// only then writes the consortium's file (a new one, or the existing one merged with `merge`).
pub fn run_import(
    root: &Path,
    table: import::Table,
    file: &Path,
    consortium: &str,
    merge: bool,
) -> Result<Summary, Failure> {
    let folder = root.join("content/consortia").join(consortium);
    if !folder.is_dir() {
        return Err(Failure::Usage(msg!(
            "import.no_consortium",
            consortium,
            folder = folder.display()
        )));
    }
    let target = import::target(root, consortium, table);
    let existing = if target.exists() {
        if !merge {
            return Err(Failure::Usage(msg!(
                "import.exists",
                path = target.display()
            )));
        }
        let text = std::fs::read_to_string(&target)
            .map_err(|e| Failure::Usage(msg!("import.unreadable", file = target.display(), e)))?;
        Some(toml::from_str::<toml::Table>(&text).map_err(|e| {
            Failure::Usage(msg!(
                "import.unreadable",
                file = target.display(),
                e = e.message()
            ))
        })?)
    } else {
        None
    };
    let grid = read(file, table.sheet()).map_err(Failure::Usage)?;
    let ctx = import::Context::of(root, consortium);
    let done = import::import(&grid, table, &ctx, existing).map_err(Failure::Cells)?;
    let text = toml::to_string(&done.table).map_err(|e| Failure::Usage(e.to_string()))?;
    // Written beside and renamed over, so that a failed write leaves the old file whole.
    let temporary = target.with_extension("toml.importing");
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, &target))
        .map_err(|e| {
            Failure::Usage(msg!(
                "output.unwritable",
                path = target.display(),
                source = e
            ))
        })?;
    Ok(Summary {
        path: target,
        rows: done.rows,
        added: done.added,
        updated: done.updated,
        ignored: done.ignored,
    })
}

/// One cell's value, as the sheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

impl Cell {
    /// The cell as text (a whole number without `.0`), trimmed; empty for an empty cell.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().replace('\u{3000}', " ").trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }

    /// A number: a numeric cell, or text holding one (`1,200`, `１２００`, `95.1%`, ` 17.5 `).
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Number(n) => Some(*n),
            Cell::Text(_) => {
                let t: String = self
                    .text()
                    .chars()
                    .map(half_width)
                    .filter(|c| !matches!(c, ',' | ' '))
                    .collect();
                t.trim_end_matches('%')
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
            }
            _ => None,
        }
    }

    /// A date: a date cell, an Excel date serial, or text as people write dates (`2023-06-01`,
    /// `2023-6-1`, `2023/6/1`, `2023.6.1`, `2023年6月1日`).
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Cell::Date(d) => Some(*d),
            // Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
            Cell::Number(n) if (1.0..2_958_466.0).contains(n) => {
                NaiveDate::from_ymd_opt(1899, 12, 30)
                    .and_then(|d| d.checked_add_days(chrono::Days::new(n.trunc() as u64)))
            }
            Cell::Text(_) => {
                let t: String = self.text().chars().map(half_width).collect();
                let parts: Vec<&str> = t
                    .split(['-', '/', '.', '年', '月', '日'])
                    .filter(|p| !p.is_empty())
                    .collect();
                match parts.as_slice() {
                    [y, m, d] if y.len() == 4 => {
                        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// A full-width digit, point, sign or date separator as its ASCII form (`１２．５` is 12.5).
fn half_width(c: char) -> char {
    match c {
        '，' => ',',
        '－' => '-',
        '／' => '/',
        '％' => '%',
        _ => crate::content::slips::ascii_digit(c),
    }
}

/// One sheet's cells, with where they stand in the file.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The file's name as given on the command line.
    pub file: String,
    pub sheet: String,
    /// The row and column (0-based) of `rows[0][0]` in the sheet.
    pub origin: (u32, u32),
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    /// `成员单位.xlsx:Sheet1!C7`: the place of a cell, as Excel and WPS name it.
    pub fn place(&self, row: usize, col: usize) -> String {
        let r = self.origin.0 as usize + row + 1;
        let c = column_letters(self.origin.1 as usize + col);
        format!("{}:{}!{c}{r}", self.file, self.sheet)
    }

    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }
}

/// `A`, `Z`, `AA` … for a 0-based column.
pub fn column_letters(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// Reads the sheet named `prefer` (or, if there is none, the first) of a workbook, or a CSV file.
pub fn read(path: &Path, prefer: &str) -> Result<Grid, String> {
    let file = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "csv" {
        let bytes = std::fs::read(path).map_err(|e| msg!("import.unreadable", file, e))?;
        return Ok(csv_grid(file, &bytes));
    }
    workbook_grid(path, file, prefer)
}

fn csv_grid(file: String, bytes: &[u8]) -> Grid {
    // UTF-8 (with or without a BOM) as saved by WPS and recent Excel; otherwise GB18030, which
    // Excel on a Chinese Windows writes (and which holds GBK and GB2312).
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let rows = reader
        .records()
        .flatten()
        .map(|r| {
            r.iter()
                .map(|c| {
                    if c.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.to_string())
                    }
                })
                .collect()
        })
        .collect();
    Grid {
        file,
        sheet: "Sheet1".to_string(),
        origin: (0, 0),
        rows,
    }
}

fn workbook_grid(path: &Path, file: String, prefer: &str) -> Result<Grid, String> {
    use calamine::{Data, Reader};
    let mut book =
        calamine::open_workbook_auto(path).map_err(|e| msg!("import.unreadable", file, e))?;
    let names = book.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.trim() == prefer)
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| msg!("import.no_sheet", file))?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| msg!("import.unreadable", file, e))?;
    let origin = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .map(|row| {
            row.iter()
                .map(|d| match d {
                    Data::Empty | Data::Error(_) => Cell::Empty,
                    Data::String(s) if s.trim().is_empty() => Cell::Empty,
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                        Cell::Text(s.clone())
                    }
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Bool(b) => Cell::Text(b.to_string()),
                    Data::DateTime(dt) => {
                        let serial = Cell::Number(dt.as_f64());
                        serial.date().map_or(serial, Cell::Date)
                    }
                })
                .collect()
        })
        .collect();
    Ok(Grid {
        file,
        sheet,
        origin,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_people_write_them() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        for text in [
            "2023-06-01",
            "2023-6-1",
            "2023/6/1",
            "2023.6.1",
            "2023年6月1日",
            "２０２３年６月１日",
        ] {
            assert_eq!(Cell::Text(text.into()).date(), d(2023, 6, 1), "{text}");
        }
        assert_eq!(Cell::Number(45078.0).date(), d(2023, 6, 1));
        assert_eq!(Cell::Text("2023年".into()).date(), None);
        for (text, n) in [
            ("1,200", 1200.0),
            ("１２００", 1200.0),
            ("95.1%", 95.1),
            (" 17.5 ", 17.5),
        ] {
            assert_eq!(Cell::Text(text.into()).number(), Some(n), "{text}");
        }
        assert_eq!(Cell::Text("一千".into()).number(), None);
        assert_eq!(Cell::Number(12000.0).text(), "12000");
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
    }

    #[test]
    fn a_gb18030_csv_is_read() {
        let (bytes, _, _) =
            encoding_rs::GB18030.encode("单位名称,在校生数\n示例职业技术学院,12000\n");
        let g = csv_grid("成员单位.csv".into(), &bytes);
        assert_eq!(g.cell(1, 0).text(), "示例职业技术学院");
        assert_eq!(g.place(1, 1), "成员单位.csv:Sheet1!B2");
    }
}
