//! Controlled rounding of a table to a coarser step (Cox 1987): every cell is its exact value
//! rounded down or up to a whole number of steps, every column adds up to its exact total,
//! every row to its exact total rounded down or up, and the grand total is exact. Among all
//! such roundings the one closest to the exact values (least total absolute change) is chosen,
//! as a minimum-cost flow: source → row → column → sink, one unit of flow for each cell rounded
//! up, each row's flow between the floor and ceiling of its fractions, each column's exactly
//! the steps its fractions make.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RoundingError {
    #[error("column {column} adds up to {total} units, not a whole number of steps of {step}")]
    ColumnNotWhole { column: usize, total: u128, step: u128 },
    #[error("controlled rounding is for tables of up to {0} rows")]
    TooLarge(usize),
    #[error("the step must be more than zero")]
    ZeroStep,
    #[error("controlled rounding is for tables of up to {0} columns")]
    TooManyColumns(usize),
    #[error("controlled rounding takes steps of up to 2^96 units")]
    StepTooLarge,
    #[error("column {0} adds up to more than 128 bits hold")]
    ColumnTooLarge(usize),
}

/// Enough for Sweden's 290 municipalities with room to spare; the flow is not meant for
/// a million care units.
const MAX_ROWS: usize = 2_000;
/// Areas of an agreement, with room to spare. With the step below 2⁹⁶ units, these bounds keep
/// every cost and every path's sum of costs far inside 128 bits (below 2¹²⁰).
const MAX_COLUMNS: usize = 1_000;
const MAX_STEP: u128 = 1 << 96;

struct Edge {
    to: usize,
    capacity: i64,
    cost: i128,
}

struct Graph {
    edges: Vec<Edge>,
    adjacent: Vec<Vec<usize>>,
}

impl Graph {
    fn new(nodes: usize) -> Graph {
        Graph { edges: Vec::new(), adjacent: vec![Vec::new(); nodes] }
    }

    /// Adds an edge and its residual twin; returns the edge's index.
    fn add(&mut self, from: usize, to: usize, capacity: i64, cost: i128) -> usize {
        self.adjacent[from].push(self.edges.len());
        self.edges.push(Edge { to, capacity, cost });
        self.adjacent[to].push(self.edges.len());
        self.edges.push(Edge { to: from, capacity: 0, cost: -cost });
        self.edges.len() - 2
    }

    /// Sends up to `wanted` units from `source` to `sink` along cheapest paths (Bellman–Ford,
    /// since costs are negative on the rows' lower-bound edges; the residual graph never has a
    /// negative cycle, as each path found is a shortest one).
    fn min_cost_flow(&mut self, source: usize, sink: usize, wanted: i64) -> i64 {
        let nodes = self.adjacent.len();
        let mut sent = 0;
        while sent < wanted {
            // Queue-based Bellman–Ford (SPFA): only nodes whose distance fell are revisited.
            let mut distance = vec![i128::MAX; nodes];
            let mut via = vec![usize::MAX; nodes];
            let mut queued = vec![false; nodes];
            let mut queue = std::collections::VecDeque::from([source]);
            distance[source] = 0;
            queued[source] = true;
            while let Some(node) = queue.pop_front() {
                queued[node] = false;
                for &edge in &self.adjacent[node] {
                    let Edge { to, capacity, cost } = self.edges[edge];
                    if capacity > 0 && distance[node] + cost < distance[to] {
                        distance[to] = distance[node] + cost;
                        via[to] = edge;
                        if !queued[to] {
                            queued[to] = true;
                            queue.push_back(to);
                        }
                    }
                }
            }
            if distance[sink] == i128::MAX {
                break;
            }
            // Every path here has capacity one: row → column edges carry one unit each.
            let mut node = sink;
            while node != source {
                let edge = via[node];
                self.edges[edge].capacity -= 1;
                self.edges[edge ^ 1].capacity += 1;
                node = self.edges[edge ^ 1].to;
            }
            sent += 1;
        }
        sent
    }
}

