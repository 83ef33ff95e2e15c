const fs = require('node:fs');

/** Turns a label into the id used in the section markers. */
function toSectionId(label) {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function markers(label) {
  const id = toSectionId(label);

  return {
    start: `<!-- bench:start ${id} -->`,
    end: `<!-- bench:end ${id} -->`,
  };
}

/**
 * Returns `text` with the generated section of `label` replaced by
 * `section`, or with it appended when the text has none. Text outside the
 * markers is kept as written.
 */
function replaceSection(text, label, section) {
  const { start, end } = markers(label);
  const block = `${start}\n${section.trim()}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from !== -1 && to > from) {
    return `${text.slice(0, from)}${block}${text.slice(to + end.length)}`;
  }
  if (from !== -1 || to !== -1) {
    throw new Error(
      `the markers of "${label}" are incomplete or out of order (${start} … ${end}): fix them by hand`,
    );
  }
  const base = text.trimEnd();

  return `${base === '' ? '# Benchmarks' : base}\n\n${block}\n`;
}

/** Writes `section` into `file` under `label`, creating the file if needed. */
function updateSection(file, label, section) {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  fs.writeFileSync(file, replaceSection(text, label, section));
}

module.exports = { replaceSection, toSectionId, updateSection };
