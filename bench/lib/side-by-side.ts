/**
 * Sets the reports of one scenario, one per simulator profile, side by side: one table per
 * scenario table with a `profile` column, each client's rows of every profile next to each
 * other (every ratio stays the one its report computed: to the raw client of the same profile in
 * the same run), target lines tagged with their profile, and the key figures of every profile for
 * the closing summary.
 */
import type { SimulatorProfile } from 'runware-rx/simulator';
import type { ClientName } from '../clients/types.js';
import { CLIENT_LABELS, CLIENT_NAMES } from '../clients/types.js';
import type { KeyFigure, Report, TargetLine } from './scenario.js';
import type { Cell, Table } from './table.js';

export interface ProfiledReport {
  readonly profile: SimulatorProfile;
  readonly report: Report;
}

/** A key figure with the profile it was measured on. */
export interface ProfiledFigure extends KeyFigure {
  readonly profile: SimulatorProfile;
}

export interface SideBySide {
  readonly tables: readonly Table[];
  readonly targets: readonly TargetLine[];
  readonly key: readonly ProfiledFigure[];
}

function mergeNotes(tables: readonly Table[], profiles: readonly SimulatorProfile[]): string[] {
  const longest = Math.max(...tables.map((table) => table.notes?.length ?? 0));
  const notes: string[] = [];
  for (let index = 0; index < longest; index += 1) {
    const texts = tables.map((table) => table.notes?.[index]);
    if (texts.every((text) => text === texts[0])) {
      if (texts[0] !== undefined) notes.push(texts[0]);
    } else {
      texts.forEach((text, at) => {
        if (text !== undefined) notes.push(`${profiles[at]} profile: ${text}`);
      });
    }
  }
  return notes;
}

function mergeTables(tables: readonly Table[], profiles: readonly SimulatorProfile[]): Table {
  const [first] = tables;
  if (first === undefined) throw new Error('no table to merge');
  for (const table of tables) {
    if (table.columns.join('|') !== first.columns.join('|') || table.rows.length !== first.rows.length) {
      throw new Error(`the profiles' tables of "${first.title}" differ in shape`);
    }
  }
  const rows: Cell[][] = [];
  first.rows.forEach((_, row) => {
    tables.forEach((table, at) => {
      const [label, ...cells] = table.rows[row]!;
      rows.push([label, profiles[at], ...cells]);
    });
  });
  return { title: first.title, columns: [first.columns[0]!, 'profile', ...first.columns.slice(1)], rows, notes: mergeNotes(tables, profiles) };
}

export function sideBySide(reports: readonly ProfiledReport[]): SideBySide {
  const profiles = reports.map(({ profile }) => profile);
  const count = reports[0]?.report.tables.length ?? 0;
  const tables = Array.from({ length: count }, (_, index) => mergeTables(reports.map(({ report }) => report.tables[index]!), profiles));
  const targets = reports.flatMap(({ profile, report }) => report.targets.map((line) => ({ met: line.met, text: `[${profile}] ${line.text}` })));
  // Each figure of every profile next to each other, like the tables' rows.
  const figures = Math.max(0, ...reports.map(({ report }) => report.key?.length ?? 0));
  const key = Array.from({ length: figures }, (_, index) =>
    reports.flatMap(({ profile, report }) => {
      const figure = report.key?.[index];
      return figure === undefined ? [] : [{ ...figure, profile }];
    }),
  ).flat();
  return { tables, targets, key };
}

/** The closing summary: every key figure of every scenario, per profile, one column per client. */
export function summaryTable(key: readonly ProfiledFigure[]): Table {
  const clients: readonly ClientName[] = CLIENT_NAMES;
  return {
    title: 'Key figures, both profiles',
    columns: ['figure', 'profile', ...clients.map((client) => CLIENT_LABELS[client])],
    rows: key.map(({ metric, profile, cells }) => [metric, profile, ...clients.map((client) => cells[client] ?? '–')]),
    notes: ['Medians from the tables above; ratios there are to the raw client of the same profile in the same run.'],
  };
}
