//! Expansion work kept bounded: the budgets that cap it and a depth-first order that needs
//! no recursion however deep references nest.

use relationship_schema::{ErrorKind, limits};

use super::diagnostics::Cx;

/// Depth-first post-order over `edges` without recursion; back edges are returned as
/// cycles (node lists that start and end with the same node).
pub(super) fn post_order(edges: &[Vec<usize>]) -> (Vec<usize>, Vec<Vec<usize>>) {
    let n = edges.len();
    let mut state = vec![0u8; n];
    let mut order = Vec::with_capacity(n);
    let mut cycles = Vec::new();
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(top) = stack.last_mut() {
            let (node, next) = *top;
            if let Some(&t) = edges[node].get(next) {
                top.1 += 1;
                match state[t] {
                    0 => {
                        state[t] = 1;
                        stack.push((t, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|(s, _)| *s == t).unwrap_or(0);
                        let mut cycle: Vec<usize> = stack[from..].iter().map(|(s, _)| *s).collect();
                        cycle.push(t);
                        cycles.push(cycle);
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                order.push(node);
                stack.pop();
            }
        }
    }
    (order, cycles)
}

/// How much of a limit on expansion work the schema has used; reports once when a step
/// would go past it.
pub(super) struct Budget {
    what: &'static str,
    max: usize,
    used: usize,
}

impl Budget {
    /// The budget of expanded triples.
    pub(super) const TRIPLES: Self = Self::new("the number of expanded triples", 1);
    /// The budget of type ids that type and group references expand to.
    pub(super) const RESOLUTION: Self =
        Self::new("the number of types that references expand to", 10);
    /// The budget of pairs copied by derivations (a derivation may copy pairs that another
    /// already holds).
    pub(super) const DERIVATION: Self = Self::new("the number of pairs copied by derivations", 10);

    /// At most `times` [`limits::MAX_TRIPLES`].
    const fn new(what: &'static str, times: usize) -> Self {
        let max = limits::MAX_TRIPLES.saturating_mul(times);
        Budget { what, max, used: 0 }
    }

    /// Takes `n` more; `false` (reported at `at` the first time) when that exceeds the limit.
    pub(super) fn take(&mut self, cx: &mut Cx, at: usize, n: usize) -> bool {
        if self.used > self.max {
            return false;
        }
        self.used = self.used.saturating_add(n);
        if self.used > self.max {
            let (what, found, max) = (self.what, self.used, self.max);
            cx.error(at, ErrorKind::Limit { what, found, max });
            return false;
        }
        true
    }
}
