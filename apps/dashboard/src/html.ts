/** Markup that is already escaped, so `html` inserts it as it is. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
}

function renderValue(value: unknown): string {
  if (value instanceof SafeHtml) {
    return value.value;
  }
  if (Array.isArray(value)) {
    return value.map(renderValue).join('');
  }
  if (value === undefined || value === null || value === false) {
    return '';
  }

  return escapeHtml(String(value));
}

/**
 * Builds markup from a template, escaping every interpolated value except
 * SafeHtml, so no value from the database or Redis is ever inserted raw.
 * Arrays are joined, and undefined, null and false render as nothing.
 */
export function html(
  strings: TemplateStringsArray,
  ...values: unknown[]
): SafeHtml {
  let result = strings[0] ?? '';
  values.forEach((value, index) => {
    result += renderValue(value) + (strings[index + 1] ?? '');
  });

  return new SafeHtml(result);
}

/** Formats a time as `2026-12-03 22:10:05 UTC`. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Describes how far `date` lies from `now`, as "4 min ago" or "in 2 h". */
export function formatRelative(date: Date, now: Date): string {
  const differenceMs = date.getTime() - now.getTime();
  const seconds = Math.round(Math.abs(differenceMs) / 1000);
  const amount =
    seconds < 60
      ? `${seconds} s`
      : seconds < 3600
        ? `${Math.floor(seconds / 60)} min`
        : seconds < 172_800
          ? `${Math.floor(seconds / 3600)} h`
          : `${Math.floor(seconds / 86_400)} days`;

  return differenceMs <= 0 ? `${amount} ago` : `in ${amount}`;
}

/** Renders a `<time>` element with the UTC time and the relative time. */
export function renderTime(date: Date | null | undefined, now: Date): SafeHtml {
  if (date === null || date === undefined) {
    return html`<span class="muted">never</span>`;
  }

  return html`<time datetime="${date.toISOString()}"
    >${formatUtc(date)} (${formatRelative(date, now)})</time
  >`;
}
