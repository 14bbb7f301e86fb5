//! kubectl's table layout: Go's tabwriter with minimum cell width 6, padding 3, the last column unpadded.

/// Lays out `header` and `rows` as `kubectl get` prints them; every line ends with a newline.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    render_padded(header, rows, 6, 3)
}

/// The layout of kubectl's other tables (`rollout history`): tabwriter with no minimum width and padding 2.
pub fn render_tabbed(header: &[&str], rows: &[Vec<String>]) -> String {
    render_padded(header, rows, 0, 2)
}

fn render_padded(
    header: &[&str],
    rows: &[Vec<String>],
    min_width: usize,
    padding: usize,
) -> String {
    let cols = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut s = String::new();
        for (i, cell) in cells.enumerate().take(cols) {
            if i + 1 == cols {
                s.push_str(cell);
            } else {
                let width = (widths[i] + padding).max(min_width);
                s.push_str(cell);
                s.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
            }
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn columns_are_padded_like_tabwriter() {
        let rows = vec![vec![
            "web-0".to_string(),
            "1/1".into(),
            "Running".into(),
            "0".into(),
            "2m3s".into(),
        ]];
        assert_eq!(
            render(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"], &rows),
            "NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          2m3s\n"
        );
    }

    #[test]
    fn narrow_columns_get_the_minimum_width() {
        assert_eq!(
            render(&["A", "B"], &[vec!["x".into(), "y".into()]]),
            "A     B\nx     y\n"
        );
    }
}
