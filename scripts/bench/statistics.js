/** Summarises the values of several runs: median, min and max. */
function summarize(values) {
  const known = values.filter((value) => Number.isFinite(value));
  if (known.length === 0) {
    return undefined;
  }
  const sorted = [...known].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? sorted[middle]
      : (sorted[middle - 1] + sorted[middle]) / 2;

  return {
    median,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    count: sorted.length,
  };
}

/** Formats a number with a fixed count of decimals and thousands separators. */
function formatNumber(value, decimals) {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/**
 * Formats a summary as "median (min–max)", or the median alone when there
 * was one run or every run gave the same value.
 */
function formatSummary(summary, decimals) {
  if (summary === undefined) {
    return 'n/a';
  }
  const median = formatNumber(summary.median, decimals);
  const min = formatNumber(summary.min, decimals);
  const max = formatNumber(summary.max, decimals);
  if (summary.count === 1 || min === max) {
    return median;
  }

  return `${median} (${min}–${max})`;
}

const MB = 1024 * 1024;

module.exports = { MB, formatNumber, formatSummary, summarize };