/// Rounds `cells[row][column]` (exact, in units) to whole `step`s; returns the step counts.
pub fn controlled_round(cells: &[Vec<u128>], step: u128) -> Result<Vec<Vec<u128>>, RoundingError> {
    if step == 0 {
        return Err(RoundingError::ZeroStep);
    }
    if cells.len() > MAX_ROWS {
        return Err(RoundingError::TooLarge(MAX_ROWS));
    }
    if step > MAX_STEP {
        return Err(RoundingError::StepTooLarge);
    }
    let rows = cells.len();
    let columns = cells.first().map_or(0, Vec::len);
    if columns > MAX_COLUMNS {
        return Err(RoundingError::TooManyColumns(MAX_COLUMNS));
    }
    let mut rounded: Vec<Vec<u128>> = cells.iter().map(|row| row.iter().map(|v| v / step).collect()).collect();
    let remainder = |row: usize, column: usize| cells[row][column] % step;

    let mut column_ups = Vec::with_capacity(columns);
    for column in 0..columns {
        let total = cells.iter().try_fold(0u128, |sum, row| sum.checked_add(row[column]));
        let total = total.ok_or(RoundingError::ColumnTooLarge(column))?;
        if total % step != 0 {
            return Err(RoundingError::ColumnNotWhole { column, total, step });
        }
        // Each remainder is below the step: the sum is below rows·step < 2¹⁰⁷ and the count
        // of ups below the row count.
        let fractions: u128 = (0..rows).map(|row| remainder(row, column)).sum();
        column_ups.push(i64::try_from(fractions / step).map_err(|_| RoundingError::TooLarge(MAX_ROWS))?);
    }

    // Nodes: 0 source, 1 sink, rows, then columns.
    let (source, sink) = (0, 1);
    let row_node = |row: usize| 2 + row;
    let column_node = |column: usize| 2 + rows + column;
    let mut graph = Graph::new(2 + rows + columns);
    // A cost below any path's total, so that rows' lower bounds are met first.
    let step_cost = i128::try_from(step).map_err(|_| RoundingError::StepTooLarge)?;
    let must = -(step_cost * 2 * (columns as i128 + 2));
    let mut cell_edges = Vec::new();
    for row in 0..rows {
        let fractions: u128 = (0..columns).map(|column| remainder(row, column)).sum();
        let lower = i64::try_from(fractions / step).map_err(|_| RoundingError::TooManyColumns(MAX_COLUMNS))?;
        let optional = i64::from(fractions % step != 0);
        graph.add(source, row_node(row), lower, must);
        graph.add(source, row_node(row), optional, 0);
        for column in 0..columns {
            let rest = remainder(row, column);
            if rest > 0 {
                // Rounding up moves the cell by step − rest instead of rest: the difference.
                // `rest` < step ≤ 2⁹⁶: the conversion cannot fail.
                let cost = step_cost - 2 * i128::try_from(rest).map_err(|_| RoundingError::StepTooLarge)?;
                cell_edges.push((row, column, graph.add(row_node(row), column_node(column), 1, cost)));
            }
        }
    }
    for (column, &ups) in column_ups.iter().enumerate() {
        graph.add(column_node(column), sink, ups, 0);
    }
    graph.min_cost_flow(source, sink, column_ups.iter().sum());
    for (row, column, edge) in cell_edges {
        if graph.edges[edge].capacity == 0 {
            rounded[row][column] += 1;
        }
    }
    Ok(rounded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jamtland_row_no_longer_rounds_to_30_7() {
        // Region 23's exact areas in kr and the rest of an area column made to add up to whole
        // 0,1 mkr: 19 102 294 + 5 768 893 + 5 768 893 = 30 640 080 kr. Rounded cell by cell to
        // 0,1 mkr they are 19,1 + 5,8 + 5,8 = 30,7; the row total 30,64 allows only 30,6 or 30,7.
        let cells = vec![vec![19_102_294, 5_768_893, 5_768_893], vec![80_897_706, 94_231_107, 94_231_107]];
        let rounded = controlled_round(&cells, 100_000).unwrap();
        // Columns: 1 000 (=100 mkr), 1 000, 1 000 steps, exact.
        for (first, second) in rounded[0].iter().zip(&rounded[1]) {
            assert_eq!(first + second, 1000);
        }
        let jamtland: u128 = rounded[0].iter().sum();
        assert!(jamtland == 306 || jamtland == 307);
        // Each cell is its value rounded down or up.
        for (row, cells_row) in cells.iter().enumerate() {
            for (column, &value) in cells_row.iter().enumerate() {
                let steps = rounded[row][column];
                assert!(steps == value / 100_000 || steps == value / 100_000 + 1);
            }
        }
    }

    #[test]
    fn a_column_that_is_not_whole_steps_is_refused() {
        assert!(matches!(
            controlled_round(&[vec![150], vec![100]], 100),
            Err(RoundingError::ColumnNotWhole { column: 0, .. })
        ));
    }
}
