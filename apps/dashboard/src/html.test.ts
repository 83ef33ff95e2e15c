import {
  SafeHtml,
  escapeHtml,
  formatRelative,
  formatUtc,
  html,
  renderTime,
} from './html';

describe('escapeHtml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });
});

describe('html', () => {
  it('escapes interpolated strings and numbers', () => {
    const title = '<script>alert(1)</script>';
    // Prettier formats html templates as markup, which would add spaces.
    // prettier-ignore
    const markup = html`<td>${title}</td><td>${42}</td>`;
    expect(markup.value).toBe(
      '<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td>42</td>',
    );
  });

  it('inserts nested SafeHtml as it is', () => {
    const inner = html`<b>${'a&b'}</b>`;
    expect(html`<p>${inner}</p>`.value).toBe('<p><b>a&amp;b</b></p>');
  });

  it('joins arrays and renders empty values as nothing', () => {
    const items = ['<1>', html`<i>2</i>`];
    expect(html`${items}|${undefined}|${null}|${false}|${0}`.value).toBe(
      '&lt;1&gt;<i>2</i>||||0',
    );
  });

  it('escapes attribute values', () => {
    const url = 'https://example.com/?a=1&b="2"';
    expect(html`<a href="${url}">x</a>`.value).toBe(
      '<a href="https://example.com/?a=1&amp;b=&quot;2&quot;">x</a>',
    );
  });

  it('returns SafeHtml', () => {
    expect(html`x`).toBeInstanceOf(SafeHtml);
  });
});

describe('formatUtc', () => {
  it('formats seconds in UTC', () => {
    expect(formatUtc(new Date('2026-12-03T22:10:05.678Z'))).toBe(
      '2026-12-03 22:10:05 UTC',
    );
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-12-03T12:00:00Z');

  it.each([
    [-30_000, '30 s ago'],
    [-4 * 60_000, '4 min ago'],
    [-3 * 3_600_000, '3 h ago'],
    [-5 * 86_400_000, '5 days ago'],
    [15 * 60_000, 'in 15 min'],
    [0, '0 s ago'],
  ])('describes an offset of %i ms as %s', (offsetMs, expected) => {
    expect(formatRelative(new Date(now.getTime() + offsetMs), now)).toBe(
      expected,
    );
  });
});

describe('renderTime', () => {
  const now = new Date('2026-12-03T12:00:00Z');

  it('renders a time element with the ISO time', () => {
    const rendered = renderTime(new Date('2026-12-03T11:58:00Z'), now).value;
    expect(rendered).toContain('datetime="2026-12-03T11:58:00.000Z"');
    expect(rendered).toContain('2026-12-03 11:58:00 UTC (2 min ago)');
  });

  it('renders never for a missing time', () => {
    expect(renderTime(null, now).value).toBe(
      '<span class="muted">never</span>',
    );
  });
});
