// @ts-check
/**
 * A small self-contained SVG: stacked panels sharing a time axis, each with one or two
 * series (the second on its own right-hand scale). No scripts, fonts or external
 * references, so it opens anywhere.
 */

/**
 * @typedef {object} Series
 * @property {string} label
 * @property {number[]} values one per x
 * @property {string} color
 * @property {'left' | 'right'} [axis]
 */

/**
 * @typedef {object} Panel
 * @property {string} title
 * @property {string} leftUnit
 * @property {string} [rightUnit]
 * @property {Series[]} series
 */

const esc = (/** @type {string} */ s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (/** @type {number} */ n) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

/**
 * @param {{ title: string, xs: number[], xLabel: string, panels: Panel[], marks?: { x: number, label: string }[], shade?: { from: number, to: number, label: string } }} chart
 * @returns {string}
 */
export function svgChart(chart) {
  const width = 900;
  const panelHeight = 200;
  const top = 70;
  const gap = 50;
  const left = 70;
  const right = 70;
  const plotWidth = width - left - right;
  const height = top + chart.panels.length * (panelHeight + gap) + 20;
  const xMin = Math.min(...chart.xs);
  const xMax = Math.max(...chart.xs, xMin + 1);
  const px = (/** @type {number} */ x) => left + ((x - xMin) / (xMax - xMin)) * plotWidth;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">${esc(chart.title)}</text>`,
  ];
  chart.panels.forEach((panel, i) => {
    const y0 = top + i * (panelHeight + gap);
    const y1 = y0 + panelHeight;
    const scale = (/** @type {'left' | 'right'} */ axis) => {
      const values = panel.series.filter((s) => (s.axis ?? 'left') === axis).flatMap((s) => s.values.filter(Number.isFinite));
      const max = Math.max(...values, 0) * 1.1 || 1;
      return { max, py: (/** @type {number} */ v) => y1 - (v / max) * panelHeight };
    };
    const l = scale('left');
    const r = scale('right');
    if (chart.shade) out.push(`<rect x="${px(chart.shade.from)}" y="${y0}" width="${px(chart.shade.to) - px(chart.shade.from)}" height="${panelHeight}" fill="#eee"/>`);
    out.push(`<rect x="${left}" y="${y0}" width="${plotWidth}" height="${panelHeight}" fill="none" stroke="#999"/>`);
    out.push(`<text x="${left}" y="${y0 - 8}" font-weight="bold">${esc(panel.title)}</text>`);
    for (const f of [0, 0.5, 1]) {
      const y = y1 - f * panelHeight;
      out.push(`<line x1="${left}" x2="${left + plotWidth}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
      out.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end">${fmt(f * l.max)}</text>`);
      if (panel.rightUnit) out.push(`<text x="${left + plotWidth + 6}" y="${y + 4}">${fmt(f * r.max)}</text>`);
    }
    out.push(`<text x="${left - 6}" y="${y0 + 20}" text-anchor="end" fill="#555" font-size="10">${esc(panel.leftUnit)}</text>`);
    if (panel.rightUnit) out.push(`<text x="${left + plotWidth + 6}" y="${y0 + 20}" fill="#555" font-size="10">${esc(panel.rightUnit)}</text>`);
    for (const m of chart.marks ?? []) out.push(`<line x1="${px(m.x)}" x2="${px(m.x)}" y1="${y0}" y2="${y1}" stroke="#bbb" stroke-dasharray="4 3"/>`);
    panel.series.forEach((s, k) => {
      const py = (s.axis ?? 'left') === 'right' ? r.py : l.py;
      const points = s.values.map((v, j) => (Number.isFinite(v) ? `${px(/** @type {number} */ (chart.xs[j])).toFixed(1)},${py(v).toFixed(1)}` : null)).filter(Boolean);
      out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.6" points="${points.join(' ')}"/>`);
      const lx = left + plotWidth - (panel.series.length - k) * 110;
      out.push(`<rect x="${lx}" y="${y0 - 14}" width="12" height="3" fill="${s.color}"/><text x="${lx + 16}" y="${y0 - 9}">${esc(s.label)}</text>`);
    });
    out.push(`<text x="${left + plotWidth}" y="${y1 + 16}" text-anchor="end" fill="#555">${esc(chart.xLabel)}</text>`);
    out.push(`<text x="${left}" y="${y1 + 16}" fill="#555">${fmt(xMin)}</text>`);
    out.push(`<text x="${left + plotWidth / 2}" y="${y1 + 16}" text-anchor="middle" fill="#555">${fmt((xMin + xMax) / 2)}</text>`);
  });
  for (const m of chart.marks ?? []) out.push(`<text x="${px(m.x) + 3}" y="${top + 12}" fill="#777" font-size="10">${esc(m.label)}</text>`);
  if (chart.shade) out.push(`<text x="${px(chart.shade.from) + 3}" y="${top + 12}" fill="#777" font-size="10">${esc(chart.shade.label)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}
