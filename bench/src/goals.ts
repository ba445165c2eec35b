// The goals of issue 14, shared by the goal table (markdown.ts) and the chart (chart.ts).

/** What honokit must reach, as a ratio to the raw runtime (issue 14); memory is an upper bound. */
export const goals = {
  echo: { node: 0.95, bun: 0.95, deno: 0.98 },
  fanout: { node: 1.0, bun: 0.95, deno: 1.0 },
  memory: { node: 1.05, bun: 1.25, deno: 1.15 },
} as const
