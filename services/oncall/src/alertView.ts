// How an alert reads for a person on call: one compact block per alert with who (subject,
// accounts, labs), how much (spend, KYC tier) and why (the top reasons as "feature value vs
// population percentile"). Pure text formatting: it never reads a topic or a clock, and never
// shows anything the alert does not carry (alerts hold no prompt text, so neither does this).
import type { DistillationAlert, Severity } from '@distillwatch/core';

/** Severities from least to most urgent, as the alert schema lists them. */
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** The severity named by `text`, or null when it names none. */
export function parseSeverity(text: string): Severity | null {
  const s = text.trim().toLowerCase();
  return (SEVERITIES as readonly string[]).includes(s) ? (s as Severity) : null;
}

/** True when `severity` is `min` or more urgent. */
export function atLeast(severity: Severity, min: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(min);
}

export interface AlertViewOptions {
  /** ANSI colour for the severity (only for a terminal). */
  colour?: boolean;
  /** Reasons shown; default 3. */
  reasons?: number;
  /** Accounts listed by name before the rest are counted; default 4. */
  accounts?: number;
}

const COLOUR: Record<Severity, string> = {
  low: '\x1b[36m', medium: '\x1b[33m', high: '\x1b[31m', critical: '\x1b[1;37;41m',
};
const RESET = '\x1b[0m';
const INDENT = ' '.repeat(10);

/** Dollars as on an invoice: cents below $100, whole dollars above, thousands separated. */
export function usd(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: amount < 100 ? 2 : 0, maximumFractionDigits: amount < 100 ? 2 : 0 })}`;
}

/** `2026-11-20 14:00–15:00 UTC` (or with both dates when the window crosses midnight). */
export function windowText(start: number, end: number): string {
  const a = new Date(start).toISOString();
  const b = new Date(end).toISOString();
  const sameDay = a.slice(0, 10) === b.slice(0, 10) || b.slice(11, 16) === '00:00';
  return `${a.slice(0, 10)} ${a.slice(11, 16)}–${sameDay ? b.slice(11, 16) : `${b.slice(0, 10)} ${b.slice(11, 16)}`} UTC`;
}

/** `p99.2` style percentile: one decimal, never rounding 99.96 up to a misleading p100. */
export function percentileText(p: number): string {
  const floored = Math.floor(p * 10) / 10;
  return `p${floored.toFixed(floored === Math.round(floored) ? 0 : 1)}`;
}

function number(x: number): string {
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 0.01 || abs >= 1e6)) return x.toExponential(2);
  return x.toFixed(abs >= 100 ? 0 : 2);
}

/** The human block of one alert: 4 + reasons lines, no trailing newline. */
export function formatAlert(alert: DistillationAlert, options: AlertViewOptions = {}): string {
  const shownReasons = options.reasons ?? 3;
  const shownAccounts = options.accounts ?? 4;
  const label = alert.severity.toUpperCase().padEnd(8);
  const severity = options.colour ? `${COLOUR[alert.severity]}${label}${RESET}` : label;
  const labs = [...new Set(alert.accounts.map((a) => a.lab))].sort();
  const names = alert.accounts.slice(0, shownAccounts).map((a) => `${a.lab}/${a.account_id}`);
  const more = alert.accounts.length > shownAccounts ? `, +${alert.accounts.length - shownAccounts} more` : '';
  const lines = [
    `${severity}  ${alert.subject_kind} ${alert.subject_id}  score ${alert.score.toFixed(3)} (threshold ${alert.threshold.toFixed(3)})  ${windowText(alert.window_start, alert.window_end)}`,
    `${INDENT}${alert.accounts.length} account${alert.accounts.length === 1 ? '' : 's'} at ${labs.join(', ')}: ${names.join(', ')}${more}`,
    `${INDENT}spend ${usd(alert.spend_usd_window)} this window, ${usd(alert.spend_usd_30d)} over 30 d at one lab, ` +
      `${usd(alert.spend_usd_30d_all_labs)} over 30 d across linked labs -> KYC ${alert.kyc_tier}`,
    `${INDENT}why:`,
    ...alert.reasons.slice(0, shownReasons).map((r) =>
      `${INDENT}  ${r.feature} ${number(r.value)} vs population ${percentileText(r.percentile)} (median ${number(r.baseline)}, ${Math.round(r.contribution * 100)} % of the score)`),
    `${INDENT}alert ${alert.alert_id}, model ${alert.model_version}`,
  ];
  return lines.join('\n');
}
