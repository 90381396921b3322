// A text cell a spreadsheet will show as text. Excel, LibreOffice and Google Sheets run a cell that
// starts with = + - @ (or a tab or carriage return before one) as a formula, so a truck id or a
// record value typed as "=HYPERLINK(...)" would run on the auditor's machine (CSV injection). Such
// a cell is written with a leading apostrophe, as OWASP advises; numbers are never passed here.
const FORMULA_START = /^[=+\-@\t\r]/;

export function textCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
