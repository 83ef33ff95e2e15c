/** Text content of markup: tags dropped, entities kept, whitespace squashed. */
export function textOf(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Returns the inner markup of the first table row with the attribute. */
export function rowOf(
  page: string,
  attribute: string,
  value: string | number,
): string {
  const match = new RegExp(
    `<tr ${attribute}="${value}">([\\s\\S]*?)</tr>`,
  ).exec(page);
  if (match === null) {
    throw new Error(`no row with ${attribute}="${value}"`);
  }

  return match[1]!;
}

/** Returns the inner markup of the first element with the id. */
export function elementById(page: string, id: string): string {
  const match = new RegExp(
    `<(\\w+)[^>]*\\sid="${id}"[^>]*>([\\s\\S]*?)</\\1\\s*>`,
  ).exec(page);
  if (match === null) {
    throw new Error(`no element with id="${id}"`);
  }

  return match[2]!;
}

export interface Link {
  attributes: Record<string, string>;
  text: string;
}

function unescapeAttribute(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Lists the `<a>` elements of markup with their attributes and text. */
export function linksOf(markup: string): Link[] {
  return [...markup.matchAll(/<a\s([^>]*)>([\s\S]*?)<\/a\s*>/g)].map(
    (match) => ({
      attributes: Object.fromEntries(
        [...match[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((attribute) => [
          attribute[1]!,
          unescapeAttribute(attribute[2]!),
        ]),
      ),
      text: textOf(match[2]!),
    }),
  );
}

/** Returns the one link with the class or id, or throws. */
export function linkBy(
  markup: string,
  attribute: 'class' | 'id',
  value: string,
): Link {
  const found = linksOf(markup).filter(
    (link) => link.attributes[attribute] === value,
  );
  if (found.length !== 1) {
    throw new Error(
      `expected one link with ${attribute}="${value}", found ${found.length}`,
    );
  }

  return found[0]!;
}
