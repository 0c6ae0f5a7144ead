/**
 * Tables as Markdown, printed as-is on the console and written to results.md: one table per
 * scenario, one row per client, absolute figures with their ratio to the raw client beside them.
 */

export type Cell = string | number | undefined;

export interface Table {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Lines printed under the table: method, n, what a cell means. */
  readonly notes?: readonly string[];
}

/** Formats a number for a table: thousands separators, `digits` decimals, "n/a" for nothing. */
export function fmt(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio to the raw client, e.g. "1.07×"; "n/a" when either side is missing. */
export function ratio(value: number | undefined, raw: number | undefined): string {
  if (value === undefined || raw === undefined || !Number.isFinite(value) || !Number.isFinite(raw) || raw === 0) return 'n/a';
  return `${(value / raw).toFixed(2)}×`;
}

export function renderTable(table: Table): string {
  const cells = table.rows.map((row) => row.map((cell) => (cell === undefined ? 'n/a' : String(cell))));
  const widths = table.columns.map((column, index) => Math.max(column.length, ...cells.map((row) => row[index]?.length ?? 0)));
  const line = (values: readonly string[]): string =>
    `| ${values.map((value, index) => (index === 0 ? value.padEnd(widths[index]!) : value.padStart(widths[index]!))).join(' | ')} |`;
  const separator = `| ${widths.map((width, index) => (index === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`;
  const out = [`### ${table.title}`, '', line(table.columns), separator, ...cells.map(line)];
  if (table.notes !== undefined && table.notes.length > 0) out.push('', ...table.notes.map((note) => `- ${note}`));
  return out.join('\n');
}
