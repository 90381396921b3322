// The popup for a truck or a flagged fix: which truck, how fast, which way, when, and which node
// reported it. Built as DOM nodes with textContent, never HTML strings: truck ids and node names
// come from the network.
import type { FixDto } from '../../../shared/api';
import { describeFlag, HISTORICAL_WORDS } from '../lib/fix-flags';
import { formatAge, formatClockTime, formatCoordinate, formatHeading, formatSpeed } from '../lib/format';

export interface FixPopupInput {
  readonly truck: string;
  readonly fix: FixDto;
  readonly reporter: string;
  readonly nodeNowMs: number;
  readonly flaggedCount: number;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function buildFixPopup({ truck, fix, reporter, nodeNowMs, flaggedCount }: FixPopupInput): HTMLElement {
  const root = element('div', 'fix-popup-body');
  const title = element('div', 'fix-popup-title');
  title.append(element('span', 'fix-popup-truck', truck));
  if (fix.flag) title.append(element('span', 'fix-popup-flag', 'flagged fix'));
  root.append(title);
  if (fix.flag) root.append(element('div', 'fix-popup-reason', `${describeFlag(fix.flag)} (${fix.flag})`));
  if (fix.historical) root.append(element('div', 'fix-popup-historical', HISTORICAL_WORDS));

  const rows: [string, string][] = [
    ['Speed', formatSpeed(fix.speedKmh)],
    ['Heading', formatHeading(fix.headingDeg)],
    ['Fix time', `${formatClockTime(fix.fixMs, nodeNowMs)} · ${formatAge(nodeNowMs - fix.fixMs)}`],
    ['Reported by', reporter],
    ['Position', formatCoordinate(fix.lat, fix.lon)],
  ];
  if (!fix.flag && flaggedCount > 0) rows.push(['Flagged fixes', String(flaggedCount)]);
  const table = element('dl', 'fact-grid fix-popup-rows');
  for (const [label, value] of rows) table.append(element('dt', '', label), element('dd', '', value));
  root.append(table);
  return root;
}
